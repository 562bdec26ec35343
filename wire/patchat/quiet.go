package patchat

import (
	"context"
	"fmt"
	"time"
)

// setUnanswered records whether a line was sent since the last reply or
// quiet period (Dialect.Pace waits before the next send only then).
func (e *Engine) setUnanswered(v bool) {
	e.mu.Lock()
	e.unanswered = v
	e.mu.Unlock()
}

// paced waits for the dialect's pace before a send that follows another
// send with no reply between them, so that the two lines reach a server
// that takes one read as one input apart.
func (e *Engine) paced(ctx context.Context, action string, i int) error {
	e.mu.Lock()
	wait := e.unanswered && e.d.Pace > 0
	e.mu.Unlock()
	if !wait {
		return nil
	}
	return e.quietStep(ctx, e.d.Pace, action, i)
}

// quietStep waits until nothing has arrived for d, under the step deadline.
func (e *Engine) quietStep(ctx context.Context, d time.Duration, action string, i int) error {
	deadline := e.deadline(ctx)
	wait := time.Until(deadline)
	if err := e.WaitQuiet(ctx, d, deadline); err != nil {
		return &ExpectError{Dialect: e.d.label(), Action: action, Step: i, Patterns: []string{fmt.Sprintf("quiet for %v", d)},
			Got: truncate(e.Unconsumed(), maxGot), Wait: wait.Round(time.Millisecond), Err: err}
	}
	e.setUnanswered(false)
	return nil
}

// WaitQuiet returns once nothing has arrived for d (counting from the call
// or the last arrival, whichever is later), or when reading has stopped: a
// closed stream is quiet. It fails with ErrTimeout when the server is still
// talking at the deadline, or when ctx ends.
func (e *Engine) WaitQuiet(ctx context.Context, d time.Duration, deadline time.Time) error {
	start := time.Now()
	for {
		e.mu.Lock()
		from, stopped, ch := e.last, e.err, e.changed
		e.mu.Unlock()
		if from.Before(start) {
			from = start
		}
		left := time.Until(from.Add(d))
		if left <= 0 || stopped != nil {
			return nil
		}
		if from.Add(d).After(deadline) && !time.Now().Before(deadline) {
			return fmt.Errorf("%w: the server was not quiet for %v", ErrTimeout, d)
		}
		if err := e.waitChange(ctx, ch, min(left, max(time.Until(deadline), time.Millisecond))); err != nil {
			return err
		}
	}
}

// waitChange waits for a state change, for at most d, or until ctx ends.
func (e *Engine) waitChange(ctx context.Context, ch <-chan struct{}, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	case <-ctx.Done():
		return ctxErr(ctx, "waiting for quiet")
	}
	return nil
}
