package fuzz

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// How isolate makes sure a culprit fires its own signature (see isolate).
const (
	steadyRuns     = 2 // further runs of a candidate that fired, each the same
	ambiguousTries = 4 // candidates tried after one that fired unsteadily
)

// notAlone is added to a finding's detail when no single case reproduced it.
const notAlone = "(not reproduced when the case ran alone on a fresh server: it may need the cases run before or beside it)"

// triage runs with every worker paused: it confirms a firing on a quiet
// server, finds which recent case causes it by running each alone, records
// the finding and leaves the server healthy (restarted) or stops the run.
func (e *Engine) triage(ctx context.Context, l *lane, v *Verdict, own *recentCase) {
	l.gate.Lock()
	defer l.gate.Unlock()
	if e.isStopped() {
		return
	}
	o := l.o
	tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), triageTimeout)
	defer cancel()
	if v.Oracle == OracleDecode && own != nil {
		v = o.Sign(v, "", &own.c) // the case is known: its connection saw the bytes
	} else if v = o.Observe(tctx); v == nil {
		e.falseAlarms.Add(1) // e.g. a probe starved by load, fine once quiet
		return
	} else {
		v = o.Sign(v, o.LogTail(), nil)
	}
	if e.seenBefore(v) {
		e.heal(tctx, l) // the same trace again: counted, no need to isolate it
		return
	}
	e.record(e.isolateFinding(tctx, l, v, own))
	e.heal(tctx, l)
}

// seenBefore counts a firing whose signature, read from the server's own
// output, was already found.
func (e *Engine) seenBefore(v *Verdict) bool {
	if !v.Signature.FromOutput() {
		return false
	}
	id := identity(v.Kind, v.Oracle, v.Signature)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.seen[id] == 0 {
		return false
	}
	e.seen[id]++
	e.dups.Add(1)
	return true
}

// isolateFinding finds which recent case makes v fire alone and builds the
// finding; without one, the finding says so and keeps the run's signature.
func (e *Engine) isolateFinding(ctx context.Context, l *lane, v *Verdict, own *recentCase) Finding {
	o := l.o
	log := o.LogTail()
	cands := e.takeCandidates(l, own)
	if len(cands) == 0 {
		cands = []recentCase{{index: -1}}
	}
	culprit, got, found := e.isolate(ctx, l, v, cands)
	if found {
		// The output this very run printed: another worker may have
		// restarted the shared server since, and the log's tail is empty.
		v, log = got, cmp.Or(got.Output, o.LogTail())
	}
	f := Finding{Kind: v.Kind, Title: v.Title, Target: e.cfg.TargetName, Seed: e.cfg.Seed, Faults: e.cfg.Faults,
		CaseIndex: culprit.index, Case: culprit.c, Oracle: v.Oracle, Detail: v.Detail, ServerLog: log,
		Signature: v.Signature}
	if f.Case.Protocol == "" {
		f.Case.Protocol = o.Protocol.Name()
	}
	if !found && v.Kind != KindMemory {
		f.Detail += "\n" + notAlone
	}
	return f
}

// takeCandidates returns own (when suspect) and the remembered cases:
// suspects first, then the rest most recent first, then the last cases a
// probe cleared (most recent first); and forgets them.
func (e *Engine) takeCandidates(l *lane, own *recentCase) []recentCase {
	e.mu.Lock()
	cands := slices.Clone(l.recent)
	cleared := slices.Clone(l.cleared)
	l.recent, l.cleared = l.recent[:0], l.cleared[:0]
	e.mu.Unlock()
	if own != nil && !slices.ContainsFunc(cands, func(r recentCase) bool { return r.index == own.index }) {
		cands = append(cands, *own)
	}
	suspect := -1
	if own != nil && own.suspect {
		suspect = own.index
	}
	rank := func(r recentCase) int {
		switch {
		case r.index == suspect:
			return 0
		case r.suspect:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(cands, func(a, b recentCase) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return int(b.seq - a.seq)
	})
	slices.Reverse(cleared)
	for _, r := range cleared {
		if !slices.ContainsFunc(cands, func(c recentCase) bool { return c.index == r.index }) {
			cands = append(cands, r)
		}
	}
	return cands
}

// isolate runs candidates alone until one makes the same oracle fire. It
// restarts the server before each run when the firing leaves it down. With
// a server that cannot be restarted and is down, it gives up at once.
//
// A server may die a moment after its case looked harmless (a process not
// reaped yet, a crash on a timer): a candidate is cleared only once the
// server stays healthy for settleTime after it, and a server found unhealthy
// before the next candidate is restarted rather than blamed on it.
//
// A case may hold two bugs (two connections, each with its own crash), and
// which fires first is then the server's race: such a finding would replay
// as another signature. So a candidate that fired is run steadyRuns more
// times and kept only when it fires the same each time; else the search goes
// on for up to ambiguousTries more candidates before settling for it.
func (e *Engine) isolate(ctx context.Context, l *lane, v *Verdict, cands []recentCase) (recentCase, *Verdict, bool) {
	o := l.o
	down := v.Kind != KindProtocol
	if v.Kind == KindMemory || cands[0].index < 0 || (down && !o.Target.CanRestart()) {
		return cands[0], nil, false
	}
	var first *recentCase
	var firstGot *Verdict
	dirty, tries := down, 0
	for _, cand := range cands {
		if first != nil && tries >= ambiguousTries {
			break
		}
		tries++
		got, ok := e.tryCandidate(ctx, l, v, cand.c, &dirty)
		if !ok {
			break
		}
		if !v.Matches(got) {
			continue
		}
		if e.steady(ctx, l, v, cand.c, &dirty) {
			return cand, got, true
		}
		if first == nil {
			first, firstGot, tries = &cand, got, 0
		}
	}
	if first != nil {
		return *first, firstGot, true
	}
	return cands[0], nil, false
}

// tryCandidate runs c alone on a healthy server (restarted first when
// dirty) and returns what fired; false when the search must stop (a failed
// restart, ctx ended). dirty is updated for the next run.
func (e *Engine) tryCandidate(ctx context.Context, l *lane, v *Verdict, c Case, dirty *bool) (*Verdict, bool) {
	o := l.o
	if !*dirty && o.Observe(ctx) != nil {
		*dirty = true
	}
	if *dirty && !e.restart(ctx, l) {
		return nil, false
	}
	got := o.Test(ctx, c, v.Kind != KindProtocol)
	*dirty = got != nil && got.Kind != KindProtocol
	return got, ctx.Err() == nil || v.Matches(got)
}

// steady runs c steadyRuns more times: true when v's signature fired each time.
func (e *Engine) steady(ctx context.Context, l *lane, v *Verdict, c Case, dirty *bool) bool {
	for range steadyRuns {
		got, ok := e.tryCandidate(ctx, l, v, c, dirty)
		if !ok || !v.Matches(got) {
			return false
		}
	}
	return true
}

// heal leaves the server healthy for the next cases: restart when it is not,
// or stop the run when it cannot be restarted.
func (e *Engine) heal(ctx context.Context, l *lane) {
	o := l.o
	if o.Observe(ctx) == nil {
		return
	}
	if !o.Target.CanRestart() {
		e.stop(fmt.Sprintf("the server at %s is down and chatspec did not start it, so it cannot restart it", o.Target.Addr()))
		return
	}
	if e.restart(ctx, l) && o.Observe(ctx) == nil {
		return
	}
	e.stop("the server stays unhealthy after a restart")
}

// restart restarts the server; false (and the run stopped) when that fails.
func (e *Engine) restart(ctx context.Context, l *lane) bool {
	e.restarts.Add(1)
	if err := l.o.Restart(ctx); err != nil {
		e.stop("restart failed: " + err.Error())
		return false
	}
	return true
}
