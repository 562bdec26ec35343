package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readVerdict reads results.json's certified flag and the first run.
func readVerdict(t *testing.T, dir string) (bool, map[string]any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "results.json"))
	require.NoError(t, err)
	var f struct {
		Certified bool             `json:"certified"`
		Runs      []map[string]any `json:"runs"`
	}
	require.NoError(t, json.Unmarshal(data, &f))
	require.NotEmpty(t, f.Runs)
	return f.Certified, f.Runs[0]
}

// A run of one section passes (exit 0) but certifies nothing, and
// results.json says what was selected.
func TestSectionRunIsPartialNotCertified(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	dir := t.TempDir()
	code, out, errs := chatspecCLI(t, "run", "chatos", "--section", "3.5", "--color", "never", "--report", dir)
	require.Equal(t, 0, code, "stderr: %s\n%s", errs, out)
	last := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	assert.Regexp(t, `^PASSED \(partial: \d+ of \d+ requirements, not a certification\)$`, last)
	assert.NotContains(t, out, "\nCERTIFIED")
	certified, id := readVerdict(t, dir)
	assert.False(t, certified)
	assert.Equal(t, "--section 3.5", id["selection"])
	assert.NotEmpty(t, id["profile"])
	assert.NotEmpty(t, id["version"])
	assert.Regexp(t, `^[0-9a-f]{64}$`, id["features_digest"])
	coverage := id["coverage"].(map[string]any)
	assert.Equal(t, 11.0, coverage["selected"], "the scenarios of section 3.5 check 11 requirements")
	assert.Greater(t, coverage["missing_must"], 0.0)
}

// Known failures keep a whole run green, but the verdict says so. The
// expectations are written by a run of the two sections whose scenarios
// duplicate-nick breaks; the whole run then fails on anything else.
func TestExpectedFailuresAreNoCertification(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	dir := t.TempDir()
	expect := filepath.Join(dir, "known.txt")
	args := []string{"run", "chatos", "--faults", "duplicate-nick", "--color", "never"}
	code, _, _ := chatspecCLI(t, append(args, "--section", "2.1,3.4", "--write-expect", expect)...)
	require.Equal(t, 1, code)
	code, out, errs := chatspecCLI(t, append(args, "--expect", expect, "--report", dir)...)
	require.Equal(t, 0, code, "stderr: %s\n%s", errs, out)
	assert.Contains(t, out, "NOT CERTIFIED (no change against "+expect+")")
	certified, id := readVerdict(t, dir)
	assert.False(t, certified)
	assert.Equal(t, expect, id["expect"])
}
