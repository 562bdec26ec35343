package fuzz

import (
	"context"
	"errors"
	"fmt"
)

// ErrProtocolMismatch means a finding is for another protocol than the one asked.
var ErrProtocolMismatch = errors.New("fuzz: finding is for another protocol")

// ErrNotReproduced means a finding's case made nothing fire, so there is
// nothing to minimise.
var ErrNotReproduced = errors.New("fuzz: finding does not reproduce: no oracle fired")

// ErrOtherSignature means a finding's case made something else fire than the
// bug it was recorded with; minimising it would chase the other bug.
var ErrOtherSignature = errors.New("fuzz: finding fires a different signature")

// Replay runs a finding's case once against a healthy server with the test
// the fuzzer confirms findings with, and returns what fired (nil: nothing
// did). The server is checked first, so a dead server is an error, never a
// reproduction.
func Replay(ctx context.Context, o *Oracles, f Finding) (*Verdict, error) {
	if f.Case.Protocol != "" && f.Case.Protocol != o.Protocol.Name() {
		return nil, fmt.Errorf("%w: %s, not %s", ErrProtocolMismatch, f.Case.Protocol, o.Protocol.Name())
	}
	if v := o.Observe(ctx); v != nil {
		return nil, fmt.Errorf("%w: %s", ErrTargetUnhealthy, v.Title)
	}
	return o.Test(ctx, f.Case, f.Kind != KindProtocol), nil
}

// Reproduces reports whether got is the bug f was recorded with. A finding
// file from before signatures (no signature line) compares kind and oracle.
func Reproduces(f Finding, got *Verdict) bool {
	if f.Signature.Key == "" {
		return got != nil && got.Kind == f.Kind && (f.Oracle == "" || got.Oracle == f.Oracle)
	}
	return f.Verdict().Same(got)
}

// MinimiseReport says how a minimisation went.
type MinimiseReport struct {
	Tests                   int // cases executed
	BeforeBytes, AfterBytes int
	BeforeConns, AfterConns int
	BeforeSteps, AfterSteps int
}

// MinimiseFinding shrinks f's case while the same bug (kind, oracle and
// signature) still fires when it runs alone: a smaller case that fires
// another signature is not kept. The server is restarted before a test
// whenever the previous one left it unhealthy; a server chatspec cannot
// restart limits this to protocol findings. When the case does not
// reproduce, the error wraps ErrNotReproduced or ErrOtherSignature.
func MinimiseFinding(ctx context.Context, o *Oracles, f Finding, maxTests int) (Finding, MinimiseReport, error) {
	got, err := Replay(ctx, o, f)
	if err != nil {
		return f, MinimiseReport{}, err
	}
	switch {
	case got == nil:
		return f, MinimiseReport{}, ErrNotReproduced
	case !Reproduces(f, got):
		return f, MinimiseReport{}, fmt.Errorf("%w: %s (%s) %s, not %s (%s) %s", ErrOtherSignature,
			got.Kind, got.Oracle, got.Signature.Key, f.Kind, f.Oracle, f.Signature.Key)
	}
	want := got // a finding without a signature adopts the one that fired
	rep := MinimiseReport{BeforeBytes: f.Case.Size(), BeforeConns: len(f.Case.Conns), BeforeSteps: f.Case.StepCount()}
	m := &minimiseRun{o: o, want: want, dirty: want.Kind != KindProtocol, rep: &rep}
	small := MinimiseWith(f.Case, func(c Case) bool { return m.stillFails(ctx, c) },
		MinimiseOptions{MaxTests: maxTests, Reducers: o.Protocol.Reducers()})
	if m.dirty {
		_ = o.Restart(ctx)
	}
	out := f
	out.Case = small
	out.Title, out.Detail, out.Signature = want.Title, want.Detail, want.Signature
	if m.last != nil {
		out.Title, out.Detail, out.Signature = m.last.Title, m.last.Detail, m.last.Signature
		out.ServerLog = m.lastLog
	}
	rep.AfterBytes, rep.AfterConns, rep.AfterSteps = small.Size(), len(small.Conns), small.StepCount()
	return out, rep, nil
}

// minimiseRun is the state of one MinimiseFinding: the bug wanted and
// whether the server needs a restart before the next test.
type minimiseRun struct {
	o       *Oracles
	want    *Verdict
	dirty   bool
	rep     *MinimiseReport
	last    *Verdict
	lastLog string
}

// stillFails runs c alone on a healthy server: true only when the same
// signature fires.
func (m *minimiseRun) stillFails(ctx context.Context, c Case) bool {
	if ctx.Err() != nil {
		return false
	}
	if !m.dirty && m.want.Kind != KindProtocol && m.o.Observe(ctx) != nil {
		m.dirty = true // the last test's server died late: never blame this one
	}
	if m.dirty && m.o.Restart(ctx) != nil {
		return false
	}
	m.rep.Tests++
	got := m.o.Test(ctx, c, m.want.Kind != KindProtocol)
	m.dirty = got != nil && got.Kind != KindProtocol
	if !m.want.Same(got) {
		return false
	}
	m.last, m.lastLog = got, m.o.LogTail()
	return true
}
