package results

import (
	"cmp"
	"slices"

	"github.com/chatspec/chatspec/catalog"
)

// Reasons given for requirements that no scenario of a run covered.
const (
	ReasonNeedsExec  = "checked only when chatspec starts the server itself (--exec)"
	ReasonNoScenario = "no scenario of this run checks it"
	ReasonNoHistory  = "judged by the history checker over a run's deliveries; this run delivered no message to judge"
	ReasonHistory    = "judged by the history checker over every delivery of a run, not by a scenario of its own"
)

// AddUncovered appends an UNTESTABLE result for each requirement of the run's
// protocol that no result names, with the catalogue's reason, so nothing in
// the catalogue silently vanishes from a report. Requirements of other
// protocols are ignored.
func AddUncovered(run *Run, reqs []catalog.Requirement) {
	covered := map[string]bool{}
	for _, res := range run.Results {
		for _, id := range res.Reqs {
			covered[id] = true
		}
	}
	for _, req := range reqs {
		if req.Protocol != run.Protocol || covered[req.ID] {
			continue
		}
		covered[req.ID] = true
		reason := uncoveredReason(req, run.Mode)
		run.Results = append(run.Results, Result{
			Protocol: req.Protocol, Reqs: []string{req.ID}, Level: req.Level, Section: req.Section,
			Outcome: Untestable, Message: reason, NotSelected: reason == ReasonNoScenario || reason == ReasonNoHistory,
		})
	}
}

func uncoveredReason(req catalog.Requirement, mode string) string {
	switch {
	case req.Untestable != "":
		return req.Untestable
	case req.Needs == catalog.NeedsExec && mode != ModeExec:
		return ReasonNeedsExec
	case req.Needs == catalog.NeedsHistory:
		return ReasonNoHistory
	}
	return ReasonNoScenario
}

// Row is one (requirement, scenario) pair of a report table: a scenario
// tagged with two IDs gives two rows, so every ID stands in its own row.
type Row struct {
	Section string        // the requirement's section
	Req     string        // the ID, untouched
	Level   catalog.Level // the catalogue's level of Req
	Result  *Result       // the scenario; shared by the rows of its IDs
}

// Rows expands the run into table rows, sorted by section (numeric-aware),
// requirement ID, scenario and location. The section comes from the
// catalogue, and so does the level, alone: an INFO ID stays INFO in a MUST
// scenario, and no tag can weaken a MUST (a requirement with a MUST and a
// SHOULD part is two IDs, as COP-3.3-1 and COP-3.3-2 are).
func (r *Run) Rows() []Row {
	sorted := r.Sorted()
	var rows []Row
	for i := range sorted {
		res := &sorted[i]
		ids := res.Reqs
		if len(ids) == 0 {
			ids = []string{""}
		}
		for _, id := range ids {
			rows = append(rows, rowFor(id, res))
		}
	}
	slices.SortStableFunc(rows, compareRows)
	return rows
}

func rowFor(id string, res *Result) Row {
	row := Row{Section: res.Section, Req: id, Level: res.Level, Result: res}
	if req, ok := catalog.Lookup(id); ok {
		row.Section, row.Level = req.Section, req.Level
	}
	return row
}

func compareRows(a, b Row) int {
	if c := catalog.CompareSection(a.Section, b.Section); c != 0 {
		return c
	}
	if c := catalog.CompareID(a.Req, b.Req); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Result.Scenario, b.Result.Scenario); c != 0 {
		return c
	}
	return cmp.Compare(a.Result.Location, b.Result.Location)
}
