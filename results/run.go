package results

import (
	"cmp"
	"slices"
	"time"

	"github.com/chatspec/chatspec/catalog"
)

// Counts is the number of results per outcome. Known counts the results
// (of any outcome) that matched the expectations file.
type Counts struct {
	Pass         int `json:"pass"`
	Fail         int `json:"fail"`
	Warn         int `json:"warn"`
	Info         int `json:"info"`
	Inconclusive int `json:"inconclusive"`
	Untestable   int `json:"untestable"`
	Skipped      int `json:"skipped"`
	Error        int `json:"error"`
	Known        int `json:"known"`
}

// Total is the number of results counted.
func (c Counts) Total() int {
	return c.Pass + c.Fail + c.Warn + c.Info + c.Inconclusive + c.Untestable + c.Skipped + c.Error
}

func (c *Counts) add(r Result) {
	switch r.Outcome {
	case Pass:
		c.Pass++
	case Fail:
		c.Fail++
	case Warn:
		c.Warn++
	case Info:
		c.Info++
	case Inconclusive:
		c.Inconclusive++
	case Untestable:
		c.Untestable++
	case Skipped:
		c.Skipped++
	case Error:
		c.Error++
	}
	if r.Known {
		c.Known++
	}
}

func (c Counts) plus(o Counts) Counts {
	return Counts{c.Pass + o.Pass, c.Fail + o.Fail, c.Warn + o.Warn, c.Info + o.Info, c.Inconclusive + o.Inconclusive,
		c.Untestable + o.Untestable, c.Skipped + o.Skipped, c.Error + o.Error, c.Known + o.Known}
}

// Blockers is what keeps a run from being certified: unknown MUST failures,
// errors, SHOULD warnings in strict mode, and crashes not excused by a known
// result of the scenario they followed.
type Blockers struct {
	Fail         int `json:"fail"`
	Warn         int `json:"warn"`
	Inconclusive int `json:"inconclusive"`
	Error        int `json:"error"`
	Crashes      int `json:"crashes"`
}

// None reports whether nothing blocks certification.
func (b Blockers) None() bool { return b == Blockers{} }

func (b Blockers) plus(o Blockers) Blockers {
	return Blockers{b.Fail + o.Fail, b.Warn + o.Warn, b.Inconclusive + o.Inconclusive, b.Error + o.Error, b.Crashes + o.Crashes}
}

// Counts returns the number of results per outcome.
func (r *Run) Counts() Counts {
	var c Counts
	for _, res := range r.Results {
		c.add(res)
	}
	return c
}

// Blockers counts what keeps this run from certification.
func (r *Run) Blockers() Blockers {
	var b Blockers
	known := map[string]bool{}
	for _, res := range r.Results {
		if res.Known {
			known[res.Location+"\x00"+res.Scenario] = true
			continue
		}
		switch {
		case res.Outcome == Fail:
			b.Fail++
		case res.Outcome == Error:
			b.Error++
		case res.Outcome == Warn && r.Strict:
			b.Warn++
		case res.Outcome == Inconclusive && (res.Level == catalog.Must || r.Strict):
			b.Inconclusive++
		}
	}
	for _, c := range r.Crashes {
		if c.Scenario == "" || !known[c.Location+"\x00"+c.Scenario] {
			b.Crashes++
		}
	}
	return b
}

// Certified reports whether the run has no FAIL, no ERROR, no INCONCLUSIVE
// MUST, no unexcused crash, and (when Strict) no WARN and no INCONCLUSIVE
// SHOULD; known results do not count.
func (r *Run) Certified() bool { return r.Blockers().None() }

// ExitCode is ExitCertified when the run is certified, ExitNotCertified
// otherwise. ExitUsage is the CLI's to return.
func (r *Run) ExitCode() int { return exitCode(r.Certified()) }

func exitCode(certified bool) int {
	if certified {
		return ExitCertified
	}
	return ExitNotCertified
}

// Sorted returns a copy of the results in report order: protocol, section
// (numeric-aware), first requirement ID, scenario, location. Concurrent
// scenarios finish in any order; reports must not.
func (r *Run) Sorted() []Result {
	out := slices.Clone(r.Results)
	slices.SortStableFunc(out, compareResults)
	return out
}

// Sort puts the results in report order (see Sorted).
func (r *Run) Sort() { r.Results = r.Sorted() }

func compareResults(a, b Result) int {
	if c := cmp.Compare(a.Protocol, b.Protocol); c != 0 {
		return c
	}
	if c := catalog.CompareSection(a.Section, b.Section); c != 0 {
		return c
	}
	if c := catalog.CompareID(firstReq(a), firstReq(b)); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Scenario, b.Scenario); c != 0 {
		return c
	}
	return cmp.Compare(a.Location, b.Location)
}

func firstReq(r Result) string {
	if len(r.Reqs) == 0 {
		return ""
	}
	return r.Reqs[0]
}

// Runs is the runs of one chatspec invocation (`chatspec run` with no
// protocol runs both). A []*Run converts to it implicitly.
type Runs []*Run

// Counts sums the outcome counts of every run.
func (rs Runs) Counts() Counts {
	var c Counts
	for _, r := range rs {
		c = c.plus(r.Counts())
	}
	return c
}

// Blockers sums what keeps every run from certification.
func (rs Runs) Blockers() Blockers {
	var b Blockers
	for _, r := range rs {
		b = b.plus(r.Blockers())
	}
	return b
}

// Certified reports whether every run is certified (and there is at least one).
func (rs Runs) Certified() bool { return len(rs) > 0 && rs.Blockers().None() }

// ExitCode is ExitCertified when every run is certified, else ExitNotCertified.
func (rs Runs) ExitCode() int { return exitCode(rs.Certified()) }

// Duration is the summed wall time of the runs.
func (rs Runs) Duration() time.Duration {
	var d time.Duration
	for _, r := range rs {
		d += r.Duration
	}
	return d
}
