package oracle

import (
	"fmt"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/results"
)

// Audit checks a suite run's history: every violation becomes a row (and
// turns the scenario it was found in red), and each requirement only the
// history checker judges gets a row of its own saying what was judged (none
// when the run delivered nothing: the catalogue's reason then stands).
func Audit(run *results.Run, sources []Source) Report {
	h := Build(sources)
	rep := Check(&h, Options{Protocol: run.Protocol})
	Apply(run, rep)
	broken := map[string]bool{}
	for _, v := range rep.Violations {
		broken[v.Req] = true
	}
	for _, req := range catalog.ForProtocol(run.Protocol) {
		if req.Needs == catalog.NeedsHistory && !broken[req.ID] && rep.Judged > 0 {
			run.Results = append(run.Results, checkedRow(req, rep))
		}
	}
	return rep
}

// checkedRow is the row of a history requirement with no violation.
func checkedRow(req catalog.Requirement, rep Report) results.Result {
	return results.Result{Protocol: req.Protocol, Reqs: []string{req.ID}, Level: req.Level, Section: req.Section,
		Scenario: ScenarioPrefix + "every delivery of the run", Outcome: results.Pass,
		Notes: []string{fmt.Sprintf("%d deliveries of %d messages judged", rep.Judged, rep.Messages)}}
}
