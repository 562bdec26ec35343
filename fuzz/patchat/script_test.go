package patchat

import (
	"context"
	"math/rand/v2"
	"net"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatspec/chatspec/dialects"
	"github.com/chatspec/chatspec/fuzz"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// perReadServer takes each read as one input, as a server that does not
// frame its input does, answers in the reference wording, and records the
// inputs it saw.
type perReadServer struct {
	mu     sync.Mutex
	inputs []string
}

func (s *perReadServer) serve(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.handle(c)
		}
	}()
	return ln.Addr().String()
}

func (s *perReadServer) handle(c net.Conn) {
	defer c.Close()
	_, _ = c.Write([]byte("HELLO fuzz\n"))
	buf := make([]byte, 4096)
	for {
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := c.Read(buf)
		if err != nil {
			return
		}
		in := string(buf[:n])
		s.mu.Lock()
		s.inputs = append(s.inputs, in)
		s.mu.Unlock()
		f := strings.Fields(in)
		reply := "ERR what\n"
		switch {
		case len(f) == 3 && f[0] == "register":
			reply = "OK registered " + f[1] + "\n"
		case len(f) == 3 && f[0] == "login":
			reply = "OK welcome " + f[1] + "\nROOM you are in Main Room\n"
		case len(f) >= 1 && f[0] == "m":
			reply = "OK sent\n"
		}
		_, _ = c.Write([]byte(reply))
	}
}

// TestCaseFollowsTheDialectScript: a session's lines go one per step, each
// after the reply the dialect expects before it, so a server that reads one
// input per read sees every line alone.
func TestCaseFollowsTheDialectScript(t *testing.T) {
	t.Parallel()
	d, err := dialects.Load("reference")
	require.NoError(t, err)
	g := newGen(rand.New(rand.NewPCG(1, 2)), newVocabulary(d))
	c := g.user()
	g.act(c, "say", "say", map[string]string{"text": "hi"})
	cs := g.b.Case()
	steps := cs.Conns[c].Steps
	require.Len(t, steps, 3)
	for i := range steps {
		steps[i].Chunks = nil
		require.NotNil(t, steps[i].Fill, "step %d waits for a reply", i)
		line := strings.TrimRight(string(steps[i].Data), "\r\n")
		assert.NotContains(t, line, "\n", "one line per step")
		assert.NotEqual(t, line, string(steps[i].Data), "the step ends its line")
	}
	wait, err := url.QueryUnescape(steps[1].Fill.Var)
	require.NoError(t, err)
	assert.Contains(t, wait, `OK registered fz`, "login waits for the register reply")

	srv := &perReadServer{}
	addr := srv.serve(t)
	res := fuzz.Execute(context.Background(), addr, cs, New(d), fuzz.ExecOptions{FillWait: 5 * time.Second})
	require.Nil(t, res.Violation)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	require.Len(t, srv.inputs, 3, "three reads: %q", srv.inputs)
	assert.True(t, strings.HasPrefix(srv.inputs[0], "register fz"), srv.inputs[0])
	assert.True(t, strings.HasPrefix(srv.inputs[1], "login fz"), srv.inputs[1])
	assert.Equal(t, "m hi", strings.TrimRight(srv.inputs[2], "\r\n"))
}

// waitOf is the pattern step s waits for, compiled.
func waitOf(t *testing.T, s fuzz.Step) *regexp.Regexp {
	t.Helper()
	require.NotNil(t, s.Fill)
	src, err := url.QueryUnescape(s.Fill.Var)
	require.NoError(t, err)
	return regexp.MustCompile(src)
}

// TestWaitsAreForWhatComes: the line after an action waits for the whole
// answer, or for a refusal alone (the rest of the action never comes); a
// value the server may clean is matched as any text; a line the dialect's
// server has not seen end is not waited for, and the line that ends it
// waits for any reply.
func TestWaitsAreForWhatComes(t *testing.T) {
	t.Parallel()
	v := protocol(t).vocab
	g := newGen(rand.New(rand.NewPCG(1, 2)), v)
	c := g.b.Conn()
	g.line(c, "login", []byte("login u p\n"), "\n", mustScript(t, v, "login", map[string]string{"user": "u", "password": "p"}))
	g.line(c, "create", []byte("c bad\xffname\n"), "\n", mustScript(t, v, "create", map[string]string{"room": "bad\xffname"}))
	g.line(c, "unended", []byte("rooms\r"), "\r", mustScript(t, v, "list_rooms", nil))
	g.line(c, "ends it", []byte("rooms\n"), "\n", mustScript(t, v, "list_rooms", nil))
	g.line(c, "last", []byte("l\n"), "\n", "")
	steps := g.b.Case().Conns[c].Steps

	login := waitOf(t, steps[1])
	assert.True(t, login.MatchString("OK welcome u\nROOM you are in Main Room\n"))
	assert.True(t, login.MatchString("ERR wrong username or password\n"), "a refusal ends the action")
	assert.False(t, login.MatchString("OK welcome u\n"), "the whole answer")
	assert.Equal(t, "OK welcome u\nROOM you are in Main Room\n",
		login.FindString("OK welcome u\nROOM you are in Main Room\n[Main Room] x: y\n"), "and not more")

	assert.True(t, waitOf(t, steps[2]).MatchString("OK created bad\uFFFDname\n"), "the server cleans the name")
	assert.Nil(t, steps[3].Fill, "nothing comes until the line ends")
	any := waitOf(t, steps[4])
	assert.True(t, any.MatchString("ERR usage: whatever\n"))
	assert.True(t, any.MatchString("ROOMS Main Room\n"))
	assert.False(t, any.MatchString("[Main Room] bob: hi\n"), "a room message is no answer")
}

// mustScript is the answer to the one line of a reference action.
func mustScript(t *testing.T, v vocabulary, action string, vars map[string]string) string {
	t.Helper()
	_, lines := v.script(action, vars)
	require.Len(t, lines, 1)
	return lines[0].answer
}
