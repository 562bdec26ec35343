package oracle

import (
	"fmt"
	"strings"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/results"
)

// ScenarioPrefix starts the scenario name of every row the checker adds.
const ScenarioPrefix = "history checker: "

// Row is a violation as a result row, on the requirement it breaks; its
// transcript is the excerpts that show it.
func Row(protocol string, v Violation) results.Result {
	req, _ := catalog.Lookup(v.Req)
	return results.Result{
		Protocol: protocol, Reqs: []string{v.Req}, Level: req.Level, Section: req.Section,
		Scenario: ScenarioPrefix + string(v.Kind) + " found in " + v.Where,
		Outcome:  results.OutcomeFor(req.Level, false), Message: v.String(),
		Check:      &results.Check{Expected: []string{expected(v.Kind)}, Actual: v.Why},
		Transcript: strings.Join(v.Excerpts, "\n") + "\n",
	}
}

// expected says what a careful reader would have accepted.
func expected(k Kind) string {
	switch k {
	case KindLeak:
		return "the message delivered only to its addressees while they were addressees"
	case KindDuplicate:
		return "each message delivered at most once to each receiver"
	case KindOrder:
		return "one sender's messages delivered in the order they were written"
	case KindLost:
		return "the message delivered to every addressee"
	}
	return "the text and the sender delivered exactly as written"
}

// Apply adds one row per violation to the run and turns the row of each
// scenario a violation was found in (a Result whose Location is the
// violation's Where) at least as red as the violation, saying the history
// checker found it.
func Apply(run *results.Run, rep Report) {
	for _, v := range rep.Violations {
		row := Row(run.Protocol, v)
		run.Results = append(run.Results, row)
		for i := range run.Results {
			res := &run.Results[i]
			if res.Location != v.Where || strings.HasPrefix(res.Scenario, ScenarioPrefix) {
				continue
			}
			before := res.Outcome
			res.Outcome = results.Worse(res.Outcome, row.Outcome)
			res.Notes = append(res.Notes, fmt.Sprintf("%s (on %s)", v.String(), v.Req))
			if before != res.Outcome {
				res.Message = "found by the history checker, not by this scenario's own checks: " + v.String()
				res.Transcript = row.Transcript
			}
		}
	}
	if rep.Omitted > 0 {
		run.Results = append(run.Results, results.Result{Protocol: run.Protocol, Scenario: ScenarioPrefix + "more",
			Outcome: results.Info, Message: fmt.Sprintf("%d more violations not listed", rep.Omitted)})
	}
}
