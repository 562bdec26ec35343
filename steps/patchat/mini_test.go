package patchat_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chatspec/chatspec/internal/testserver"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/steps/mutation"
	"github.com/stretchr/testify/assert"
)

// mini is a small Pat Chat server written for the tests, speaking the
// reference dialect: accounts, rooms, messages. Each knob is one bug a real
// server had, which the suite once missed (issue 11).
type mini struct {
	rawControl    bool // control bytes relayed raw; a line with invalid UTF-8 dropped whole
	bareClose     bool // the client over capacity is closed without a word
	trailingSpace bool // register stores "name ": new accounts never log in

	mu       sync.Mutex
	open     int
	accounts map[string]string
	online   map[string]*miniUser
}

type miniUser struct {
	nc            net.Conn
	name, current string
	rooms         map[string]bool
}

const miniCapacity = 100

func (m *mini) serve(ctx context.Context, ln net.Listener) error {
	m.accounts, m.online = map[string]string{}, map[string]*miniUser{}
	return testserver.Accept(ctx, ln, m.conn)
}

func (m *mini) conn(nc net.Conn) {
	defer nc.Close()
	m.mu.Lock()
	m.open++
	full := m.open > miniCapacity
	m.mu.Unlock()
	defer func() { m.mu.Lock(); m.open--; m.mu.Unlock() }()
	if full {
		if !m.bareClose {
			fmt.Fprintf(nc, "ERR server full (%d users)\n", miniCapacity)
		}
		return
	}
	fmt.Fprint(nc, "HELLO mini\n")
	u := &miniUser{nc: nc, rooms: map[string]bool{}}
	defer m.logout(u)
	sc := bufio.NewScanner(nc)
	for sc.Scan() {
		line, ok := m.clean(sc.Text())
		if !ok {
			continue
		}
		m.mu.Lock()
		reply := m.command(u, line)
		m.mu.Unlock()
		fmt.Fprint(nc, reply)
	}
}

// clean drops control bytes and replaces invalid UTF-8, or (rawControl)
// drops a line that is not UTF-8 and passes the rest as it is.
func (m *mini) clean(line string) (string, bool) {
	if m.rawControl {
		return line, utf8.ValidString(line)
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\t' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(line, "?")), true
}

func (m *mini) command(u *miniUser, line string) string {
	word, rest, _ := strings.Cut(line, " ")
	user, pass, _ := strings.Cut(rest, " ")
	switch {
	case word == "register" && m.accounts[user] == "" && user != "":
		m.accounts[user+map[bool]string{true: " "}[m.trailingSpace]] = pass
		return "OK registered " + user + "\n"
	case word == "login" && u.name == "" && m.accounts[user] == pass && pass != "" && m.online[user] == nil:
		u.name, u.current, u.rooms["Main Room"] = user, "Main Room", true
		m.online[user] = u
		return "OK welcome " + user + "\nROOM you are in Main Room\n"
	case u.name == "":
		return "ERR log in first\n"
	case word == "c" || word == "j" || word == "s":
		return m.room(u, word, rest)
	case word == "m":
		m.say(u, rest)
		return "OK sent\n"
	case word == "l":
		return "USERS " + u.current + ": " + strings.Join(m.members(u.current), " ") + "\n"
	}
	return "ERR no\n"
}

func (m *mini) room(u *miniUser, word, name string) string {
	exists := slices.Contains(m.rooms(), name) || name == "Main Room"
	switch {
	case word == "c" && !exists, word == "j" && exists:
		u.rooms[name], u.current = true, name
		return map[string]string{"c": "OK created ", "j": "OK joined "}[word] + name + "\n"
	case word == "s" && u.rooms[name]:
		u.current = name
		return "OK current " + name + "\n"
	}
	return "ERR no room " + name + "\n"
}

func (m *mini) rooms() []string {
	var out []string
	for _, o := range m.online {
		for r := range o.rooms {
			out = append(out, r)
		}
	}
	return out
}

func (m *mini) members(room string) []string {
	var out []string
	for _, o := range m.online {
		if o.rooms[room] {
			out = append(out, o.name)
		}
	}
	slices.Sort(out)
	return out
}

func (m *mini) say(u *miniUser, text string) {
	for _, o := range m.online {
		if o != u && o.rooms[u.current] {
			_ = o.nc.SetWriteDeadline(time.Now().Add(time.Second))
			fmt.Fprintf(o.nc, "[%s] %s: %s\n", u.current, u.name, text)
		}
	}
}

func (m *mini) logout(u *miniUser) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.online[u.name] == u {
		delete(m.online, u.name)
	}
}

// runMini runs the scenarios of one requirement against a mini server.
func runMini(t *testing.T, m *mini, req string) map[string]results.Outcome {
	t.Helper()
	return mutation.Outcomes(run(t, testserver.Target(t, m.serve), dialect(t, "reference"), "@"+req, false), t.Logf)
}

// The Pat Chat kinds of bug of issue 11 on a mini server: each one fails
// (or warns, or blocks) its own requirement's row, and the bug-free mini
// passes the same rows.
func TestMiniServerBugsCaughtByTheirOwnRows(t *testing.T) {
	t.Parallel()
	const (
		control = "NUL and control bytes in otherwise valid UTF-8 never reach others raw"
		invalid = "Invalid UTF-8 never reaches others as it is"
		beyond  = "The client beyond the capacity is clearly refused"
		newAcc  = "A new account can log in on another connection"
		twice   = "One account cannot be logged in twice at once"
	)
	for _, c := range []struct {
		name string
		bug  *mini
		req  string
		want map[string]results.Outcome
	}{
		{"control bytes relayed", &mini{rawControl: true}, "PAT-R-2", map[string]results.Outcome{control: results.Fail, invalid: results.Pass}},
		{"clean", &mini{}, "PAT-R-2", map[string]results.Outcome{control: results.Pass, invalid: results.Pass}},
		{"bare close", &mini{bareClose: true}, "PAT-3-6", map[string]results.Outcome{beyond: results.Warn}},
		{"clean", &mini{}, "PAT-3-6", map[string]results.Outcome{beyond: results.Pass}},
		{"trailing space", &mini{trailingSpace: true}, "PAT-4.4-1", map[string]results.Outcome{newAcc: results.Fail}},
		{"trailing space", &mini{trailingSpace: true}, "PAT-4.4-5", map[string]results.Outcome{twice: results.Inconclusive}},
		{"clean", &mini{}, "PAT-4.4-1", map[string]results.Outcome{newAcc: results.Pass}},
		{"clean", &mini{}, "PAT-4.4-5", map[string]results.Outcome{twice: results.Pass}},
	} {
		t.Run(c.req+"/"+c.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, c.want, runMini(t, c.bug, c.req))
		})
	}
}
