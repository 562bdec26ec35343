package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
)

// --progress (or stderr not a terminal) gives one plain line per scenario,
// numbered against the total the run will execute.
func TestProgressPlainLines(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	code, _, errs := chatspecCLI(t, "run", "chatos", "--faults", "sender-from-packet", "--section", "2.3", "--color", "never", "--progress")
	require.Equal(t, 1, code)
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	require.Len(t, lines, 4, errs)
	assert.Regexp(t, `^\[  4/4\] (PASS|FAIL) `, lines[3])
	assert.Equal(t, 2, strings.Count(errs, "FAIL         COP-2.3-1"))
	assert.NotContains(t, errs, "\x1b[K", "no redrawing off a terminal")
	_, _, quiet := chatspecCLI(t, "run", "chatos", "--section", "2.3", "--color", "never")
	assert.Empty(t, quiet, "no progress when stderr is no terminal and --progress is not given")
}

// On a terminal the status line is redrawn in place and cut to its width.
func TestProgressRedrawsInPlace(t *testing.T) {
	var b bytes.Buffer
	l := &liveProgress{w: &b, width: 52}
	l.p.Protocol, l.p.Total = "chatos", 3
	l.observe(results.Result{Reqs: []string{"COP-2.1-1"}, Scenario: "a scenario with a long name", Outcome: results.Pass})
	l.observe(results.Result{Reqs: []string{"COP-2.3-1"}, Scenario: "s", Outcome: results.Fail})
	l.finish()
	frames := strings.Split(b.String(), "\r\x1b[K")
	require.Len(t, frames, 4, "%q", b.String())
	assert.Equal(t, "chatos 1/3 scenarios, 0 failed · PASS COP-2.1-1 a …", frames[1])
	assert.Equal(t, "chatos 2/3 scenarios, 1 failed · FAIL COP-2.3-1 s", frames[2])
	assert.Empty(t, frames[3], "the line is cleared at the end")
	assert.NotContains(t, b.String(), "\n")
}
