package results

import (
	"testing"

	"github.com/chatspec/chatspec/catalog"
	"github.com/stretchr/testify/assert"
)

// completeRun has one passing row per requirement of the ChatOS catalogue
// (INFO ones as INFO), COP-5-2 SKIPPED by its declared option.
func completeRun() *Run {
	run := &Run{Protocol: "chatos"}
	for _, req := range catalog.ForProtocol("chatos") {
		res := Result{Protocol: "chatos", Reqs: []string{req.ID}, Level: req.Level, Scenario: "s " + req.ID,
			Outcome: OutcomeFor(req.Level, true)}
		if req.ID == "COP-5-2" {
			res.Outcome, res.Message = Skipped, "the idle timeout is 300s (profile); run with --long"
		}
		run.Results = append(run.Results, res)
	}
	return run
}

func TestCertifiedNeedsEveryMustSelected(t *testing.T) {
	run := completeRun()
	assert.True(t, run.Certified())
	assert.Equal(t, []Deselection{{Req: "COP-5-2", Result: Skipped, Reason: "the idle timeout is 300s (profile); run with --long"}},
		run.Deselected(), "a MUST left out by a declared option is listed with it")

	partial := completeRun()
	partial.Results = partial.Results[:3] // as --section would select
	assert.True(t, partial.Passed(), "green: exit 0")
	assert.False(t, partial.Certified())
	v := Runs{partial}.Verdict()
	assert.True(t, v.Partial)
	assert.Equal(t, 3, v.Coverage.Selected)
	assert.Equal(t, len(catalog.ForProtocol("chatos")), v.Coverage.Total)

	uncovered := completeRun()
	uncovered.Results = uncovered.Results[:3]
	AddUncovered(uncovered, catalog.All())
	assert.False(t, uncovered.Certified(), "rows added for unselected requirements are not a selection")
	assert.Equal(t, 3, uncovered.Coverage().Selected)
}

func TestExcusedFailuresAreGreenButNotCertified(t *testing.T) {
	run := completeRun()
	run.Expect = "known.txt"
	run.Results[0].Outcome = Fail
	assert.False(t, run.Passed())
	run.ApplyExpectations(ExpectationsFrom(run))
	assert.True(t, run.Passed())
	assert.Equal(t, ExitCertified, run.ExitCode())
	assert.False(t, run.Certified())
	v := Runs{run}.Verdict()
	assert.Equal(t, 1, v.Excused)
	assert.Equal(t, "known.txt", v.Expect)
	assert.False(t, v.Certified)
}
