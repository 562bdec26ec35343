// Package steps runs chatspec's Gherkin suites with godog and turns every
// scenario into a results.Result. Protocol step definitions live in the
// sub-packages; this package holds what they share: the per-scenario state,
// the failure type, tag handling and the runner.
package steps

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chatspec/chatspec/profile"
	"github.com/chatspec/chatspec/target"
	"github.com/chatspec/chatspec/transcript"
	"github.com/cucumber/godog"
)

// Env is what every scenario of a run shares: where the server is and how
// long to wait. It is read-only once the run starts.
type Env struct {
	Target  target.Target
	Profile profile.Profile
	// Timeout is the longest wait for a reply the server owes.
	Timeout time.Duration
	// Quiet is how long a "nothing arrives" check listens.
	Quiet time.Duration
	// Long allows checks that wait longer than Profile.LongWait.
	Long bool
	// Dialect names the Pat Chat dialect file in use (for reports).
	Dialect string
	// Extra carries protocol-specific run-wide values (the Pat Chat dialect).
	Extra any
}

// Addr is the address scenarios dial.
func (e *Env) Addr() string { return e.Target.Addr() }

// Scenario is the state of one running scenario. The runner makes a fresh one
// for each scenario; protocol worlds embed it. Nothing in it is shared.
type Scenario struct {
	Env *Env
	Log *transcript.Log
	ID  string // unique letters, used in nicknames and tokens

	mu         sync.Mutex
	notes      []string
	skip       string
	untestable string
	tokens     int
	cleanups   []func()
}

// NewScenario makes the state of one scenario.
func NewScenario(env *Env) *Scenario {
	return &Scenario{Env: env, Log: transcript.New(), ID: randomLetters(6)}
}

const letters = "abcdefghijklmnopqrstuvwxyz"

// randomLetters returns n random lower-case letters. Letters only, so that
// no nickname or token can be mistaken for a port number (COP-2.6-2).
func randomLetters(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}

// Nick is the unique name of a role ("alice") in this scenario, short enough
// for the default 32-byte limit: "alice_qwerty".
func (s *Scenario) Nick(role string) string {
	if len(role) > 16 {
		role = role[:16]
	}
	return role + "_" + s.ID
}

// Token returns a fresh message text that no other scenario can send.
func (s *Scenario) Token(label string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens++
	return fmt.Sprintf("%s-%s-%d-%s", label, s.ID, s.tokens, randomLetters(4))
}

// Notef records an observation shown in the report (INFO rows, hints).
func (s *Scenario) Notef(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notes = append(s.notes, fmt.Sprintf(format, args...))
}

// Notes returns the observations so far.
func (s *Scenario) Notes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.notes...)
}

// Skip ends the scenario as SKIPPED, with the reason shown in the report.
func (s *Scenario) Skip(reason string) error {
	s.mu.Lock()
	s.skip = reason
	s.mu.Unlock()
	return godog.ErrSkip
}

// Untestable ends the scenario as UNTESTABLE in this mode, saying why.
func (s *Scenario) Untestable(reason string) error {
	s.mu.Lock()
	s.untestable = reason
	s.mu.Unlock()
	return godog.ErrSkip
}

// OnCleanup registers f to run when the scenario ends (close connections).
func (s *Scenario) OnCleanup(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cleanups = append(s.cleanups, f)
}

func (s *Scenario) cleanup() {
	s.mu.Lock()
	fs := s.cleanups
	s.cleanups = nil
	s.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

// CheckError is a failed check: the message, every alternative the check
// would have accepted, and what arrived. Step definitions return it.
type CheckError struct {
	Msg      string
	Expected []string
	Actual   string
	TimedOut bool
	Wait     time.Duration
}

func (e *CheckError) Error() string {
	var sb strings.Builder
	sb.WriteString(e.Msg)
	if len(e.Expected) > 0 {
		fmt.Fprintf(&sb, "\n  expected one of: %s", strings.Join(e.Expected, " | "))
	}
	if e.Actual != "" {
		fmt.Fprintf(&sb, "\n  actual: %s", e.Actual)
	}
	if e.TimedOut {
		fmt.Fprintf(&sb, "\n  (waited %v)", e.Wait.Round(time.Millisecond))
	}
	return sb.String()
}

// Failf builds a CheckError.
func Failf(expected []string, actual string, format string, args ...any) error {
	return &CheckError{Msg: fmt.Sprintf(format, args...), Expected: expected, Actual: actual}
}

// AsCheck extracts a CheckError from err, if there is one.
func AsCheck(err error) (*CheckError, bool) {
	var ce *CheckError
	ok := errors.As(err, &ce)
	return ce, ok
}

// ErrInconclusive is matched by every *SetupError: the scenario's setup could
// not complete, so its own check never ran and its requirement is not judged.
var ErrInconclusive = errors.New("inconclusive: setup could not complete")

// ErrHarness marks chatspec's own defects met while a scenario runs (bad hex
// in a feature, a step that cannot run): the row is ERROR, never FAIL.
var ErrHarness = errors.New("chatspec defect")

// SetupError says which part of a scenario's setup could not be done (log in,
// register, negotiate a private connection, create a room) and, where one
// exists, the requirement whose own scenario checks that part. The runner
// turns it into an INCONCLUSIVE row.
type SetupError struct {
	What string // "the private connection could not be negotiated"
	See  string // a requirement ID whose own scenario covers it, or ""
	Err  error  // what went wrong, often a *CheckError
}

func (e *SetupError) Error() string {
	msg := "blocked: " + e.What
	if e.See != "" {
		msg += ", see " + e.See
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap exposes ErrInconclusive and the cause to errors.Is and errors.As.
func (e *SetupError) Unwrap() []error { return []error{ErrInconclusive, e.Err} }

// Blocked wraps a setup step's error as a *SetupError; nil stays nil. A
// harness defect (ErrHarness) passes through unchanged: it is never hidden
// as an INCONCLUSIVE.
func Blocked(what, see string, err error) error {
	if err == nil || errors.Is(err, ErrHarness) || errors.Is(err, ErrInconclusive) {
		return err
	}
	return &SetupError{What: what, See: see, Err: err}
}

// Harnessf builds an error matching ErrHarness.
func Harnessf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrHarness, fmt.Sprintf(format, args...))
}
