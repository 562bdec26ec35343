package results

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJSONRoundTrip(t *testing.T) {
	a, b := sampleRun(), sampleRun()
	b.Protocol, b.Mode, b.Strict = "patchat", ModeExec, true
	b.TargetLog, b.Crashes = "panic: boom\n", []Crash{{Scenario: "Own copy", Message: "connection refused"}}
	b.Results[0].Duration = 3*time.Hour + 7*time.Nanosecond
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, Runs{a, b}))
	got, err := ReadJSON(&buf)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, a, got[0])
	assert.Equal(t, b, got[1])
}

func TestJSONFields(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, Runs{sampleRun()}))
	out := buf.String()
	for _, want := range []string{`"format": "chatspec-results/1"`, `"certified": false`, `"duration_ms": 2.5`,
		`"wait_ms": 2000`, `"reqs": [`, `"COP-3.5-6"`, `"timed_out": true`, `"duration_ms": 1234.567891`} {
		assert.Contains(t, out, want)
	}
}

func TestReadJSONRejectsOtherFormats(t *testing.T) {
	_, err := ReadJSON(strings.NewReader(`{"format":"chatspec-results/9","runs":[]}`))
	assert.ErrorIs(t, err, ErrBadResultsFile)
	_, err = ReadJSON(strings.NewReader(`{`))
	assert.ErrorIs(t, err, ErrBadResultsFile)
}

func TestWriteJSONNoRuns(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, nil))
	assert.Contains(t, buf.String(), `"runs": []`)
}
