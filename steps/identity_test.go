package steps

import (
	"testing"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
)

// Examples of an outline whose name has no placeholder get a name of
// their own values and their own line, so expectations and --repeat
// merging tell them apart.
func TestOutlineExamplesHaveTheirOwnIdentity(t *testing.T) {
	feature := `Feature: outline
  @COP-2.1-3 @should
  Scenario Outline: nicknames are refused
    Then <nickname> is refused

    Examples:
      | nickname |
      | empty    |
      | spaced   |
`
	init := func(sc *godog.ScenarioContext, s *Scenario) {
		sc.Step(`^(\w+) is refused$`, func(n string) error {
			if n == "spaced" {
				return Failf(nil, "", "accepted")
			}
			return nil
		})
	}
	run := runTiny(t, feature, init)
	require.Len(t, run.Results, 2)
	byName := map[string]results.Result{}
	for _, r := range run.Results {
		byName[r.Scenario] = r
	}
	empty, spaced := byName["nicknames are refused (nickname: empty)"], byName["nicknames are refused (nickname: spaced)"]
	assert.Equal(t, "features/chatos/t.feature:8", empty.Location)
	assert.Equal(t, "features/chatos/t.feature:9", spaced.Location)
	assert.Equal(t, results.Pass, empty.Outcome)
	assert.Equal(t, results.Warn, spaced.Outcome)
	assert.NotEqual(t, empty.Key(), spaced.Key())

	merged := results.MergeRepeats([]*results.Run{run, runTiny(t, feature, init)})
	assert.Len(t, merged.Results, 2, "--repeat keeps one row per example")

	again := runTiny(t, feature, init)
	again.Strict = true
	again.ApplyExpectations(results.ExpectationsFrom(run))
	for _, r := range again.Results {
		assert.Equal(t, r.Outcome == results.Warn, r.Known, "only the failing example is known: %s", r.Scenario)
	}
	assert.True(t, again.Passed())
}
