package results

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/catalog"
)

func uncovered(run *Run) map[string]Result {
	m := map[string]Result{}
	for _, r := range run.Results {
		if r.Outcome == Untestable {
			m[r.Reqs[0]] = r
		}
	}
	return m
}

func TestAddUncoveredTargetMode(t *testing.T) {
	run := &Run{Protocol: catalog.PatChat, Mode: ModeTarget, Results: []Result{
		{Protocol: catalog.PatChat, Reqs: []string{"PAT-1-1", "PAT-1-2"}, Outcome: Pass},
	}}
	AddUncovered(run, catalog.All())
	got := uncovered(run)
	assert.Len(t, got, len(catalog.ForProtocol(catalog.PatChat))-2)
	assert.NotContains(t, got, "PAT-1-1")
	assert.NotContains(t, got, "COP-2.1-1", "other protocols are ignored")

	seven := got["PAT-7-1"]
	req, _ := catalog.Lookup("PAT-7-1")
	assert.Equal(t, req.Untestable, seven.Message)
	assert.Equal(t, catalog.Info, seven.Level)
	assert.Equal(t, "7", seven.Section)
	assert.Equal(t, ReasonNeedsExec, got["PAT-4.4-3"].Message)
	assert.Equal(t, ReasonNoScenario, got["PAT-6.1-1"].Message)
}

func TestAddUncoveredExecModeAndIdempotence(t *testing.T) {
	run := &Run{Protocol: catalog.PatChat, Mode: ModeExec}
	AddUncovered(run, catalog.ForProtocol(catalog.PatChat))
	n := len(run.Results)
	assert.Equal(t, ReasonNoScenario, uncovered(run)["PAT-4.4-3"].Message)
	AddUncovered(run, catalog.ForProtocol(catalog.PatChat))
	assert.Len(t, run.Results, n, "second call adds nothing")
}

func TestRowsOnePerRequirement(t *testing.T) {
	run := sampleRun()
	rows := run.Rows()
	require.Len(t, rows, 5)
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.Req)
	}
	assert.Equal(t, []string{"COP-2.1-1", "COP-3.5-6", "COP-3.5-7", "COP-3.5-10", "COP-3.6-2"}, ids)
	assert.Same(t, rows[1].Result, rows[2].Result, "both IDs share the scenario")
	assert.Equal(t, catalog.Info, rows[4].Level)
	assert.Equal(t, "3.6", rows[4].Section)
}

func TestRowsUsesCatalogueLevel(t *testing.T) {
	run := &Run{Results: []Result{{Reqs: []string{"COP-3.6-1", "COP-3.6-2"}, Level: catalog.Must, Section: "3.6", Outcome: Fail}}}
	rows := run.Rows()
	require.Len(t, rows, 2)
	assert.Equal(t, catalog.Must, rows[0].Level)
	assert.Equal(t, catalog.Info, rows[1].Level)
}

func TestRowLevelIsTheCataloguesAlone(t *testing.T) {
	run := &Run{Protocol: "chatos", Results: []Result{{Protocol: "chatos", Reqs: []string{"COP-3.3-1"},
		Level: catalog.Should, Scenario: "a scenario claiming SHOULD", Outcome: Pass}}}
	rows := run.Rows()
	require.Len(t, rows, 1)
	assert.Equal(t, catalog.Must, rows[0].Level, "a scenario's level never weakens the catalogue's")
}
