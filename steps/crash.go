package steps

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/target"
	"github.com/cucumber/godog"
)

// Crash attribution. After every scenario the runner asks the target whether
// it still answers; a scenario during which the server died never passes. A
// server may die of a scenario a little after the scenario's last step (it
// reads and crashes while chatspec already checks), so a row is confirmed
// only by a check that begins a grace (--quiet) after the scenario ended.
//
// When a check finds the server dead, the pass stops starting scenarios; once
// it drains, the suspects are the scenarios that ran when it died (by the
// process's exit time when chatspec started it). One suspect is charged at
// once. The server is restarted once, and the suspects run again alone, each
// checked a grace after it ends: the one that kills the server again is
// charged, the others get their real result. The scenarios not yet run then
// run at the pass's own concurrency again, a new pass that halts and
// recovers the same way (see recovery.go).

var (
	// errHalted refuses to start a scenario once the server died during a
	// concurrent pass; the scenario is run again later, never recorded.
	errHalted = errors.New("not started: the server died during this pass")
	// errUnwanted refuses a scenario a rerun pass did not ask for (another
	// example row of the same outline); never recorded.
	errUnwanted = errors.New("not selected for this rerun")
)

// Bounds of what a crash report quotes.
const (
	restartWait  = 30 * time.Second // one restart after a crash
	defaultGrace = 250 * time.Millisecond
	stderrQuoted = 4 << 10 // bytes of server output shown in a row
)

// flight is one scenario from its start until the liveness check after it.
type flight struct {
	res   results.Result // its row: made of its tags at start, the verdict at its end
	path  string         // godog path of its scenario: "file.feature:LINE"
	start time.Time
	end   time.Time // when its verdict was made, before the check after it
	mark  int64     // the target's output offset when it started
	ran   bool      // Before let it start
	alive bool      // the check right after it found the server
}

// halt is a death of the server seen during a pass that was not a rerun
// (several scenarios at once, or one after another without a grace).
type halt struct {
	conc     int       // scenarios at once in the pass it stopped
	from, at time.Time // the server died between these: the exit time twice, or the last good and the failed check
	status   string    // how the process ended, "" if unknown
	cause    error     // what the liveness check said
	held     []*flight // every scenario to decide once the pass drained
	crash    results.Crash
	suspects []string // locations of the scenarios running when it died
}

// begin starts the flight of a scenario, or refuses it with errUnwanted,
// errTargetGone or errHalted.
func (r *runner) begin(p *godog.Scenario) (*flight, error) {
	fl := &flight{res: r.base(p), path: r.col.scenarioPath(p), start: time.Now(), mark: r.env.Target.LogMark()}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.want != nil && !r.want[fl.res.Location]:
		return fl, errUnwanted
	case r.gone != "":
		return fl, errTargetGone
	case r.halt != nil:
		r.halt.held = append(r.halt.held, fl)
		return fl, errHalted
	}
	fl.ran = true
	r.inflight[fl] = struct{}{}
	return fl, nil
}

// settle checks, after a scenario, that the server still answers, and
// records the scenario, charges it with the crash, or holds it for a rerun.
func (r *runner) settle(fl *flight) {
	fl.end = time.Now()
	if !fl.ran {
		r.add(fl.res)
		return
	}
	if r.held(fl) {
		return
	}
	if r.alone {
		r.waitGrace(fl.end)
	}
	checked := time.Now()
	err := r.alive()
	r.mu.Lock()
	delete(r.inflight, fl)
	switch {
	case r.halt != nil:
		r.mu.Unlock() // held since the halt began while it was being checked
	case !r.dead(err):
		fl.alive, r.arrivals = true, 0
		r.unconfirmed = append(r.unconfirmed, fl)
		ready := r.confirm(checked)
		r.mu.Unlock()
		r.addAll(ready)
	case !r.alone:
		r.stop(fl, err, checked)
		r.mu.Unlock()
	case r.diedBefore(fl):
		r.mu.Unlock()
		r.deadOnArrival(fl, err)
	default:
		r.arrivals = 0
		r.mu.Unlock()
		r.crashed(fl, err)
	}
}

// diedBefore reports whether the server's process had already ended when fl
// began (known only for a server chatspec started): fl cannot have killed it.
func (r *runner) diedBefore(fl *flight) bool {
	x := r.env.Target.ExitedAt()
	return !x.IsZero() && x.Before(fl.start)
}

// deadOnArrival deals with a scenario run alone that found the server
// already dead: the death is recorded as between scenarios, charged to none,
// the server is restarted and the scenario runs once more later. A server
// that is dead again when the next scenario begins dies of restarting, not
// of a scenario: the rest of the run is not run.
func (r *runner) deadOnArrival(fl *flight, cause error) {
	status, _ := r.env.Target.Exited()
	why := "it stopped answering: " + cause.Error()
	if status != "" {
		why = "its process ended: " + status
	}
	before := fl.start.Sub(r.env.Target.ExitedAt()).Round(time.Millisecond)
	crash := results.Crash{Status: status, Message: fmt.Sprintf(
		"the server died between scenarios, %v before %q began (%s); not charged to any scenario", before, fl.res.Scenario, why)}
	r.mu.Lock()
	r.arrivals++
	again := r.arrivals > 1
	r.mu.Unlock()
	if again {
		crash.Message += "; it had died right after the previous restart too, before any scenario ran, so it is not restarted again"
		r.setGone("a pause between scenarios (it dies after every restart)")
	} else {
		r.restartAfter(&crash, "a pause between scenarios")
	}
	r.addCrash(crash)
	r.mu.Lock()
	gone, retried := r.gone, r.retried[fl.res.Location]
	if gone == "" && !retried {
		r.late = append(r.late, fl)
	}
	r.mu.Unlock()
	switch {
	case gone != "":
		fl.res.Outcome, fl.res.Check, fl.res.TimedOut = results.Error, nil, false
		fl.res.Message = "not run: the server stopped answering during " + gone
		r.add(fl.res)
	case retried:
		fl.res.Outcome, fl.res.Check, fl.res.TimedOut = results.Inconclusive, nil, false
		fl.res.Message = "not judged: the server had died before this scenario began, twice"
		r.add(fl.res)
	}
}

// held reports whether the pass already stopped at a death while fl ran: fl
// then waits for the rerun.
func (r *runner) held(fl *flight) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.halt == nil {
		return false
	}
	delete(r.inflight, fl)
	return true
}

// grace is how long after a scenario the server may still die of it.
func (r *runner) grace() time.Duration {
	if r.env.Quiet > 0 {
		return r.env.Quiet
	}
	return defaultGrace
}

// waitGrace waits until a grace after end (or the run is cancelled).
func (r *runner) waitGrace(end time.Time) {
	t := time.NewTimer(time.Until(end.Add(r.grace())))
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.ctx.Done():
	}
}

// confirm takes, once the server answered a check begun at checked, the
// flights that ended at least a grace before it. The caller holds mu.
func (r *runner) confirm(checked time.Time) []*flight {
	r.lastAlive = checked
	var ready, wait []*flight
	for _, fl := range r.unconfirmed {
		if fl.end.Add(r.grace()).After(checked) {
			wait = append(wait, fl)
		} else {
			ready = append(ready, fl)
		}
	}
	r.unconfirmed = wait
	return ready
}

// addAll records the rows of flights.
func (r *runner) addAll(fls []*flight) {
	for _, fl := range fls {
		r.add(fl.res)
	}
}

// drain confirms, once a concurrent pass is over, the flights no check has
// confirmed yet, with one check a grace after the last of them ended; if the
// server is gone the pass halts on them.
func (r *runner) drain() {
	if r.halt != nil || len(r.unconfirmed) == 0 {
		return
	}
	r.waitGrace(r.unconfirmed[len(r.unconfirmed)-1].end)
	checked := time.Now()
	err := r.alive()
	r.mu.Lock()
	if r.dead(err) {
		r.stop(nil, err, checked)
		r.mu.Unlock()
		return
	}
	ready := r.unconfirmed
	r.unconfirmed = nil
	r.mu.Unlock()
	r.addAll(ready)
}

// stop halts a concurrent pass at the death fl's check found: nothing new
// starts, and every scenario running is held. The caller holds mu.
func (r *runner) stop(fl *flight, cause error, checked time.Time) {
	if r.halt != nil {
		return // another check saw it first; fl is held already
	}
	from, at := r.lastAlive, checked
	if x := r.env.Target.ExitedAt(); !x.IsZero() {
		from, at = x, x
	}
	status, _ := r.env.Target.Exited()
	r.halt = &halt{conc: r.conc, from: from, at: at, status: status, cause: cause, held: r.unconfirmed}
	r.unconfirmed = nil
	if fl != nil {
		r.halt.held = append(r.halt.held, fl)
	}
	for other := range r.inflight {
		r.halt.held = append(r.halt.held, other)
	}
}

// crashed charges fl, the only scenario running, with the server's death,
// restarts the server and records both.
func (r *runner) crashed(fl *flight, cause error) {
	crash := r.charge(fl, cause)
	r.mu.Lock()
	if u := r.unnamed; u != nil && slices.Contains(u.suspects, fl.res.Location) {
		crash.Message += fmt.Sprintf("; it first died %s, and this one killed it again when rerun alone",
			u.among(len(u.suspects)))
		r.unnamed = nil
	}
	r.mu.Unlock()
	r.restartAfter(&crash, fmt.Sprintf("%q", fl.res.Scenario))
	r.addCrash(crash)
	r.add(fl.res)
}

// charge turns fl's row into the FAIL of the scenario the server died
// during, quoting what the server printed since the scenario began.
func (r *runner) charge(fl *flight, cause error) results.Crash {
	status, _ := r.env.Target.Exited()
	why := "it stopped answering: " + cause.Error()
	if status != "" {
		why = "its process ended: " + status
	}
	res := &fl.res
	own := ""
	if res.Outcome != results.Pass && res.Outcome != "" {
		own = res.Message
	}
	res.Outcome, res.TimedOut = results.Fail, false
	res.Message = "the server crashed during this scenario (" + why + ")"
	if own != "" {
		res.Message += "\nthe scenario's own check: " + own
	}
	res.Check = &results.Check{Expected: []string{"the server still answering once the scenario ended"},
		Actual: r.outputSince(fl.mark)}
	return results.Crash{Scenario: res.Scenario, Location: res.Location, Reqs: res.Reqs, Status: status,
		Message: "the server crashed during this scenario: " + why}
}

// outputSince is the server's output since mark, bounded, for a row.
func (r *runner) outputSince(mark int64) string {
	if r.env.Target.Mode() == target.ModeTarget {
		return "(chatspec did not start this server, so it has none of its output)"
	}
	out := strings.TrimRight(r.env.Target.LogSince(mark), "\n")
	if strings.TrimSpace(out) == "" {
		return "(the server printed nothing since the scenario began)"
	}
	if len(out) > stderrQuoted {
		out = fmt.Sprintf("[... %d earlier bytes ...]\n%s", len(out)-stderrQuoted, out[len(out)-stderrQuoted:])
	}
	return "server output since the scenario began:\n" + out
}

// restartAfter restarts the server once after a crash; when it cannot, the
// rest of the run is not run, naming during as the scenario it died in.
func (r *runner) restartAfter(crash *results.Crash, during string) {
	if !r.env.Target.CanRestart() {
		crash.Message += "; chatspec did not start this server, so it cannot restart it"
		r.setGone(during)
		return
	}
	ctx, cancel := context.WithTimeout(r.ctx, restartWait)
	defer cancel()
	if err := r.env.Target.Restart(ctx); err != nil {
		crash.Message += "; restart failed: " + err.Error()
		r.setGone(during)
		return
	}
	crash.Message += "; restarted"
}

func (r *runner) setGone(during string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gone == "" {
		r.gone = during
	}
}

func (r *runner) addCrash(c results.Crash) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.crashes = append(r.crashes, c)
}

// dead reports whether a check's error is evidence that the server died:
// refused, dropped or exited. A check that only ran out of time (a busy
// machine, a server that is slow or hangs) is not: the scenarios judge that.
func (r *runner) dead(err error) bool {
	return err != nil && r.ctx.Err() == nil && !errors.Is(err, target.ErrDialTimeout)
}

// alive asks the target whether it still answers.
func (r *runner) alive() error {
	ctx, cancel := context.WithTimeout(r.ctx, max(r.env.Timeout, time.Second))
	defer cancel()
	return r.env.Target.Alive(ctx)
}

// finalCheck asks, once every scenario is done, whether the server still
// answers: a death after the last scenario's check is still a crash.
func (r *runner) finalCheck() {
	if r.gone != "" || r.ctx.Err() != nil {
		return
	}
	err := r.alive()
	if !r.dead(err) {
		return
	}
	status, _ := r.env.Target.Exited()
	crash := results.Crash{Status: status,
		Message: "the server was not answering at the end of the run, after every scenario's own check: " + err.Error()}
	r.restartAfter(&crash, "the end of the run")
	r.addCrash(crash)
}
