package patchat

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Result is what an action produced. Refused is set when a refuse pattern
// matched first (the error is then nil). Vars holds the inputs and every
// captured group; Items the pieces of a split; Text every text matched by the
// action's expects (and refuse); Skipped the text passed over before them.
type Result struct {
	Action  string
	Refused bool
	Vars    Vars
	Items   []string
	Text    string
	Skipped string
}

// Do runs one action of the dialect with the given inputs. It sends each
// line after the previous reply (P2); each expect gets its own deadline, the
// dialect's timeout or ctx's deadline, whichever comes first.
func (e *Engine) Do(ctx context.Context, action string, vars Vars) (Result, error) {
	e.doMu.Lock()
	defer e.doMu.Unlock()
	res := Result{Action: action, Vars: Vars{}}
	for k, v := range vars {
		res.Vars[k] = v
	}
	a, ok := e.d.Actions[action]
	if !ok {
		return res, fmt.Errorf("%w: %q", ErrUnknownAction, action)
	}
	if _, given := res.Vars[VarCurrent]; !given && e.Current() != "" {
		res.Vars[VarCurrent] = e.Current()
	}
	err := e.run(ctx, a.Steps, action, &res, true)
	if err == nil && !res.Refused {
		e.track(action, res.Vars)
	}
	return res, err
}

// run executes steps; a refusal runs the step's OnRefuse steps and stops.
func (e *Engine) run(ctx context.Context, steps []Step, action string, res *Result, top bool) error {
	for i := range steps {
		st := &steps[i]
		if st.When != "" && res.Vars[st.When] == "" {
			continue
		}
		if st.Quiet > 0 {
			if err := e.quietStep(ctx, st.Quiet, action, i); err != nil {
				return err
			}
			continue
		}
		if st.Expect == "" {
			if err := e.paced(ctx, action, i); err != nil {
				return err
			}
			if err := e.send(ctx, st, res.Vars); err != nil {
				return fmt.Errorf("action %s step %d: %w", action, i, err)
			}
			e.setUnanswered(true)
			continue
		}
		refused, err := e.expectStep(ctx, st, action, i, res)
		if err != nil {
			return err
		}
		if refused {
			res.Refused = true
			if top {
				return e.run(ctx, st.OnRefuse, action+" on_refuse", res, false)
			}
			return nil
		}
	}
	return nil
}

// send builds and writes one line.
func (e *Engine) send(ctx context.Context, st *Step, vars Vars) error {
	line, err := st.send.line(e.values(vars), e.d.LineEnding)
	if err != nil {
		return err
	}
	return e.write(ctx, []byte(line+e.d.LineEnding))
}

// write sends p under the earlier of the engine's timeout and ctx's deadline.
func (e *Engine) write(ctx context.Context, p []byte) error {
	e.writeMu.Lock()
	defer e.writeMu.Unlock()
	if dw, ok := e.rw.(interface{ SetWriteDeadline(time.Time) error }); ok {
		_ = dw.SetWriteDeadline(e.deadline(ctx))
	}
	if _, err := e.rw.Write(p); err != nil {
		if isTimeout(err) {
			return fmt.Errorf("%w: server did not read %d bytes in time", ErrTimeout, len(p))
		}
		return fmt.Errorf("%w: send: %v", ErrClosed, err)
	}
	return nil
}

// SendRaw writes p as is (no line ending added) under the send deadline; it
// is for robustness checks that must send what no action would.
func (e *Engine) SendRaw(ctx context.Context, p []byte) error {
	return e.write(ctx, p)
}

// waitDeadline is ctx's deadline, or now plus the timeout when it has none.
func (e *Engine) waitDeadline(ctx context.Context) time.Time {
	if cd, ok := ctx.Deadline(); ok {
		return cd
	}
	return time.Now().Add(e.timeout)
}

// deadline is now plus the timeout, or ctx's deadline when earlier.
func (e *Engine) deadline(ctx context.Context) time.Time {
	d := time.Now().Add(e.timeout)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		return cd
	}
	return d
}

// expectStep waits for the expect or refuse pattern, captures named groups
// and records the matched and skipped text.
func (e *Engine) expectStep(ctx context.Context, st *Step, action string, i int, res *Result) (bool, error) {
	alts, srcs, err := e.compile(st, res.Vars)
	if err != nil {
		return false, fmt.Errorf("action %s step %d: %w", action, i, err)
	}
	deadline := e.deadline(ctx)
	wait := time.Until(deadline)
	which, m, err := e.await(ctx, deadline, alts)
	if err != nil {
		got := e.Unconsumed()
		return false, &ExpectError{Dialect: e.d.label(), Action: action, Step: i, Patterns: srcs, Got: truncate(got, maxGot),
			Late: matchesAny(alts, got), Wait: wait.Round(time.Millisecond), Err: err}
	}
	e.setUnanswered(false)
	res.Skipped += m.skipped
	res.Text += m.text
	for name, v := range m.groups {
		res.Vars[name] = v
	}
	if which == 0 && st.Split != nil {
		items, table := st.Split.items(res.Vars[st.Split.Var])
		res.Items = append(res.Items, items...)
		if table != nil {
			e.remember(st.Split.Table, table)
		}
	}
	return which == 1, nil
}

// compile builds the step's patterns with the current values.
func (e *Engine) compile(st *Step, vars Vars) ([]*regexp.Regexp, []string, error) {
	ts := []template{st.expect}
	if st.Refuse != "" {
		ts = append(ts, st.refuse)
	}
	var res []*regexp.Regexp
	var srcs []string
	for _, t := range ts {
		src, err := t.pattern(e.values(vars))
		if err != nil {
			return nil, nil, err
		}
		re, err := regexp.Compile(src)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: pattern %q: %v", ErrInvalidDialect, src, err)
		}
		res = append(res, re)
		srcs = append(srcs, src)
	}
	return res, srcs, nil
}

// hit is a consumed match: its text, what was skipped, the named groups.
type hit struct {
	text, skipped string
	groups        map[string]string
}

// await waits until one of alts matches the buffer (the earliest match wins;
// on a tie the first alternative), consumes up to its end and returns its
// index. It fails when reading has stopped and nothing matches, at the
// deadline, or when ctx ends.
func (e *Engine) await(ctx context.Context, deadline time.Time, alts []*regexp.Regexp) (int, hit, error) {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		e.mu.Lock()
		if which, m, ok := e.consume(alts); ok {
			e.mu.Unlock()
			return which, m, nil
		}
		stopped, ch := e.err, e.changed
		e.mu.Unlock()
		if stopped != nil {
			return -1, hit{}, stopped
		}
		select {
		case <-ch:
		case <-timer.C:
			return -1, hit{}, fmt.Errorf("%w: nothing matched", ErrTimeout)
		case <-ctx.Done():
			return -1, hit{}, ctxErr(ctx, "waiting for a reply")
		}
	}
}

// consume finds the earliest match among alts and removes the text up to its
// end from the buffer; the caller holds mu.
func (e *Engine) consume(alts []*regexp.Regexp) (int, hit, bool) {
	which, best := -1, []int(nil)
	for i, re := range alts {
		if loc := re.FindSubmatchIndex(e.buf); loc != nil && (best == nil || loc[0] < best[0]) {
			which, best = i, loc
		}
	}
	if best == nil {
		return -1, hit{}, false
	}
	m := hit{text: string(e.buf[best[0]:best[1]]), skipped: string(e.buf[:best[0]]), groups: map[string]string{}}
	for i, name := range alts[which].SubexpNames() {
		if name != "" && best[2*i] >= 0 {
			m.groups[name] = string(e.buf[best[2*i]:best[2*i+1]])
		}
	}
	e.buf = e.buf[best[1]:]
	return which, m, true
}

// WaitMessage returns the first queued or future room message for which
// match returns true (nil matches any) and removes it from the queue; other
// messages stay queued for other waiters. It waits until ctx's deadline, or
// for the engine's timeout when ctx has none.
func (e *Engine) WaitMessage(ctx context.Context, match func(RoomMessage) bool) (RoomMessage, error) {
	timer := time.NewTimer(time.Until(e.waitDeadline(ctx)))
	defer timer.Stop()
	for {
		e.mu.Lock()
		for i, m := range e.pending {
			if match == nil || match(m) {
				if i == 0 {
					e.pending = e.pending[1:]
				} else {
					e.pending = append(e.pending[:i:i], e.pending[i+1:]...)
				}
				e.mu.Unlock()
				return m, nil
			}
		}
		stopped, ch, n := e.err, e.changed, len(e.pending)
		e.mu.Unlock()
		if stopped != nil {
			return RoomMessage{}, fmt.Errorf("no matching room message among %d queued: %w", n, stopped)
		}
		select {
		case <-ch:
		case <-timer.C:
			return RoomMessage{}, fmt.Errorf("%w: no matching room message (%d others queued: %s)", ErrTimeout, n, e.describePending())
		case <-ctx.Done():
			return RoomMessage{}, ctxErr(ctx, "waiting for a room message")
		}
	}
}

// describePending lists the queued messages briefly, for error messages.
func (e *Engine) describePending() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var b strings.Builder
	for i, m := range e.pending {
		if i == 5 {
			fmt.Fprintf(&b, " …")
			break
		}
		fmt.Fprintf(&b, " %q", m.Raw)
	}
	return truncate(b.String(), maxGot)
}

// WaitClosed waits until the server closes the connection (nil), or fails
// with ErrTimeout at ctx's deadline (the engine's timeout when it has none);
// any text that arrives meanwhile stays unconsumed.
func (e *Engine) WaitClosed(ctx context.Context) error {
	timer := time.NewTimer(time.Until(e.waitDeadline(ctx)))
	defer timer.Stop()
	for {
		e.mu.Lock()
		stopped, ch := e.err, e.changed
		e.mu.Unlock()
		if stopped != nil {
			if errors.Is(stopped, ErrClosed) {
				return nil
			}
			return stopped
		}
		select {
		case <-ch:
		case <-timer.C:
			return fmt.Errorf("%w: connection still open", ErrTimeout)
		case <-ctx.Done():
			return ctxErr(ctx, "waiting for the server to close")
		}
	}
}

// ctxErr explains why ctx ended: its deadline counts as ErrTimeout.
func ctxErr(ctx context.Context, what string) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: %s: %w", ErrTimeout, what, ctx.Err())
	}
	return fmt.Errorf("%s: %w", what, ctx.Err())
}

// matchesAny tells whether text that is there now matches one of alts: a
// reply that came just after the deadline, not one the dialect misreads.
func matchesAny(alts []*regexp.Regexp, text string) bool {
	for _, re := range alts {
		if re.MatchString(text) {
			return true
		}
	}
	return false
}
