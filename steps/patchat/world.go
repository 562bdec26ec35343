// Package patchat holds the step definitions of the Pat Chat suite. The
// steps drive the server only through the actions of a dialect
// (wire/patchat): no wording of any server appears here, so the same
// features certify the reference server, its menu variant and a student
// server described by its own dialect file. world.go holds the per-scenario
// state and the helpers every area shares; each other file covers one area.
package patchat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	pclient "github.com/chatspec/chatspec/client/patchat"
	"github.com/chatspec/chatspec/dialects"
	"github.com/chatspec/chatspec/steps"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/cucumber/godog"
)

// Protocol is the name of this suite in results and reports.
const Protocol = "patchat"

// MainRoom is the room the document puts every user in at login (6.1).
const MainRoom = "Main Room"

// ErrNoDialect means the run gave no usable dialect in Env.Extra.
// It matches steps.ErrHarness: the row is an ERROR, never a verdict.
var ErrNoDialect = fmt.Errorf("%w: the Pat Chat suite needs a *patchat.Dialect in Env.Extra", steps.ErrHarness)

// Suite returns the Pat Chat suite over the given feature files. The run's
// Env.Extra must hold the *wire/patchat.Dialect to drive the server with;
// when it is nil the reference dialect is used.
func Suite(features steps.Suite) steps.Suite {
	features.Protocol = Protocol
	features.Init = initScenario
	return features
}

// actor is one role of a scenario ("alice"): its account and its main
// connection, plus the outcome of the last action it attempted.
type actor struct {
	role, user, password string
	sess                 *pclient.Session
	login                wire.Result // the accepted login
	last                 attempt
}

// attempt is an action whose verdict a later step gives ("is refused").
type attempt struct {
	action string
	res    wire.Result
	err    error
}

// world is the state of one Pat Chat scenario.
type world struct {
	*steps.Scenario
	d       *wire.Dialect
	dErr    error
	actors  map[string]*actor
	rooms   map[string]string // feature label -> room name on the server
	created map[string]bool   // labels of the rooms that exist on the server
	texts   map[string]string // feature label -> unique message text

	mu   sync.Mutex // guards sess (the crowd dials from several goroutines)
	sess []*pclient.Session

	crowd        []*member        // PAT-3-5, PAT-3-6
	extra        *pclient.Session // the client beyond the capacity (PAT-3-6)
	extraErr     error            // why it could not connect
	extraBounced bool             // its TCP connection was refused or reset
}

func initScenario(sc *godog.ScenarioContext, s *steps.Scenario) {
	w := &world{Scenario: s, actors: map[string]*actor{}, rooms: map[string]string{MainRoom: MainRoom},
		created: map[string]bool{MainRoom: true}, texts: map[string]string{}}
	w.d, w.dErr = dialectOf(s.Env)
	s.OnCleanup(w.closeAll)
	sc.Before(func(ctx context.Context, _ *godog.Scenario) (context.Context, error) {
		return ctx, w.dErr
	})
	registerLogin(sc, w)
	registerRooms(sc, w)
	registerMessages(sc, w)
	registerCapacity(sc, w)
	registerServer(sc, w)
	registerRobustness(sc, w)
	registerRawCase(sc, w)
	registerSensitivity(sc, w)
}

var (
	defaultOnce    sync.Once
	defaultDialect *wire.Dialect
	defaultErr     error
)

// dialectOf returns the run's dialect: Env.Extra, or the bundled reference
// dialect when Extra is nil.
func dialectOf(env *steps.Env) (*wire.Dialect, error) {
	switch d := env.Extra.(type) {
	case *wire.Dialect:
		if d != nil {
			return d, nil
		}
	case nil:
	default:
		return nil, fmt.Errorf("%w (got %T)", ErrNoDialect, env.Extra)
	}
	defaultOnce.Do(func() {
		defaultDialect, defaultErr = dialects.Load(dialects.DefaultName)
	})
	if defaultErr != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoDialect, defaultErr)
	}
	return defaultDialect, nil
}

// who returns the actor playing role, creating it on first mention.
func (w *world) who(role string) *actor {
	a, ok := w.actors[role]
	if !ok {
		a = &actor{role: role, user: w.Nick(role), password: "pw" + strings.ReplaceAll(w.Token(role), "-", "")}
		w.actors[role] = a
	}
	return a
}

// room returns the server-side name of a room label: "Main Room" stays as
// it is, any other label gets the scenario's unique suffix.
func (w *world) room(label string) string {
	label = strings.TrimPrefix(label, "the ")
	if name, ok := w.rooms[label]; ok {
		return name
	}
	name := w.Nick(label)
	w.rooms[label] = name
	return name
}

// text returns the unique message text of a feature label ("hello").
func (w *world) text(label string) string {
	if t, ok := w.texts[label]; ok {
		return t
	}
	t := w.Token(label)
	w.texts[label] = t
	return t
}

// timeout is how long one expectation may wait: the run's timeout, or the
// dialect's when that is longer (a dialect knows its server is slow).
func (w *world) timeout() time.Duration {
	return max(w.Env.Timeout, w.d.Timeout)
}

// defaultQuiet is the quiet window when the run sets none.
const defaultQuiet = 250 * time.Millisecond

// quiet is how long a "receives nothing" check listens after its barrier.
func (w *world) quiet() time.Duration {
	if w.Env.Quiet > 0 {
		return w.Env.Quiet
	}
	return defaultQuiet
}

// options are the client options of a connection named name.
func (w *world) options(name string) pclient.Options {
	return pclient.Options{Options: wire.Options{Timeout: w.timeout()}, Name: name, Log: w.Log}
}

// keep remembers a session so that closeAll and allText find it.
func (w *world) keep(s *pclient.Session) {
	w.mu.Lock()
	w.sess = append(w.sess, s)
	w.mu.Unlock()
}

// dial opens a logged connection named name and starts a dialect session on
// it, without reading the greeting.
func (w *world) dial(name string) (*pclient.Session, error) {
	s, err := pclient.Dial(context.Background(), w.Env.Addr(), w.d, w.options(name))
	if err != nil {
		return nil, steps.Stage(name+" could not connect", "", dialFailure(name, w.Env.Addr(), err))
	}
	w.keep(s)
	return s, nil
}

// dialFailure reports a connection that could not be made.
func dialFailure(name, addr string, err error) error {
	return steps.Failf([]string{"a TCP connection to " + addr}, errors.Unwrap(err).Error(), "%s could not connect", name)
}

// open dials and reads the greeting, retrying a refused greeting for up to
// three timeouts (see pclient.Open).
func (w *world) open(name string) (*pclient.Session, error) {
	s, err := pclient.Open(context.Background(), w.Env.Addr(), w.d, w.options(name), 3*w.timeout())
	var re *pclient.RefusedError
	switch {
	case errors.Is(err, pclient.ErrConnect):
		return nil, steps.Stage(name+" could not connect", "", dialFailure(name, w.Env.Addr(), err))
	case errors.As(err, &re):
		return nil, steps.Stage(name+" was not greeted", "PAT-3-5", steps.Failf([]string{"a greeting"}, re.Result.Text,
			"%s: the server refused the connection (is its capacity below the profile's %d?)", name, w.Env.Profile.Capacity))
	case err != nil:
		return nil, steps.Stage(name+" was not greeted", "", checkFrom(name, wire.ActionGreeting, err))
	}
	w.keep(s)
	return s, nil
}

// connect gives the actor a main connection past the greeting, if it has none.
func (w *world) connect(a *actor) error {
	if a.sess != nil {
		return nil
	}
	s, err := w.open(a.role)
	if err != nil {
		return err
	}
	a.sess = s
	return nil
}

func (w *world) closeAll() {
	w.recordReceived()
	w.mu.Lock()
	sess := w.sess
	w.sess = nil
	w.mu.Unlock()
	for _, s := range sess {
		_ = s.Close()
	}
}

// do runs one action under a deadline that covers each of its expects.
// After a login whose reply names no room, {current} is the Main Room (6.1).
func (w *world) do(s *pclient.Session, action string, vars wire.Vars) (wire.Result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), pclient.ActionBudget(w.d, action, w.timeout()))
	defer cancel()
	answered := w.recordAction(s, action, vars)
	res, err := s.Do(ctx, action, vars)
	answered(res, err)
	if err == nil && !res.Refused && action == wire.ActionLogin && res.Vars[wire.VarRoom] == "" {
		s.SetCurrent(MainRoom)
	}
	return res, err
}

// accepted runs an action the server must accept: a refusal or a missing
// reply is a failure naming who did what. When the step doing it sets the
// scenario up, the failure blocks the scenario, naming the requirement whose
// own scenario checks that action.
func (w *world) accepted(who string, s *pclient.Session, action string, vars wire.Vars) (wire.Result, error) {
	res, err := w.do(s, action, vars)
	if err != nil {
		err = checkFrom(who, action, err)
	} else if res.Refused {
		err = steps.Failf([]string{"the server accepts " + describe(action, vars)}, res.Text,
			"%s: the server refused %s", who, describe(action, vars))
	}
	return res, steps.Stage(fmt.Sprintf("%s could not %s", who, describe(action, vars)), actionChecks[action], err)
}

// actionChecks names, for each action, the requirement whose own scenario
// checks that the server accepts it.
var actionChecks = map[string]string{
	wire.ActionRegister:        "PAT-4.4-1",
	wire.ActionLogin:           "PAT-4.4-1",
	wire.ActionCreate:          "PAT-6.3-1",
	wire.ActionJoin:            "PAT-6.3-3",
	wire.ActionLeave:           "PAT-6.4-1",
	wire.ActionSwitch:          "PAT-6.1-2",
	wire.ActionListUsers:       "PAT-6.2-1",
	wire.ActionListRooms:       "PAT-4.6-1",
	wire.ActionSay:             "PAT-1-1",
	wire.ActionBroadcast:       "PAT-1-2",
	wire.ActionBroadcastOthers: "PAT-1-3",
	wire.ActionExit:            "PAT-6.5-1",
}

// describe names an action and its inputs for a failure message.
func describe(action string, vars wire.Vars) string {
	var parts []string
	for _, k := range []string{wire.VarUser, wire.VarRoom, wire.VarRooms, wire.VarText} {
		if v, ok := vars[k]; ok {
			parts = append(parts, fmt.Sprintf("%s=%q", k, v))
		}
	}
	if len(parts) == 0 {
		return action
	}
	return action + " (" + strings.Join(parts, ", ") + ")"
}

// checkFrom turns an engine error into a report failure: the patterns the
// dialect would have accepted, and the text that arrived instead. When the
// server did answer but no pattern recognises the answer, the dialect does
// not fit the server: that is not a verdict on the requirement under test,
// so the row is INCONCLUSIVE and names the dialect.
func checkFrom(who, action string, err error) error {
	var ee *wire.ExpectError
	if errors.As(err, &ee) {
		got := "nothing"
		if ee.Got != "" {
			got = fmt.Sprintf("%q", ee.Got)
		}
		why := "no reply the dialect recognises"
		if errors.Is(err, wire.ErrClosed) {
			why = "the connection closed"
		}
		ce := &steps.CheckError{
			Msg:      fmt.Sprintf("%s: %s got %s (dialect step actions.%s[%d])", who, action, why, ee.Action, ee.Step),
			Expected: ee.Patterns, Actual: got, TimedOut: errors.Is(err, wire.ErrTimeout), Wait: ee.Wait,
		}
		if ee.Got != "" && !ee.Late && errors.Is(err, wire.ErrTimeout) {
			return &steps.SetupError{What: fmt.Sprintf("the dialect %s does not recognise the server's answer to %s (actions.%s[%d])",
				ee.Dialect, action, ee.Action, ee.Step), Err: ce}
		}
		return ce
	}
	return fmt.Errorf("%s: %s: %w", who, action, err)
}

// needSession fails clearly when a step uses an actor that never connected.
func needSession(a *actor) error {
	if a.sess == nil {
		return steps.Harnessf("%s has no connection in this scenario", a.role)
	}
	return nil
}

// splitRoles reads "alice", "alice and bob" or "alice, bob and carol".
func splitRoles(list string) []string {
	var out []string
	for _, part := range strings.Split(strings.ReplaceAll(list, " and ", ", "), ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
