// Package chatos holds the step definitions of the ChatOS suite. Each file
// covers one area of the document; world.go holds the per-scenario state and
// the helpers every area shares.
package chatos

import (
	"context"
	"fmt"
	"net"
	"regexp"
	"strings"
	"sync"
	"time"

	client "github.com/chatspec/chatspec/client/chatos"
	"github.com/chatspec/chatspec/steps"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/cucumber/godog"
)

// Suite returns the ChatOS suite over the given feature files.
func Suite(features steps.Suite) steps.Suite {
	features.Protocol = "chatos"
	features.Init = initScenario
	return features
}

// actor is one role of a scenario ("alice") and its connections.
type actor struct {
	role, nick string
	main       *client.Client
	bridge     *client.Client // the private connection, once opened
	attempted  string         // the nickname of the last login attempt
	public     string         // text of the last public message sent
	private    string         // text of the last private message sent
	privateTo  string         // its recipient's nickname
	privates   []sent         // every private message sent, in order
	ids        []int64        // connect ids received, in order
	peers      []string       // the far end's nickname of each of ids
	sentRaw    []byte         // bytes last sent on the private connection
	departed   bool           // the actor closed its connections
}

// sent is one private message an actor sent.
type sent struct{ to, text string }

// world is the state of one ChatOS scenario.
type world struct {
	*steps.Scenario
	actors      map[string]*actor
	crowd       []*client.Client // the many clients of COP-R-5
	flood       []string         // texts of a flood, in order
	lastRawFrom string           // who last sent raw bytes on a private connection
	crowdErr    error            // failures of the crowd logins (COP-R-5)
	closeWait   time.Duration    // how long "is disconnected" waits, when longer than the timeout
	floodConn   net.Conn         // the connection the flood is written on
	floodFrames [][]byte         // the flood's frames, in order
	stalled     string           // the role that stopped reading
}

func initScenario(sc *godog.ScenarioContext, s *steps.Scenario) {
	w := &world{Scenario: s, actors: map[string]*actor{}}
	s.OnCleanup(w.closeAll)
	registerLogin(sc, w)
	registerMessages(sc, w)
	registerPrivate(sc, w)
	registerRobustness(sc, w)
	registerObservations(sc, w)
	registerRawCase(sc, w)
	registerSensitivity(sc, w)
}

// who returns the actor playing role, creating it on first mention.
func (w *world) who(role string) *actor {
	a, ok := w.actors[role]
	if !ok {
		a = &actor{role: role, nick: w.Nick(role)}
		w.actors[role] = a
	}
	return a
}

func (w *world) options() client.Options {
	return client.Options{Timeout: w.Env.Timeout, Unrelated: w.unrelated}
}

// otherMark matches the nicknames ("alice_qwerty") and tokens
// ("pub-qwerty-3-abcd") every scenario makes (steps.Scenario.Nick, Token).
var otherMark = regexp.MustCompile(`[a-z]_[a-z]{6}\b|-[a-z]{6}-[0-9]+-`)

// unrelated reports a packet of another scenario running at the same time:
// it names another scenario's nicknames or tokens and none of this one's. A
// packet with no scenario's mark at all (an empty nickname, garbage) is
// evidence, never unrelated.
func (w *world) unrelated(p wire.Packet) bool {
	s := p.String()
	return !strings.Contains(s, w.ID) && otherMark.MatchString(s)
}

// dial opens a new connection for an actor, labelled name in the transcript.
func (w *world) dial(name string) (*client.Client, error) {
	ctx, cancel := context.WithTimeout(context.Background(), w.Env.Timeout)
	defer cancel()
	c, err := client.Dial(ctx, w.Env.Addr(), name, w.Log, w.options())
	if err != nil {
		return nil, steps.Stage(name+" could not connect", "",
			steps.Failf([]string{"a TCP connection to " + w.Env.Addr()}, err.Error(), "%s could not connect", name))
	}
	return c, nil
}

// connect gives the actor a main connection, if it has none.
func (w *world) connect(a *actor) error {
	if a.main != nil {
		return nil
	}
	c, err := w.dial(a.role)
	if err != nil {
		return err
	}
	a.main = c
	return nil
}

func (w *world) closeAll() {
	var all []*client.Client
	for _, a := range w.actors {
		all = append(all, a.main, a.bridge)
	}
	all = append(all, w.crowd...)
	// Each Close reads briefly what already arrived (drainWait): at once, so
	// that a crowd of 200 costs one drain, not 200 in a row.
	var wg sync.WaitGroup
	for _, c := range all {
		if c != nil {
			wg.Go(func() { _ = c.Close() })
		}
	}
	wg.Wait()
}

// expect waits on c for a packet matching m, turning a miss into a CheckError.
func (w *world) expect(c *client.Client, m client.Matcher, wait time.Duration) (wire.Packet, error) {
	p, err := c.Expect(m, wait)
	if err != nil {
		return nil, checkFrom(err)
	}
	return p, nil
}

// checkFrom turns the client's wait errors into report failures.
func checkFrom(err error) error {
	if ee, ok := err.(*client.ExpectError); ok {
		got := "nothing"
		if len(ee.Got) > 0 {
			got = strings.Join(ee.Got, "; ")
		}
		return &steps.CheckError{
			Msg:      fmt.Sprintf("%s did not receive what it should (%v)", ee.Conn, ee.Reason),
			Expected: ee.Want, Actual: got, TimedOut: ee.Reason == client.ErrNoMatch, Wait: ee.Wait,
		}
	}
	return err
}

// is builds a matcher for one packet value exactly.
func is(p wire.Packet) client.Matcher {
	return client.Matcher{Want: []string{p.String()}, Match: func(got wire.Packet) bool { return got == p }}
}

// anyOf builds a matcher accepting any of the given packets.
func anyOf(ps ...wire.Packet) client.Matcher {
	m := client.Matcher{}
	for _, p := range ps {
		m.Want = append(m.Want, p.String())
	}
	m.Match = func(got wire.Packet) bool {
		for _, p := range ps {
			if got == p {
				return true
			}
		}
		return false
	}
	return m
}

// needMain fails clearly when a step uses an actor that never connected.
func needMain(a *actor) error {
	if a.main == nil {
		return steps.Harnessf("%s has no connection in this scenario", a.role)
	}
	return nil
}
