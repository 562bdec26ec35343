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
}

// Run runs the suite against env's target and returns one Result per scenario.
func Run(ctx context.Context, suite Suite, env *Env, opt Options) (*results.Run, error) {
	r := &runner{suite: suite, env: env, opt: opt, ctx: ctx}
	run := &results.Run{Tool: "chatspec", Protocol: suite.Protocol, Target: env.Addr(),
		Mode: env.Target.Mode(), Started: time.Now(), Strict: opt.Strict}
	conc := max(opt.Concurrency, 1)
	passes := []struct {
		tags string
		conc int
	}{{And(opt.Tags, "~@serial"), conc}, {And(opt.Tags, "@serial"), 1}}
	for i, p := range passes {
		if err := r.pass(fmt.Sprintf("%s-%d", suite.Protocol, i), p.tags, p.conc); err != nil {
			return nil, err
		}
	}
	run.Results, run.Crashes = r.results, r.crashes
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

	mu        sync.Mutex
	results   []results.Result
	crashes   []results.Crash
	gone      string // scenario after which the target was gone for good
	col       *collector
	recorded  map[string]bool
	malformed atomic.Int64
	budget    results.TranscriptBudget // bounds the transcripts the run keeps
}

// pass runs godog once over the features with one tag expression.
func (r *runner) pass(name, tags string, conc int) error {
	suiteName := fmt.Sprintf("chatspec-%s-%d", name, suiteSeq.Add(1))
	r.col = newCollector(suiteName)
	defer collectors.Delete(suiteName)
	r.recorded = map[string]bool{}
	status := godog.TestSuite{
		Name:                suiteName,
		ScenarioInitializer: r.initScenario,
		Options: &godog.Options{
			Format: collectFormat, Output: io.Discard, NoColors: true,
			FS: r.suite.Features, Paths: []string{"."}, Tags: tags,
			Concurrency: conc, Strict: true, DefaultContext: r.ctx,
		},
	}.Run()
	if status == 2 {
		return fmt.Errorf("%w: godog rejected the features or options (tags %q)", ErrSuite, tags)
	}
	r.addUnrun()
	return nil
}

// initScenario is godog's per-scenario initializer: fresh state, the
// protocol's steps bound to it, and hooks that time and record it.
func (r *runner) initScenario(sc *godog.ScenarioContext) {
	s := NewScenario(r.env)
	var start time.Time
	watch := &stepWatch{}
	watchSteps(sc, watch)
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		start = time.Now()
		r.mu.Lock()
		gone := r.gone
		r.mu.Unlock()
		if gone != "" {
			return ctx, fmt.Errorf("%w: the server stopped answering during %q", errTargetGone, gone)
		}
		return ctx, nil
	})
	r.suite.Init(sc, s)
	recorded := false
	sc.After(func(ctx context.Context, p *godog.Scenario, err error) (context.Context, error) {
		// godog can call After twice for one scenario (a step that skips,
		// then the last step): record the first verdict only.
		if recorded {
			return ctx, nil
		}
		recorded = true
		s.cleanup()
		r.record(p, s, err, watch.failed, time.Since(start))
		return ctx, nil
	})
}

// record turns a finished scenario into a Result; failed is the first step
// that failed, which tells a setup that could not complete from a check.
func (r *runner) record(p *godog.Scenario, s *Scenario, err error, failed *godog.Step, d time.Duration) {
	res := r.base(p)
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
		res.Message = fmt.Sprintf("not run: the server stopped answering during %q", gone)
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
		r.probe(&res)
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
		r.probe(&res)
	}
	res.Notes = s.Notes()
	bound(&res)
	res.Transcript = r.budget.Keep(s.Log.String(), res.Outcome) // passes too: the HTML report shows them
	r.add(p.Id, res)
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

func (r *runner) add(pickleID string, res results.Result) {
	r.mu.Lock()
	r.results = append(r.results, res)
	r.recorded[pickleID] = true
	n := len(r.results)
	r.mu.Unlock()
	if r.opt.Progress != nil {
		fmt.Fprintf(r.opt.Progress, "[%3d] %-10s %-24s %s\n", n, res.Outcome,
			strings.Join(res.Reqs, " "), res.Scenario)
	}
}

// addUnrun gives a row to every scenario godog saw but never ran hooks for
// (a scenario without steps): it must not vanish from the report.
func (r *runner) addUnrun() {
	r.col.mu.Lock()
	var missing []string
	for id := range r.col.pickle {
		if !r.recorded[id] {
			missing = append(missing, id)
		}
	}
	slices.Sort(missing)
	pickles := r.col.pickle
	r.col.mu.Unlock()
	for _, id := range missing {
		p := pickles[id]
		res := r.base(p)
		res.Outcome = results.Error
		res.Message = "chatspec defect: scenario has no steps, so it checks nothing"
		r.malformed.Add(1)
		r.add(id, res)
	}
}

// probe checks, after a failure, whether the server is still there (A12).
// If it is gone the failure is marked as the crash; chatspec restarts a
// server it started, and otherwise stops running scenarios against it.
func (r *runner) probe(res *results.Result) {
	ctx, cancel := context.WithTimeout(r.ctx, time.Second)
	defer cancel()
	err := r.env.Target.Alive(ctx)
	if err == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gone != "" {
		return
	}
	msg := fmt.Sprintf("the server stopped answering during this scenario: %v", err)
	if status, exited := r.env.Target.Exited(); exited {
		msg += " (process " + status + ")"
	}
	res.Message = msg + "\n" + res.Message
	crash := results.Crash{After: res.Scenario, Message: msg}
	if r.env.Target.CanRestart() {
		rctx, rcancel := context.WithTimeout(r.ctx, 30*time.Second)
		defer rcancel()
		if rerr := r.env.Target.Restart(rctx); rerr != nil {
			crash.Message += "; restart failed: " + rerr.Error()
			r.gone = res.Scenario
		} else {
			crash.Message += "; restarted"
		}
	} else {
		r.gone = res.Scenario
	}
	r.crashes = append(r.crashes, crash)
}
