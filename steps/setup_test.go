package steps

import (
	"context"
	"net"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/target"
)

// The same failing helper is a blocked setup in one place and a failed
// check in another: the row depends on the step's keyword and on whether
// the scenario's own requirement is the thing that failed.
func TestSetupOrCheckByPositionAndRequirement(t *testing.T) {
	feature := `Feature: positions
  @COP-3.5-9 @must
  Scenario: negotiation as a Given
    Given the negotiation
    Then it is checked

  @COP-3.5-4 @must
  Scenario: negotiation as a Given of its own requirement
    Given the negotiation
    Then it is checked

  @COP-3.5-9 @must
  Scenario: negotiation in an And after a Given
    Given nothing
    And the negotiation
    Then it is checked

  @COP-3.5-9 @must
  Scenario: negotiation as a When
    When the negotiation
    Then it is checked

  @COP-3.5-9 @must
  Scenario: negotiation as a Then
    Then the negotiation

  @COP-3.5-9 @must
  Scenario: plain failure as a Given
    Given a plain failure
    Then it is checked

  @COP-3.5-9 @must
  Scenario: plain failure as a When
    When a plain failure
    Then it is checked

  @COP-3.5-9 @must
  Scenario: harness defect as a Given
    Given a harness defect
    Then it is checked

  @COP-3.5-9 @must
  Scenario: explicitly blocked check
    Then a probe cannot log in
`
	init := func(sc *godog.ScenarioContext, s *Scenario) {
		sc.Step(`^nothing$`, func() error { return nil })
		sc.Step(`^it is checked$`, func() error { return nil })
		sc.Step(`^the negotiation$`, func() error {
			return Stage("the private connection could not be negotiated", "COP-3.5-4",
				Failf([]string{"PRIVATE_ACCEPT(7)"}, "nothing", "alice did not receive bob's acceptance"))
		})
		sc.Step(`^a plain failure$`, func() error { return Failf(nil, "", "it went wrong") })
		sc.Step(`^a harness defect$`, func() error { return Harnessf("bad hex") })
		sc.Step(`^a probe cannot log in$`, func() error {
			return Blocked("a probe could not log in", "COP-3.4-1", Failf(nil, "", "no 1"))
		})
	}
	got := map[string]string{}
	for _, r := range runTiny(t, feature, init).Results {
		got[r.Scenario] = string(r.Outcome) + ": " + r.Message
	}
	assert.Equal(t, map[string]string{
		"negotiation as a Given":                        "INCONCLUSIVE: blocked: the private connection could not be negotiated, see COP-3.5-4: alice did not receive bob's acceptance",
		"negotiation as a Given of its own requirement": "FAIL: the private connection could not be negotiated: alice did not receive bob's acceptance",
		"negotiation in an And after a Given":           "INCONCLUSIVE: blocked: the private connection could not be negotiated, see COP-3.5-4: alice did not receive bob's acceptance",
		"negotiation as a When":                         "INCONCLUSIVE: blocked: the private connection could not be negotiated, see COP-3.5-4: alice did not receive bob's acceptance",
		"negotiation as a Then":                         "FAIL: alice did not receive bob's acceptance",
		"plain failure as a Given":                      `INCONCLUSIVE: blocked: the step "a plain failure" could not complete: it went wrong`,
		"plain failure as a When":                       "FAIL: it went wrong",
		"harness defect as a Given":                     "ERROR: chatspec defect: bad hex",
		"explicitly blocked check":                      "INCONCLUSIVE: blocked: a probe could not log in, see COP-3.4-1: no 1",
	}, got)
}

// A run whose own context ends while a scenario waits blocks that scenario:
// chatspec ran out of its own time, the server was not judged.
func TestRunBudgetIsInconclusive(t *testing.T) {
	feature := `Feature: budget
  @COP-3.5-9 @must
  Scenario: waits past the run's end
    Then the wait is cut short
`
	ctx, cancel := context.WithCancel(context.Background())
	init := func(sc *godog.ScenarioContext, s *Scenario) {
		sc.Step(`^the wait is cut short$`, func() error {
			cancel()
			return Failf(nil, "", "no reply before the deadline")
		})
	}
	run := runTinyCtx(t, ctx, feature, init)
	require.Len(t, run.Results, 1)
	assert.Equal(t, results.Inconclusive, run.Results[0].Outcome)
	assert.ErrorIs(t, judge(ctx, Failf(nil, "", "x"), nil, nil), ErrBudget)
}

func runTiny(t *testing.T, feature string, init func(*godog.ScenarioContext, *Scenario)) *results.Run {
	return runTinyCtx(t, context.Background(), feature, init)
}

// runTinyCtx runs a one-feature suite against a server that accepts and
// holds connections (always alive).
func runTinyCtx(t *testing.T, ctx context.Context, feature string, init func(*godog.ScenarioContext, *Scenario)) *results.Run {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	tgt, err := target.Remote(ln.Addr().String())
	require.NoError(t, err)
	suite := Suite{Protocol: "chatos", Features: fstest.MapFS{"t.feature": {Data: []byte(feature)}}, Init: init}
	env := &Env{Target: tgt, Timeout: time.Second, Quiet: 100 * time.Millisecond}
	run, err := Run(ctx, suite, env, Options{Concurrency: 2})
	require.NoError(t, err)
	return run
}
