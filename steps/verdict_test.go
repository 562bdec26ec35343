package steps

import (
	"errors"
	"testing"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
)

func TestBlockedWrapsOnlySetupFailures(t *testing.T) {
	cause := Failf([]string{"PRIVATE_ACCEPT(7)"}, "nothing", "did not receive PRIVATE_ACCEPT(7)")
	err := Blocked("the private connection could not be negotiated", "COP-3.5-4", cause)
	assert.ErrorIs(t, err, ErrInconclusive)
	ce, ok := AsCheck(err)
	require.True(t, ok, "the cause stays reachable")
	assert.Same(t, cause, error(ce))
	assert.Equal(t, "blocked: the private connection could not be negotiated, see COP-3.5-4: "+cause.Error(), err.Error())
	assert.NoError(t, Blocked("x", "", nil))
	harness := Harnessf("bad hex %q", "zz")
	assert.Same(t, harness, Blocked("x", "", harness), "a harness defect is never hidden")
	assert.False(t, errors.Is(harness, ErrInconclusive))
}

// A tiny suite whose Given step cannot complete, whose check fails, and
// whose step hits a harness defect: three rows, three different outcomes.
func TestRunnerVerdictsForSetupCheckAndHarness(t *testing.T) {
	feature := `Feature: verdicts
  @COP-3.5-9 @must
  Scenario: setup cannot complete
    Given a private connection
    Then nothing is bridged

  @COP-3.5-8 @must
  Scenario: the check fails
    Given a logged-in client
    Then nothing is bridged

  @COP-3.5-7 @must
  Scenario: the harness is at fault
    Given a logged-in client
    Then the hex "zz" is sent
`
	run := runTiny(t, feature, func(sc *godog.ScenarioContext, s *Scenario) {
		sc.Step(`^a private connection$`, func() error {
			return Blocked("the private connection could not be negotiated", "COP-3.5-4",
				Failf(nil, "", "did not receive PRIVATE_ACCEPT(7)"))
		})
		sc.Step(`^a logged-in client$`, func() error { return nil })
		sc.Step(`^nothing is bridged$`, func() error { return Failf([]string{"no 11"}, "11", "bridged") })
		sc.Step(`^the hex "([^"]*)" is sent$`, func(h string) error { return Harnessf("bad hex %q", h) })
	})
	got := map[string]results.Outcome{}
	for _, r := range run.Results {
		got[r.Scenario] = r.Outcome
	}
	assert.Equal(t, map[string]results.Outcome{
		"setup cannot complete":   results.Inconclusive,
		"the check fails":         results.Fail,
		"the harness is at fault": results.Error,
	}, got)
	assert.False(t, run.Passed())
	assert.Empty(t, run.Crashes, "an alive server is not a crash")
}
