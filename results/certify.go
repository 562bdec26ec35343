package results

import (
	"github.com/chatspec/chatspec/catalog"
)

// Deselection is a MUST the run did not judge because a declared option or
// the run's mode says so (a long wait not asked for, a check that needs
// --exec): listed in the report with that reason, it does not block.
type Deselection struct {
	Req    string  `json:"req"`
	Result Outcome `json:"outcome"` // SKIPPED or UNTESTABLE
	Reason string  `json:"reason"`
}

// Coverage is how much of the catalogue a run selected: N of its M
// requirements have a row from a scenario that was selected.
type Coverage struct {
	Selected int `json:"selected"`
	Total    int `json:"total"`
	// MissingMust counts the MUSTs of the catalogue no selected scenario checks.
	MissingMust int `json:"missing_must"`
}

// Complete reports whether every MUST of the catalogue was selected.
func (c Coverage) Complete() bool { return c.MissingMust == 0 }

// Coverage counts the requirements of the run's protocol that some selected
// scenario checks, against the catalogue's.
func (r *Run) Coverage() Coverage {
	seen := map[string]bool{}
	for _, res := range r.Results {
		if res.NotSelected {
			continue
		}
		for _, id := range res.Reqs {
			seen[id] = true
		}
	}
	var c Coverage
	for _, req := range catalog.ForProtocol(r.Protocol) {
		c.Total++
		switch {
		case seen[req.ID]:
			c.Selected++
		case req.Level == catalog.Must:
			c.MissingMust++
		}
	}
	return c
}

// Deselected lists the MUSTs whose rows are SKIPPED or UNTESTABLE (not
// judged by a declared option or the mode), with the row's reason.
func (r *Run) Deselected() []Deselection {
	var out []Deselection
	for _, res := range r.Sorted() {
		if res.NotSelected || res.Level != catalog.Must || (res.Outcome != Skipped && res.Outcome != Untestable) {
			continue
		}
		for _, id := range res.Reqs {
			out = append(out, Deselection{Req: id, Result: res.Outcome, Reason: res.Message})
		}
	}
	return out
}

// Excused counts the results that would block but match the expectations
// file: the run is green, yet not a certification.
func (r *Run) Excused() int {
	n := 0
	for _, res := range r.Results {
		if res.Known && res.Outcome != Pass && res.Outcome != Info {
			n++
		}
	}
	return n
}

// Passed reports whether nothing blocks the run: no FAIL, ERROR or
// INCONCLUSIVE MUST, no unexcused crash, and (strict) no WARN, known
// results aside. It decides the exit code.
func (r *Run) Passed() bool { return r.Blockers().None() }

// Certified reports whether the run certifies the server: it passed, every
// MUST of the catalogue was selected, and no failure was excused by an
// expectations file.
func (r *Run) Certified() bool {
	return r.Passed() && r.Coverage().Complete() && r.Excused() == 0
}

// Verdict is the overall verdict of the runs of one invocation, for every
// renderer to word the same way.
type Verdict struct {
	Certified bool     `json:"certified"`
	Passed    bool     `json:"passed"`   // green: the exit code is 0
	Partial   bool     `json:"partial"`  // some MUST of the catalogue was not selected
	Coverage  Coverage `json:"coverage"` // summed over the runs
	Excused   int      `json:"excused"`  // failures the expectations file excused
	Expect    string   `json:"expect,omitempty"`
	Blockers  Blockers `json:"blockers"`
}

// Verdict sums the runs' verdicts: certified only if every run is.
func (rs Runs) Verdict() Verdict {
	v := Verdict{Passed: rs.Passed(), Blockers: rs.Blockers()}
	for _, r := range rs {
		c := r.Coverage()
		v.Coverage.Selected += c.Selected
		v.Coverage.Total += c.Total
		v.Coverage.MissingMust += c.MissingMust
		v.Excused += r.Excused()
		if r.Expect != "" {
			v.Expect = r.Expect
		}
	}
	v.Partial = !v.Coverage.Complete()
	v.Certified = v.Passed && !v.Partial && v.Excused == 0
	return v
}
