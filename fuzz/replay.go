package fuzz

import (
	"context"
	"errors"
	"fmt"
)

// ErrProtocolMismatch means a finding is for another protocol than the one asked.
var ErrProtocolMismatch = errors.New("fuzz: finding is for another protocol")

// Replay runs a finding's case once against a healthy server and returns
// what fired (nil: nothing did). The server is checked first, so a dead
// server is an error, never a reproduction.
func Replay(ctx context.Context, o *Oracles, f Finding) (*Verdict, error) {
	if f.Case.Protocol != "" && f.Case.Protocol != o.Protocol.Name() {
		return nil, fmt.Errorf("%w: %s, not %s", ErrProtocolMismatch, f.Case.Protocol, o.Protocol.Name())
	}
	if v := o.Observe(ctx); v != nil {
		return nil, fmt.Errorf("%w: %s", ErrTargetUnhealthy, v.Title)
	}
	return o.RunAlone(ctx, f.Case), nil
}

// MinimiseReport says how a minimisation went.
type MinimiseReport struct {
	Tests                   int // cases executed
	BeforeBytes, AfterBytes int
	BeforeConns, AfterConns int
	BeforeSteps, AfterSteps int
}

// MinimiseFinding shrinks f's case while the same oracle (kind and oracle
// name) still fires when it runs alone. The server is restarted before a
// test whenever the previous one left it unhealthy; a server chatspec cannot
// restart limits this to protocol findings.
func MinimiseFinding(ctx context.Context, o *Oracles, f Finding, maxTests int) (Finding, MinimiseReport, error) {
	want, err := Replay(ctx, o, f)
	if err != nil {
		return f, MinimiseReport{}, err
	}
	if want == nil || want.Kind != f.Kind {
		return f, MinimiseReport{}, fmt.Errorf("fuzz: finding does not reproduce (%v), nothing to minimise", want)
	}
	rep := MinimiseReport{BeforeBytes: f.Case.Size(), BeforeConns: len(f.Case.Conns), BeforeSteps: f.Case.StepCount()}
	dirty := want.Kind != KindProtocol
	var last *Verdict
	var lastLog string
	stillFails := func(c Case) bool {
		if ctx.Err() != nil {
			return false
		}
		if dirty {
			if o.Restart(ctx) != nil {
				return false
			}
		}
		rep.Tests++
		got := o.RunAlone(ctx, c)
		dirty = got != nil && got.Kind != KindProtocol
		if got.Same(want) {
			last, lastLog = got, o.LogTail()
			return true
		}
		return false
	}
	small := MinimiseWith(f.Case, stillFails, MinimiseOptions{MaxTests: maxTests, Reducers: o.Protocol.Reducers()})
	if dirty {
		_ = o.Restart(ctx)
	}
	out := f
	out.Case = small
	if last != nil {
		out.Title, out.Detail = last.Title, last.Detail
		out.ServerLog = lastLog
	}
	rep.AfterBytes, rep.AfterConns, rep.AfterSteps = small.Size(), len(small.Conns), small.StepCount()
	return out, rep, nil
}
