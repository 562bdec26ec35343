package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExpectationsTurnKnownFailuresGreen: a run writes its failures, and the
// next run with --expect fails only on what changed.
func TestExpectationsTurnKnownFailuresGreen(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	exp := filepath.Join(t.TempDir(), "known.txt")
	args := []string{"run", "chatos", "--faults", "duplicate-nick", "--section", "2.1", "--color", "never"}
	code, _, _ := chatspecCLI(t, append(args, "--write-expect", exp)...)
	require.Equal(t, 1, code)
	data, err := os.ReadFile(exp)
	require.NoError(t, err)
	assert.Contains(t, string(data), "COP-2.1-1")

	code, out, errs := chatspecCLI(t, append(args, "--expect", exp)...)
	assert.Equal(t, 0, code, "known failures only: %s\n%s", errs, out)

	// The same expectations against a clean server: the unexpected pass is
	// noted, and nothing fails.
	code, out, _ = chatspecCLI(t, "run", "chatos", "--section", "2.1", "--color", "never", "--expect", exp)
	assert.Equal(t, 0, code)
	assert.Contains(t, strings.ToLower(out), "pass")
}

func TestDialectCheckNamesThePlace(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("name: x\nactions:\n  greeting:\n    - expect: '(unclosed'\n"), 0o644))
	code, out, _ := chatspecCLI(t, "dialect", "check", bad)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, bad+":4:")
	assert.Contains(t, out, "register", "missing actions are listed")

	good := filepath.Join("..", "..", "dialects", "reference.yaml")
	code, out, _ = chatspecCLI(t, "dialect", "check", good)
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "ok")
}

func TestBothProtocolsRunByDefault(t *testing.T) {
	// Not parallel: a certification must not compete with other full runs on a loaded machine.
	code, out, errs := chatspecCLI(t, "run", "--color", "never", "--tags", "@must and not @serial")
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "chatos:")
	assert.Contains(t, out, "patchat:")
}
