package results

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMergeRepeatsKeepsTheWorstAndFlagsFlakes(t *testing.T) {
	res := func(o Outcome) Result {
		return Result{Protocol: "chatos", Reqs: []string{"COP-2.1-1"}, Scenario: "dup", Location: "f:1", Outcome: o}
	}
	steady := Result{Protocol: "chatos", Reqs: []string{"COP-3.4-1"}, Scenario: "ok", Location: "f:9", Outcome: Pass}
	runs := []*Run{
		{Protocol: "chatos", Results: []Result{res(Pass), steady}},
		{Protocol: "chatos", Results: []Result{res(Fail), steady}, Crashes: []Crash{{Scenario: "dup"}}},
		{Protocol: "chatos", Results: []Result{res(Pass), steady}},
	}
	m := MergeRepeats(runs)
	require.Len(t, m.Results, 2)
	byScenario := map[string]Result{}
	for _, r := range m.Results {
		byScenario[r.Scenario] = r
	}
	assert.Equal(t, Fail, byScenario["dup"].Outcome)
	assert.Equal(t, []string{"UNSTABLE across repetitions: PASS 2/3, FAIL 1/3"}, byScenario["dup"].Notes)
	assert.Equal(t, Pass, byScenario["ok"].Outcome)
	assert.Empty(t, byScenario["ok"].Notes)
	assert.False(t, m.Certified())
	assert.Len(t, m.Crashes, 1)
	assert.Empty(t, runs[0].Results[0].Notes, "the inputs are not changed")
}
