package fuzz

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// ErrTargetUnhealthy means the server failed its health check before the
// first case: nothing the fuzzer did, so no finding (the CLI exits 2).
var ErrTargetUnhealthy = errors.New("fuzz: target unhealthy before fuzzing")

// triageTimeout bounds the isolation of one finding.
const triageTimeout = 2 * time.Minute

// DefaultMaxProbe is the longest interval, in cases, between health probes
// of a server that keeps passing them: probes are then a few percent of
// the connections, and a suspect case is still probed at once.
const DefaultMaxProbe = 64

// settleTime is how long isolation keeps watching a server after a candidate
// case looked harmless, before clearing the case (see isolate).
const settleTime = 50 * time.Millisecond

// Config is one fuzz run.
type Config struct {
	Oracles     *Oracles
	Instances   []*Oracles    // further copies of the server (--instances); the workers share them all
	TargetName  string        // how the server was run, copied into findings
	Seed        int64         // case i is GenerateCase(protocol, Seed, i)
	Cases       int           // stop after this many cases (0: no limit)
	Duration    time.Duration // stop after this long (0: no limit)
	Workers     int           // cases run at once (default 1)
	ProbeEvery  int           // cases between health probes at first and after any anomaly (default 1)
	MaxProbe    int           // the interval doubles after each passing probe up to this (default DefaultMaxProbe; <= ProbeEvery: fixed)
	StopOnFirst bool          // stop at the first new finding (StopAfter 1)
	StopAfter   int           // stop once this many distinct findings are found (0: no limit)
	Faults      string        // the bundled reference's fault switches, copied into findings
	OnFinding   func(Finding) // called once per new bug (Finding.Identity), in order
}

// Stats are the live counters of a run.
type Stats struct {
	Cases       int64         // cases executed
	Connections int64         // connections opened by cases and probes
	Findings    int           // distinct findings (Finding.Identity)
	Duplicates  int64         // oracle firings of a bug already found
	Probes      int64         // health checks
	Restarts    int64         // server restarts
	FalseAlarms int64         // failed probes that passed when repeated on a quiet server
	Elapsed     time.Duration // since Run started
}

// ConnectionsPerSecond is the run's connection rate so far.
func (s Stats) ConnectionsPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Connections) / s.Elapsed.Seconds()
}

// CasesPerSecond is the run's throughput so far.
func (s Stats) CasesPerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Cases) / s.Elapsed.Seconds()
}

// Summary is the outcome of a run.
type Summary struct {
	Stats
	Findings []Finding      // one per bug, in the order found
	Seen     map[string]int // times each bug fired, by Finding.Identity
	Stopped  string         // why the run ended early; "" when it ran its course
}

// recentCase is a case kept until a health probe clears it: a crash found by
// a later probe is traced back to one of these.
type recentCase struct {
	seq     int64
	index   int
	c       Case
	suspect bool   // its own connections saw something odd (refused, bad bytes)
	note    string // how isolation changed c, for the finding's detail ("" when it did not)
}

// Engine runs cases on workers and turns oracle firings into findings.
type Engine struct {
	cfg   Config
	lanes []*lane // one per server instance
	start time.Time

	next, cases, probes, restarts, dups, falseAlarms, seq, conns atomic.Int64

	mu       sync.Mutex // guards the fields below and the lanes' recent and cleared
	findings []Finding
	seen     map[string]int
	stopped  string
	cancel   context.CancelFunc
}

// lane is one server instance and the cases run on it: a triage on one
// lane stops only that lane's cases while the others go on.
type lane struct {
	o        *Oracles
	gate     sync.RWMutex // cases hold it shared; triage holds it alone
	recent   []recentCase // cases not cleared by a probe yet
	cleared  []recentCase // the last cases a probe cleared: a server may die a moment after a probe passed
	interval atomic.Int64 // cases between probes now (adaptive)
	since    atomic.Int64 // cases since the last probe
	clock    fillClock    // how long this server takes to send what fills wait for
}

// NewEngine prepares a run; defaults are filled in.
func NewEngine(cfg Config) *Engine {
	cfg.Workers = max(cfg.Workers, 1)
	cfg.ProbeEvery = max(cfg.ProbeEvery, 1)
	if cfg.MaxProbe == 0 {
		cfg.MaxProbe = DefaultMaxProbe
	}
	cfg.MaxProbe = max(cfg.MaxProbe, cfg.ProbeEvery)
	e := &Engine{cfg: cfg, seen: map[string]int{}, start: time.Now()}
	for _, o := range append([]*Oracles{cfg.Oracles}, cfg.Instances...) {
		l := &lane{o: o}
		l.interval.Store(int64(cfg.ProbeEvery))
		e.lanes = append(e.lanes, l)
	}
	return e
}

// Stats returns the live counters; safe while Run is going.
func (e *Engine) Stats() Stats {
	e.mu.Lock()
	n := len(e.findings)
	e.mu.Unlock()
	return e.stats(n)
}

// stats reads the counters; n is the number of findings.
func (e *Engine) stats(n int) Stats {
	probes := e.probes.Load()
	return Stats{Cases: e.cases.Load(), Connections: e.conns.Load() + probes*int64(probeConns(e.cfg.Oracles.Protocol)),
		Findings: n, Duplicates: e.dups.Load(), Probes: probes, Restarts: e.restarts.Load(),
		FalseAlarms: e.falseAlarms.Load(), Elapsed: time.Since(e.start)}
}

// Run fuzzes until Cases, Duration, ctx, a dead target, StopOnFirst or StopAfter ends it.
func (e *Engine) Run(ctx context.Context) (Summary, error) {
	for _, l := range e.lanes {
		start := time.Now()
		if v := l.o.Observe(ctx); v != nil {
			return Summary{}, fmt.Errorf("%w: %s: %s", ErrTargetUnhealthy, v.Title, v.Detail)
		}
		l.clock.arrived(time.Since(start)) // a few round trips: a generous first guess for fills
	}
	e.start = time.Now()
	runCtx, cancel := e.runContext(ctx)
	e.mu.Lock()
	e.cancel = cancel
	e.mu.Unlock()
	var wg sync.WaitGroup
	for w := range e.cfg.Workers {
		wg.Go(func() { e.worker(runCtx, w) })
	}
	wg.Wait()
	cancel()
	for _, l := range e.lanes {
		if !e.isStopped() && ctx.Err() == nil {
			e.check(ctx, l, nil) // the last cases have not been probed yet
		}
	}
	return e.summary(), nil
}

// runContext ends when ctx does, or after Duration.
func (e *Engine) runContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if e.cfg.Duration > 0 {
		return context.WithTimeout(ctx, e.cfg.Duration)
	}
	return context.WithCancel(ctx)
}

func (e *Engine) summary() Summary {
	e.mu.Lock()
	defer e.mu.Unlock()
	seen := make(map[string]int, len(e.seen))
	for k, v := range e.seen {
		seen[k] = v
	}
	return Summary{Stats: e.stats(len(e.findings)), Findings: append([]Finding(nil), e.findings...), Seen: seen, Stopped: e.stopped}
}

// worker runs cases until the run ends, on its home lane or, while that
// one is being triaged, on any other.
func (e *Engine) worker(ctx context.Context, home int) {
	for ctx.Err() == nil {
		idx := int(e.next.Add(1) - 1)
		if e.cfg.Cases > 0 && idx >= e.cfg.Cases {
			return
		}
		c := GenerateCase(e.cfg.Oracles.Protocol, e.cfg.Seed, idx)
		l := e.pick(home)
		own, res := e.runCase(ctx, l, idx, c)
		if v := ViolationVerdict(res); v != nil {
			e.triage(ctx, l, v, &own)
			continue
		}
		if own.suspect {
			l.interval.Store(int64(e.cfg.ProbeEvery)) // an anomaly: probe now, and often for a while
		}
		if own.suspect || l.since.Add(1) >= l.interval.Load() {
			l.since.Store(0)
			e.check(ctx, l, &own)
		}
	}
}

// pick returns a lane with its gate held shared: the home lane, else the
// first other one not being triaged, else the home lane once it is free.
func (e *Engine) pick(home int) *lane {
	n := len(e.lanes)
	for k := range n {
		if l := e.lanes[(home+k)%n]; l.gate.TryRLock() {
			return l
		}
	}
	l := e.lanes[home%n]
	l.gate.RLock()
	return l
}

// runCase executes one case on l, whose gate the caller holds shared, and
// remembers it before letting the gate go: a triage that starts the moment
// the gate is free must count it among the candidates (a case with a
// violation goes to triage itself).
func (e *Engine) runCase(ctx context.Context, l *lane, idx int, c Case) (recentCase, Result) {
	defer l.gate.RUnlock()
	opts := l.o.Exec
	opts.clock = &l.clock
	res := Execute(ctx, l.o.Target.Addr(), c, l.o.Protocol, opts)
	e.cases.Add(1)
	e.conns.Add(int64(res.Conns))
	own := recentCase{seq: e.seq.Add(1), index: idx, c: c, suspect: res.Refused || res.DialErr != nil || res.Violation != nil}
	if res.Violation == nil {
		e.remember(l, own)
	}
	return own, res
}

// remember keeps a case until a health probe clears it.
func (e *Engine) remember(l *lane, r recentCase) {
	limit := max(16, 2*e.cfg.MaxProbe+2*e.cfg.Workers)
	e.mu.Lock()
	defer e.mu.Unlock()
	l.recent = append(l.recent, r)
	if len(l.recent) > limit {
		l.recent = l.recent[len(l.recent)-limit:]
	}
}

// check probes the server while other cases keep running; a failure goes
// to triage, with own (the case just run by this worker, if any) as a
// candidate even when a concurrent good probe already cleared it.
func (e *Engine) check(ctx context.Context, l *lane, own *recentCase) {
	e.probes.Add(1)
	startSeq := e.seq.Load()
	if v := l.o.Observe(ctx); v != nil {
		l.interval.Store(int64(e.cfg.ProbeEvery))
		if ctx.Err() == nil {
			e.triage(ctx, l, v, own)
		}
		return
	}
	e.relax(l)
	e.mu.Lock()
	defer e.mu.Unlock()
	kept := l.recent[:0]
	for _, r := range l.recent {
		if r.seq > startSeq {
			kept = append(kept, r)
		} else {
			l.cleared = append(l.cleared, r)
		}
	}
	l.recent = kept
	if limit := 2*e.cfg.Workers + 2; len(l.cleared) > limit {
		l.cleared = slices.Clone(l.cleared[len(l.cleared)-limit:])
	}
}

// relax doubles l's probe interval after a passing probe, up to MaxProbe.
func (e *Engine) relax(l *lane) {
	for {
		cur := l.interval.Load()
		next := min(2*cur, int64(e.cfg.MaxProbe))
		if next == cur || l.interval.CompareAndSwap(cur, next) {
			return
		}
	}
}

// isStopped reports whether the run was ended by a finding or a dead target.
func (e *Engine) isStopped() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.stopped != ""
}

// stop ends the run early and says why.
func (e *Engine) stop(why string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped == "" {
		e.stopped = why
	}
	if e.cancel != nil {
		e.cancel()
	}
}

// record adds a finding unless the same bug (Identity) was already found.
func (e *Engine) record(f Finding) {
	e.mu.Lock()
	e.seen[f.Identity()]++
	if e.seen[f.Identity()] > 1 {
		e.mu.Unlock()
		e.dups.Add(1)
		return
	}
	e.findings = append(e.findings, f)
	n := len(e.findings)
	e.mu.Unlock()
	if e.cfg.OnFinding != nil {
		e.cfg.OnFinding(f)
	}
	switch {
	case e.cfg.StopOnFirst:
		e.stop("stopped at the first finding (--stop-on-first)")
	case e.cfg.StopAfter > 0 && n >= e.cfg.StopAfter:
		e.stop(fmt.Sprintf("stopped after %d findings (--stop-after)", n))
	}
}
