package results

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpectationsRoundTrip(t *testing.T) {
	run := sampleRun()
	e := ExpectationsFrom(run)
	assert.Equal(t, Expectations{
		{"COP-3.5-6", "Both sides get 11", Fail},
		{"COP-3.5-7", "Both sides get 11", Fail},
		{"COP-3.5-10", "Ids are not sequential", Warn},
	}, e)
	var buf bytes.Buffer
	_, err := e.WriteTo(&buf)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(buf.String(), expectationsHeader+"\n"))
	assert.Contains(t, buf.String(), "COP-3.5-6\tBoth sides get 11\tFAIL\n")
	back, err := ReadExpectations(&buf)
	require.NoError(t, err)
	assert.Equal(t, e, back)
}

func TestApplyExpectationsMakesKnownFailuresPass(t *testing.T) {
	run := sampleRun()
	run.Strict = true
	require.False(t, run.Passed())
	run.ApplyExpectations(ExpectationsFrom(sampleRun()))
	assert.True(t, run.Results[0].Known)
	assert.True(t, run.Results[3].Known)
	assert.False(t, run.Results[1].Known, "passing results are never known")
	assert.True(t, run.Passed())
	assert.Equal(t, ExitCertified, run.ExitCode())
}

func TestApplyExpectationsNotesChanges(t *testing.T) {
	run := sampleRun()
	run.Results[0].Outcome = Pass
	run.Results[3].Outcome = Fail
	e := ExpectationsFrom(sampleRun())
	run.ApplyExpectations(e)
	run.ApplyExpectations(e)
	assert.False(t, run.Results[0].Known)
	assert.Equal(t, []string{"expected FAIL (expectations file), now passes: remove its line"}, run.Results[0].Notes)
	assert.False(t, run.Results[3].Known)
	assert.Equal(t, []string{"expected WARN (expectations file), got FAIL"}, run.Results[3].Notes)
	assert.False(t, run.Passed(), "a new failure still blocks")
}

func TestReadExpectationsRejectsBadLines(t *testing.T) {
	for name, text := range map[string]string{
		"two fields":    "COP-2.1-1\tFAIL\n",
		"bad outcome":   "COP-2.1-1\tx\tBROKEN\n",
		"pass expected": "COP-2.1-1\tx\tPASS\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ReadExpectations(strings.NewReader("# header\n\n" + text))
			require.ErrorIs(t, err, ErrBadExpectation)
			assert.Contains(t, err.Error(), "line 3")
		})
	}
}

func TestExpectationsCleanScenarioNames(t *testing.T) {
	run := &Run{Results: []Result{{Reqs: []string{"PAT-R-2"}, Scenario: "tab\there\nnewline", Outcome: Error}}}
	e := ExpectationsFrom(run)
	var buf bytes.Buffer
	_, err := e.WriteTo(&buf)
	require.NoError(t, err)
	back, err := ReadExpectations(&buf)
	require.NoError(t, err)
	run.ApplyExpectations(back)
	assert.True(t, run.Results[0].Known)
}

func TestUnmatchedExpectations(t *testing.T) {
	e := Expectations{{"COP-3.5-6", "Both sides get 11", Fail}, {"COP-2.1-1", "Renamed scenario", Fail}}
	assert.Equal(t, Expectations{{"COP-2.1-1", "Renamed scenario", Fail}}, e.Unmatched(sampleRun()))
}
