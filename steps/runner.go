package steps

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/oracle"
	"github.com/chatspec/chatspec/results"
	"github.com/cucumber/godog"
)

// Errors of a run as a whole (as opposed to a scenario's verdict).
var (
	// ErrNoScenarios: the tags or sections selected nothing.
	ErrNoScenarios = errors.New("no scenario selected")
	// ErrSuite: godog refused the features or the options.
	ErrSuite = errors.New("the suite could not run")
	// ErrBadScenario: a scenario is malformed (unknown requirement tag, no steps,
	// undefined step). The run goes on; its row is an ERROR and the run fails.
	ErrBadScenario = errors.New("malformed scenario")
	// errTargetGone: the server stopped answering earlier in the run.
	errTargetGone = errors.New("target gone")
)

// Suite is one protocol's features and step definitions.
type Suite struct {
	Protocol string
	Features fs.FS // holds the .feature files at its root
	// Init registers the step definitions of one scenario, bound to s.
	Init func(sc *godog.ScenarioContext, s *Scenario)
}

// Options select and pace scenarios.
type Options struct {
	Tags        string    // godog tag expression (see TranslateTags)
	Concurrency int       // scenarios at once (scenarios tagged @serial run alone, after)
	Strict      bool      // SHOULD failures fail the run
	Progress    io.Writer // one line per finished scenario, or nil
	// Observe, when set, is called with each result as its scenario
	// finishes (from several goroutines at once): live progress.
	Observe func(results.Result)
}

// Run runs the suite against env's target and returns one Result per scenario.
// After every scenario it checks that the server still answers; a scenario
// during which the server died never passes (see crash.go).
func Run(ctx context.Context, suite Suite, env *Env, opt Options) (*results.Run, error) {
	r := &runner{suite: suite, env: env, opt: opt, ctx: ctx}
	run := &results.Run{Tool: "chatspec", Protocol: suite.Protocol, Target: env.Addr(),
		Mode: env.Target.Mode(), Started: time.Now(), Strict: opt.Strict}
	for i, tags := range []string{And(opt.Tags, "~@serial"), And(opt.Tags, "@serial")} {
		conc := max(opt.Concurrency, 1)
		if i > 0 {
			conc = 1
		}
		// The scenarios that end the first pass are confirmed by the checks
		// of the second, which begin a grace later anyway: no wait between.
		r.carry = i == 0
		if err := r.passWithRecovery(fmt.Sprintf("%s-%d", suite.Protocol, i), tags, conc); err != nil {
			return nil, err
		}
	}
	r.finalCheck()
	run.Results, run.Crashes = r.results, r.crashes
	oracle.Audit(run, r.history) // run-wide delivery checks over every scenario's transcript
	run.Duration = time.Since(run.Started)
	run.TargetLog = env.Target.Log()
	run.Sort()
	if len(run.Results) == 0 {
		return run, fmt.Errorf("%w (tags %q)", ErrNoScenarios, opt.Tags)
	}
	if r.malformed.Load() > 0 {
		return run, fmt.Errorf("%w: %d scenario(s); see their ERROR rows", ErrBadScenario, r.malformed.Load())
	}
	return run, nil
}

var suiteSeq atomic.Int64

type runner struct {
	suite Suite
	env   *Env
	opt   Options
	ctx   context.Context

	mu          sync.Mutex
	conc        int // scenarios at once in the pass running now
	results     []results.Result
	crashes     []results.Crash
	gone        string // scenario during which the target was gone for good
	col         *collector
	recorded    map[string]bool
	want        map[string]bool      // a rerun pass: the locations to run, nil for all
	alone       bool                 // a rerun: one scenario at a time, each checked a grace after it
	carry       bool                 // the pass's last rows are confirmed by the next pass's checks
	inflight    map[*flight]struct{} // started, not yet checked alive after
	halt        *halt                // the death that stopped this concurrent pass
	unconfirmed []*flight            // checked once, not yet a grace after they ended
	lastAlive   time.Time            // when the last check that found the server began
	unnamed     *halt                // a death whose suspects are being rerun one at a time
	late        []*flight            // run alone into a server already dead: to run once more
	retried     map[string]bool      // locations run once more after finding the server dead
	arrivals    int                  // scenarios in a row that found the server already dead
	malformed   atomic.Int64
	budget      results.TranscriptBudget // bounds the transcripts the run keeps
	history     []oracle.Source          // every scenario's typed transcript events
}

// pass runs godog once over the features with one tag expression, or over
// the scenarios at r.want (their feature paths are in paths); alone runs
// them one at a time, each checked a grace after it ends (a rerun).
func (r *runner) pass(name, tags string, paths []string, conc int, alone bool) error {
	suiteName := fmt.Sprintf("chatspec-%s-%d", name, suiteSeq.Add(1))
	r.col = newCollector(suiteName)
	defer collectors.Delete(suiteName)
	r.recorded, r.inflight, r.alone, r.conc = map[string]bool{}, map[*flight]struct{}{}, alone, conc
	if alone {
		conc = 1
	}
	if paths == nil {
		paths = []string{"."}
	}
	status := godog.TestSuite{
		Name:                suiteName,
		ScenarioInitializer: r.initScenario,
		Options: &godog.Options{
			Format: collectFormat, Output: io.Discard, NoColors: true,
			FS: r.suite.Features, Paths: paths, Tags: tags,
			Concurrency: conc, Strict: true, DefaultContext: r.ctx,
		},
	}.Run()
	if status == 2 {
		return fmt.Errorf("%w: godog rejected the features or options (tags %q)", ErrSuite, tags)
	}
	if !r.carry || r.want != nil {
		r.drain()
	}
	if r.want == nil { // a rerun pass selects scenarios that ran their hooks before
		r.addUnrun()
	}
	return nil
}

// initScenario is godog's per-scenario initializer: fresh state, the
// protocol's steps bound to it, and hooks that time, check and record it.
func (r *runner) initScenario(sc *godog.ScenarioContext) {
	s := NewScenario(r.env)
	var fl *flight
	watch := &stepWatch{}
	watchSteps(sc, watch)
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		var err error
		fl, err = r.begin(p)
		return ctx, err
	})
	r.suite.Init(sc, s)
	recorded := false
	sc.After(func(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
		// godog can call After twice for one scenario (a step that skips,
		// then the last step): record the first verdict only.
		if recorded || fl == nil {
			return ctx, nil
		}
		recorded = true
		s.cleanup()
		r.mu.Lock()
		r.recorded[p.Id] = true
		r.mu.Unlock()
		if errors.Is(err, errUnwanted) || errors.Is(err, errHalted) {
			return ctx, nil
		}
		fl.res = r.record(fl.res, s, err, watch.failed, time.Since(fl.start))
		r.settle(fl)
		return ctx, nil
	})
}

// record turns a finished scenario into its Result, starting from the row
// base made of its tags; failed is the first step that failed, which tells a
// setup that could not complete from a check.
func (r *runner) record(res results.Result, s *Scenario, err error, failed *godog.Step, d time.Duration) results.Result {
	res.Duration = d
	err = judge(r.ctx, err, failed, res.Reqs)
	s.mu.Lock()
	skip, untestable := s.skip, s.untestable
	s.mu.Unlock()
	switch {
	case res.Outcome == results.Error:
	case untestable != "":
		res.Outcome, res.Message = results.Untestable, untestable
	case skip != "":
		res.Outcome, res.Message = results.Skipped, skip
	case err == nil:
		res.Outcome = results.OutcomeFor(res.Level, true)
	case errors.Is(err, errTargetGone):
		r.mu.Lock()
		gone := r.gone
		r.mu.Unlock()
		res.Outcome = results.Error
		res.Message = "not run: the server stopped answering during " + gone
	case errors.Is(err, godog.ErrUndefined), errors.Is(err, godog.ErrPending), errors.Is(err, godog.ErrSkip):
		r.malformed.Add(1)
		res.Outcome, res.Message = results.Error, "chatspec defect: "+err.Error()
	case errors.Is(err, ErrHarness):
		res.Outcome, res.Message = results.Error, err.Error()
	case errors.Is(err, ErrInconclusive):
		res.Outcome, res.Message = results.Inconclusive, blockedMessage(err)
		if ce, ok := AsCheck(err); ok {
			res.Check = &results.Check{Expected: ce.Expected, Actual: ce.Actual}
			res.TimedOut, res.Wait = ce.TimedOut, ce.Wait
		}
	default:
		res.Outcome, res.Message = results.OutcomeFor(res.Level, false), err.Error()
		if ce, ok := AsCheck(err); ok {
			res.Message = ce.Msg
			res.Check = &results.Check{Expected: ce.Expected, Actual: ce.Actual}
			res.TimedOut, res.Wait = ce.TimedOut, ce.Wait
		}
		if res.Level == catalog.Info { // an observation that could not be made
			res.Outcome = results.Error
		}
	}
	res.Notes = s.Notes()
	bound(&res)
	res.Transcript = s.Log.String() // add bounds it, once the outcome is final
	r.mu.Lock()
	r.history = append(r.history, oracle.SourceOf(s.Log, res.Location))
	r.mu.Unlock()
	return res
}

// base fills what a Result takes from the scenario's tags and place.
func (r *runner) base(p *godog.Scenario) results.Result {
	info := r.col.place(p)
	res := results.Result{Protocol: r.suite.Protocol, Scenario: p.Name, Feature: info.feature,
		Location: "features/" + r.suite.Protocol + "/" + strings.TrimPrefix(info.location, "./"), Example: info.example}
	res.Scenario = scenarioName(p.Name, info.example, info.outline)
	var names []string
	for _, t := range p.Tags {
		names = append(names, t.Name)
	}
	tags, err := catalog.ParseTags(names)
	if err != nil {
		r.malformed.Add(1)
		res.Outcome, res.Message = results.Error, "chatspec defect: "+err.Error()
		return res
	}
	res.Reqs, res.Level = tags.IDs, tags.Level
	if req, ok := catalog.Lookup(tags.IDs[0]); ok {
		res.Section = req.Section
	}
	return res
}

// add makes res a row of the report, its transcript within the run's budget.
func (r *runner) add(res results.Result) {
	res.Transcript = r.budget.Keep(res.Transcript, res.Outcome) // passes too: the HTML report shows them
	r.mu.Lock()
	r.results = append(r.results, res)
	n := len(r.results)
	r.mu.Unlock()
	if r.opt.Observe != nil {
		r.opt.Observe(res)
	}
	if r.opt.Progress != nil {
		fmt.Fprintf(r.opt.Progress, "[%3d] %-10s %-24s %s\n", n, res.Outcome,
			strings.Join(res.Reqs, " "), res.Scenario)
	}
}

// addUnrun gives a row to every scenario godog saw but never ran hooks for
// (a scenario without steps): it must not vanish from the report.
func (r *runner) addUnrun() {
	r.col.mu.Lock()
	r.mu.Lock()
	var missing []string
	for id := range r.col.pickle {
		if !r.recorded[id] {
			missing = append(missing, id)
		}
	}
	r.mu.Unlock()
	slices.Sort(missing)
	pickles := r.col.pickle
	r.col.mu.Unlock()
	for _, id := range missing {
		p := pickles[id]
		res := r.base(p)
		res.Outcome = results.Error
		res.Message = "chatspec defect: scenario has no steps, so it checks nothing"
		r.malformed.Add(1)
		r.add(res)
	}
}
