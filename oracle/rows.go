package oracle

import (
	"fmt"
	"slices"
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
	case KindForged:
		return "the sender named as the connection that wrote it"
	}
	return "the text and the sender delivered exactly as written"
}

// Apply adds one row per violation to the run and turns the row of each
// scenario a violation was found in (a Result whose Location is the
// violation's Where) at least as red as the violation, saying the history
// checker found it.
func Apply(run *results.Run, rep Report) {
	noted := map[string]int{} // scenario -> violations noted on its row
	n := len(run.Results)
	for k, v := range rep.Violations {
		if k == MaxRows {
			run.Results = append(run.Results, results.Result{Protocol: run.Protocol, Scenario: ScenarioPrefix + "more",
				Outcome: results.Info, Message: fmt.Sprintf("%d more violations not listed", len(rep.Violations)-k+rep.Omitted)})
			break
		}
		row := Row(run.Protocol, v)
		seen := false // the scenario already failed on this requirement: a note, no second row
		for i := range run.Results[:n] {
			if res := &run.Results[i]; res.Location == v.Where {
				seen = seen || (slices.Contains(res.Reqs, v.Req) && results.Worse(res.Outcome, row.Outcome) == res.Outcome)
				mark(res, row, v, noted)
			}
		}
		if !seen {
			run.Results = append(run.Results, row)
		}
	}
}

// MaxRows bounds the violation rows one run gets.
const MaxRows = 20

// maxNotes bounds the violations noted on one scenario's row.
const maxNotes = 3

// mark turns a scenario's row at least as red as a violation found in it.
func mark(res *results.Result, row results.Result, v Violation, noted map[string]int) {
	before := res.Outcome
	res.Outcome = results.Worse(res.Outcome, row.Outcome)
	if noted[v.Where]++; noted[v.Where] <= maxNotes {
		res.Notes = append(res.Notes, fmt.Sprintf("%s (on %s)", v.String(), v.Req))
	}
	if before != res.Outcome {
		res.Message = "found by the history checker, not by this scenario's own checks: " + v.String()
		res.Transcript = "history checker:\n" + row.Transcript + res.Transcript
	}
}
