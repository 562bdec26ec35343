package patchat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	wire "github.com/chatspec/chatspec/wire/patchat"
)

// ErrDialectMismatch means the server answered a basic action with text
// the dialect does not recognise: the dialect does not fit this server.
var ErrDialectMismatch = errors.New("the dialect does not fit this server")

// MismatchError says which basic action did not fit, at which step of the
// dialect, which patterns were tried and what arrived instead.
type MismatchError struct {
	Dialect  string
	Action   string
	Step     int
	Patterns []string
	Got      string
}

// Error is the preflight message a user acts on.
func (e *MismatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v (dialect %s): action %s, step actions.%s[%d]\n  expected one of:", ErrDialectMismatch,
		e.Dialect, e.Action, e.Action, e.Step)
	for _, p := range e.Patterns {
		fmt.Fprintf(&b, "\n    %q", p)
	}
	fmt.Fprintf(&b, "\n  what arrived: %q", e.Got)
	return b.String()
}

// Unwrap gives ErrDialectMismatch.
func (e *MismatchError) Unwrap() error { return ErrDialectMismatch }

// preflightActions are the basic actions every scenario relies on.
var preflightActions = []string{wire.ActionRegister, wire.ActionLogin, wire.ActionListRooms}

// Preflight runs the basic actions (greeting, register, login, list rooms)
// once with a fresh user before a suite. It returns a *MismatchError when
// the server answers one of them with text the dialect does not recognise;
// any other trouble (silence, a refusal, a closed connection) is left to the
// suite, which judges the server, and Preflight returns nil.
func Preflight(ctx context.Context, addr string, d *wire.Dialect, opts Options, user string) error {
	s, err := Open(ctx, addr, d, opts, 0)
	if err != nil {
		return mismatch(err)
	}
	defer s.Close()
	vars := wire.Vars{wire.VarUser: user, wire.VarPassword: "pw" + user}
	for _, action := range preflightActions {
		actx, cancel := context.WithTimeout(ctx, ActionBudget(d, action, s.Timeout()))
		res, err := s.Do(actx, action, vars)
		cancel()
		if err != nil || res.Refused {
			return mismatch(err)
		}
	}
	return nil
}

// mismatch keeps only the errors that show a dialect that does not fit:
// text arrived and no pattern recognises it (not even late).
func mismatch(err error) error {
	var ee *wire.ExpectError
	if !errors.As(err, &ee) || ee.Got == "" || ee.Late || !errors.Is(err, wire.ErrTimeout) {
		return nil
	}
	return &MismatchError{Dialect: ee.Dialect, Action: ee.Action, Step: ee.Step, Patterns: ee.Patterns, Got: ee.Got}
}

// PreflightUser is a user name for Preflight, unique enough for one run.
func PreflightUser() string {
	return fmt.Sprintf("pf%x", time.Now().UnixNano()&0xffffffffff)
}
