package results

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/catalog"
)

// sampleRun is a ChatOS run with one result of most outcomes.
func sampleRun() *Run {
	return &Run{
		Tool: "chatspec test", Protocol: catalog.ChatOS, Target: "127.0.0.1:7777", Mode: ModeTarget,
		Started:  time.Date(2025, 11, 25, 20, 53, 0, 123456789, time.UTC),
		Duration: 1234567891 * time.Nanosecond,
		Results: []Result{
			{Protocol: "chatos", Reqs: []string{"COP-3.5-6", "COP-3.5-7"}, Level: catalog.Must, Section: "3.5",
				Scenario: "Both sides get 11", Location: "features/chatos/3_5_private.feature:12", Outcome: Fail,
				Duration: 2500 * time.Microsecond, Message: "no 11 on the second connection",
				Check: &Check{Expected: []string{"0b"}, Actual: "(timeout)"}, TimedOut: true, Wait: 2 * time.Second,
				Transcript: "c1 -> 0a 00 00 00 00 00 00 00 07\n"},
			{Protocol: "chatos", Reqs: []string{"COP-2.1-1"}, Level: catalog.Must, Section: "2.1",
				Scenario: "Taken nickname", Outcome: Pass, Duration: time.Millisecond},
			{Protocol: "chatos", Reqs: []string{"COP-3.6-2"}, Level: catalog.Info, Section: "3.6",
				Scenario: "Own copy", Outcome: Info, Notes: []string{"sender receives own public message: yes"}},
			{Protocol: "chatos", Reqs: []string{"COP-3.5-10"}, Level: catalog.Should, Section: "3.5",
				Scenario: "Ids are not sequential", Outcome: Warn, Message: "ids 1 then 2"},
		},
	}
}

func TestOutcomeFor(t *testing.T) {
	assert.Equal(t, Pass, OutcomeFor(catalog.Must, true))
	assert.Equal(t, Fail, OutcomeFor(catalog.Must, false))
	assert.Equal(t, Pass, OutcomeFor(catalog.Should, true))
	assert.Equal(t, Warn, OutcomeFor(catalog.Should, false))
	assert.Equal(t, Info, OutcomeFor(catalog.Info, true))
	assert.Equal(t, Info, OutcomeFor(catalog.Info, false))
}

func TestParseOutcome(t *testing.T) {
	for _, o := range outcomes {
		got, err := ParseOutcome(string(o))
		require.NoError(t, err)
		assert.Equal(t, o, got)
	}
	_, err := ParseOutcome("fail")
	assert.ErrorIs(t, err, ErrUnknownOutcome)
}

func TestSortIsDeterministic(t *testing.T) {
	want := sampleRun()
	want.Sort()
	assert.Equal(t, []string{"COP-2.1-1", "COP-3.5-6", "COP-3.5-10", "COP-3.6-2"},
		[]string{want.Results[0].Reqs[0], want.Results[1].Reqs[0], want.Results[2].Reqs[0], want.Results[3].Reqs[0]})
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20 {
		got := sampleRun()
		rng.Shuffle(len(got.Results), func(i, j int) { got.Results[i], got.Results[j] = got.Results[j], got.Results[i] })
		got.Sort()
		assert.Equal(t, want.Results, got.Results)
	}
}

func TestSortedLeavesRunAlone(t *testing.T) {
	run := sampleRun()
	first := run.Results[0].Reqs[0]
	sorted := run.Sorted()
	assert.Equal(t, "COP-2.1-1", sorted[0].Reqs[0])
	assert.Equal(t, first, run.Results[0].Reqs[0])
}

func TestCountsAndVerdict(t *testing.T) {
	run := sampleRun()
	c := run.Counts()
	assert.Equal(t, Counts{Pass: 1, Fail: 1, Warn: 1, Info: 1}, c)
	assert.Equal(t, 4, c.Total())
	assert.Equal(t, Blockers{Fail: 1}, run.Blockers())
	assert.False(t, run.Certified())
	assert.Equal(t, ExitNotCertified, run.ExitCode())

	run.Results[0].Outcome = Pass
	assert.True(t, run.Certified(), "a WARN does not block without strict")
	assert.Equal(t, ExitCertified, run.ExitCode())

	run.Strict = true
	assert.Equal(t, Blockers{Warn: 1}, run.Blockers())
	assert.False(t, run.Certified())
}

func TestErrorBlocks(t *testing.T) {
	run := &Run{Results: []Result{{Outcome: Error}, {Outcome: Skipped}, {Outcome: Untestable}}}
	assert.Equal(t, Blockers{Error: 1}, run.Blockers())
	run.Results[0].Outcome = Info
	assert.True(t, run.Certified())
}

func TestCrashBlocksUnlessKnown(t *testing.T) {
	run := &Run{Results: []Result{{Scenario: "boom", Outcome: Fail}}, Crashes: []Crash{{Scenario: "boom", Message: "EOF"}}}
	assert.Equal(t, Blockers{Fail: 1, Crashes: 1}, run.Blockers())
	run.Results[0].Known = true
	assert.True(t, run.Certified())
	assert.Equal(t, 1, run.Counts().Known)
}

func TestRunsAggregate(t *testing.T) {
	a, b := sampleRun(), sampleRun()
	b.Results[0].Outcome = Pass
	runs := Runs{a, b}
	assert.Equal(t, 2, runs.Counts().Warn)
	assert.Equal(t, Blockers{Fail: 1}, runs.Blockers())
	assert.False(t, runs.Certified())
	assert.Equal(t, ExitNotCertified, runs.ExitCode())
	assert.Equal(t, 2*a.Duration, runs.Duration())

	assert.True(t, Runs{b}.Certified())
	assert.False(t, Runs{}.Certified(), "no run is no certificate")
}
