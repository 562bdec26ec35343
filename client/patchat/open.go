package patchat

import (
	"context"
	"errors"
	"fmt"
	"time"

	wire "github.com/chatspec/chatspec/wire/patchat"
)

// RefusedError says the server refused the greeting on every try; Result is
// the last refusal (its Text is what the server said).
type RefusedError struct {
	Tries  int
	Result wire.Result
}

// Error names the refusal.
func (e *RefusedError) Error() string {
	return fmt.Sprintf("%v %d times, last with %q", ErrRefused, e.Tries, e.Result.Text)
}

// Unwrap gives ErrRefused.
func (e *RefusedError) Unwrap() error { return ErrRefused }

// Open dials and reads the greeting. A greeting the server refuses (or a
// connection it closes at once) is tried again, backing off, until retryFor
// has passed: a server counts its capacity in connections, and those of a
// client that just left may not be released yet. Success holds one
// connection, so it never hides a server that serves fewer than it should.
// A missing or unrecognised greeting is not retried: it is the engine's
// error, usually a *wire.ExpectError.
func Open(ctx context.Context, addr string, d *wire.Dialect, opts Options, retryFor time.Duration) (*Session, error) {
	deadline := time.Now().Add(retryFor)
	pause := 5 * time.Millisecond
	for tries := 1; ; tries++ {
		s, err := Dial(ctx, addr, d, opts)
		if err != nil {
			return nil, err
		}
		res, err := greet(ctx, s)
		if err == nil && !res.Refused {
			return s, nil
		}
		_ = s.Close()
		if (err != nil && !errors.Is(err, wire.ErrClosed)) || time.Now().Add(pause).After(deadline) {
			if err != nil {
				return nil, err
			}
			return nil, &RefusedError{Tries: tries, Result: res}
		}
		s.Notef("refused; trying again in %v", pause)
		if err := pauseFor(ctx, pause); err != nil {
			return nil, err
		}
		pause = min(2*pause, 100*time.Millisecond)
	}
}

// greet runs the greeting action under one expect deadline per expect.
func greet(ctx context.Context, s *Session) (wire.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, ActionBudget(s.Dialect(), wire.ActionGreeting, s.Timeout()))
	defer cancel()
	return s.Do(ctx, wire.ActionGreeting, nil)
}

// ActionBudget is the time an action may take: one timeout per expect step
// (at least one).
func ActionBudget(d *wire.Dialect, action string, timeout time.Duration) time.Duration {
	n := 1
	if a, ok := d.Actions[action]; ok {
		n = max(countExpects(a.Steps), 1)
	}
	return time.Duration(n) * timeout
}

// countExpects counts the expect steps of a script.
func countExpects(st []wire.Step) int {
	n := 0
	for _, s := range st {
		if s.Expect != "" {
			n++
		}
	}
	return n
}

// pauseFor waits d between retries (a back-off, not a wait for the
// network), or until ctx ends.
func pauseFor(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
