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
	f, others := e.isolateFinding(tctx, l, v, own)
	e.record(f)
	e.recordOthers(tctx, l, others)
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
// It also returns the other bugs the candidates fired while it searched.
func (e *Engine) isolateFinding(ctx context.Context, l *lane, v *Verdict, own *recentCase) (Finding, []firing) {
	cands := e.takeCandidates(l, own)
	if len(cands) == 0 {
		cands = []recentCase{{index: -1}}
	}
	culprit, got, found, others := e.isolate(ctx, l, v, cands)
	if found {
		v = got
	}
	return e.finding(l, v, culprit, found), others
}

// finding builds the finding of v with culprit as its case; got tells
// whether culprit was seen making v fire alone.
func (e *Engine) finding(l *lane, v *Verdict, culprit recentCase, found bool) Finding {
	o := l.o
	log := o.LogTail()
	if found {
		// The output this very run printed: another worker may have
		// restarted the shared server since, and the log's tail is empty.
		log = cmp.Or(v.Output, log)
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
	if culprit.note != "" {
		f.Detail += "\n" + culprit.note
	}
	return f
}

// recordOthers makes each bug that a candidate fired while isolation looked
// for another one a finding of its own, when it is new and some connections
// of that candidate fire it steadily; a bug seen only in passing is left for
// a later case to find.
func (e *Engine) recordOthers(ctx context.Context, l *lane, others []firing) {
	dirty := false // tryCandidate observes the server before each run
	for _, fr := range others {
		if ctx.Err() != nil || e.isStopped() || !fr.got.Signature.FromOutput() || e.known(fr.got) {
			continue
		}
		if kept, got, ok := e.confirm(ctx, l, fr.got, fr.cand, &dirty); ok {
			e.record(e.finding(l, got, kept, true))
		}
	}
}

// known reports whether v's bug was found already.
func (e *Engine) known(v *Verdict) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.seen[identity(v.Kind, v.Oracle, v.Signature)] > 0
}

// firing is a candidate and what it fired when run alone.
type firing struct {
	cand recentCase
	got  *Verdict
}

// maxOthers bounds the other bugs isolation keeps while it looks for one.
const maxOthers = 4

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
// which fires first is then the server's race: such a case would replay as
// either signature. So a candidate that fired v is kept only once confirm
// has narrowed it to the connections that fire v's signature every time, or
// seen the whole case do so. A candidate that fires another signature may
// hold v's bug too: once the others are tried, it is narrowed to v's. The
// other bugs fired are returned (at most maxOthers), for recordOthers.
// Failing all that, the first candidate that fired v, now and then, is
// kept; the search goes on for up to ambiguousTries more candidates after it.
func (e *Engine) isolate(ctx context.Context, l *lane, v *Verdict, cands []recentCase) (recentCase, *Verdict, bool, []firing) {
	o := l.o
	down := v.Kind != KindProtocol
	if v.Kind == KindMemory || cands[0].index < 0 || (down && !o.Target.CanRestart()) {
		return cands[0], nil, false, nil
	}
	var first *recentCase
	var firstGot *Verdict
	var others []firing
	dirty, tries := down, 0
	for _, cand := range cands {
		if first != nil && tries >= ambiguousTries {
			break
		}
		tries++
		got, ok := e.tryCandidate(ctx, l, v, cand.c, &dirty)
		if !ok {
			return e.settle(cands, first, firstGot, others)
		}
		if got == nil {
			continue
		}
		if !v.Matches(got) {
			if len(others) < maxOthers {
				others = append(others, firing{cand: cand, got: got})
			}
			continue
		}
		if kept, kgot, ok := e.confirm(ctx, l, got, cand, &dirty); ok {
			return kept, kgot, true, others
		}
		if first == nil {
			first, firstGot, tries = &cand, got, 0
		}
	}
	for _, fr := range others {
		if ctx.Err() != nil || len(fr.cand.c.Conns) < 2 {
			continue
		}
		if small, sgot, ok := e.narrow(ctx, l, v, fr.cand.c, &dirty); ok {
			return narrowed(fr.cand, small), sgot, true, others
		}
	}
	return e.settle(cands, first, firstGot, others)
}

// settle is isolate's answer when no candidate fired v steadily: the one
// that fired it now and then, else none.
func (e *Engine) settle(cands []recentCase, first *recentCase, firstGot *Verdict, others []firing) (recentCase, *Verdict, bool, []firing) {
	if first != nil {
		return *first, firstGot, true, others
	}
	return cands[0], nil, false, others
}

// confirm makes sure cand, which fired want once, is a culprit that fires
// it every time: its fewest connections that fire want steadily (see
// narrow), else the whole case when that fires it steadily. Narrowing comes
// first, as a case whose connections hold two bugs may still fire the same
// one a few times running. It returns the culprit to keep and what fired.
func (e *Engine) confirm(ctx context.Context, l *lane, want *Verdict, cand recentCase, dirty *bool) (recentCase, *Verdict, bool) {
	if small, got, ok := e.narrow(ctx, l, want, cand.c, dirty); ok {
		return narrowed(cand, small), got, true
	}
	if e.steady(ctx, l, want, cand.c, dirty) {
		return cand, want, true
	}
	return cand, nil, false
}

// narrowed is r with its case cut down to small; the finding's detail says so.
func narrowed(r recentCase, small Case) recentCase {
	r.note = fmt.Sprintf("(the case's %d connections narrowed to the %d that fire this signature every time: "+
		"the whole case may fire another one, as the server's race goes)", len(r.c.Conns), len(small.Conns))
	r.c = small
	return r
}

// narrowTests bounds the runs narrow spends on one case.
const narrowTests = 24

// narrow looks for the fewest connections of c that fire want on their
// own, steadily: when each connection holds its own bug, that leaves the
// one that holds want's. False when c has one connection, when no smaller
// set fires want, or when the set found fires it only now and then.
func (e *Engine) narrow(ctx context.Context, l *lane, want *Verdict, c Case, dirty *bool) (Case, *Verdict, bool) {
	if len(c.Conns) < 2 {
		return c, nil, false
	}
	left, broken := narrowTests, false
	keep := ddmin(len(c.Conns), func() bool {
		left--
		return left >= 0 && !broken
	}, func(keep []int) bool {
		got, ok := e.tryCandidate(ctx, l, want, keepConns(c, keep), dirty)
		broken = !ok
		return ok && want.Matches(got)
	})
	if broken || len(keep) == 0 || len(keep) == len(c.Conns) {
		return c, nil, false
	}
	small := keepConns(c, keep)
	got, ok := e.tryCandidate(ctx, l, want, small, dirty)
	if !ok || !want.Matches(got) || !e.steady(ctx, l, got, small, dirty) {
		return c, nil, false
	}
	return small, got, true
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
	if !e.restart(ctx, l) {
		return
	}
	for range healProbes {
		v := o.Observe(ctx)
		if v == nil {
			return
		}
		if v.Kind != KindHang || ctx.Err() != nil {
			break // down again at once: no later probe will differ
		}
		e.falseAlarms.Add(1) // the first probes of a fresh server starved by a busy machine
	}
	e.stop("the server stays unhealthy after a restart")
}

// healProbes is how many probes that get no answer heal allows a freshly
// restarted server before giving up on it: on a loaded machine one probe
// may time out while the server is fine, and stopping then ends a run with
// its later findings unfound.
const healProbes = 3

// restart restarts the server; false (and the run stopped) when that fails.
func (e *Engine) restart(ctx context.Context, l *lane) bool {
	e.restarts.Add(1)
	if err := l.o.Restart(ctx); err != nil {
		e.stop("restart failed: " + err.Error())
		return false
	}
	return true
}
