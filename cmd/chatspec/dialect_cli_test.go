package main

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	refpatchat "github.com/chatspec/chatspec/reference/patchat"
)

// serveStyle runs the Pat Chat reference in one style for the test.
func serveStyle(t *testing.T, style string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- refpatchat.Serve(ctx, ln, refpatchat.Config{Style: style, HashCost: bcrypt.MinCost}) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return ln.Addr().String()
}

// TestFuzzTakesABundledDialectByName: --dialect menu names the bundled
// dialect, whose health probe passes against the menu server between cases.
// Two cases prove it as well as more would (later cases of this seed wait
// out fills the menu server never answers: seconds for nothing).
func TestFuzzTakesABundledDialectByName(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	addr := serveStyle(t, refpatchat.StyleMenu)
	code, stdout, stderr := runCLI(fuzzMain, "patchat", "--dialect", "menu", "--target", addr, "--cases", "2",
		"--probe-every", "1", "--workers", "1", "--seed", "1", "--probe-timeout", "30s")
	assert.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Regexp(t, `\| patchat +\| 2 +\|.*\| [1-9][0-9]* +\| 0 +\| 0 +\|`, stdout, "2 cases, probes, no restart, no finding")
}

func TestFuzzNamesAMissingDialect(t *testing.T) {
	code, _, stderr := runCLI(fuzzMain, "patchat", "--dialect", "no-such-dialect.yaml", "--cases", "1")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--dialect")
	assert.Contains(t, stderr, "no-such-dialect.yaml")
}

// TestDialectThatDoesNotFitEndsAtOnce: the menu dialect against the line
// reference. The preflight stops the run before the suite, with exit 2 and
// the action, step, pattern and text that did not fit.
func TestDialectThatDoesNotFitEndsAtOnce(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	start := time.Now()
	code, stdout, stderr := runCLI(runMain, "patchat", "--dialect", "menu")
	took := time.Since(start)
	require.Equal(t, 2, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Contains(t, stderr, "the dialect does not fit this server (dialect menu): action greeting, step actions.greeting[0]")
	assert.Contains(t, stderr, `"Welcome to Pat Chat![^>]*> "`)
	assert.Contains(t, stderr, `what arrived: "HELLO`)
	assert.Empty(t, stdout, "no suite ran")
	t.Logf("ended after %v", took)
}

// TestPreflightLetsAFittingDialectRun: the numbered dialect against the
// numbered variant passes the preflight and the suite starts.
func TestPreflightLetsAFittingDialectRun(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	addr := serveStyle(t, refpatchat.StyleNumbered)
	code, stdout, stderr := runCLI(runMain, "patchat", "--dialect", "numbered", "--target", addr, "--tags", "@PAT-4.6-1", "--timeout", "10s")
	require.Equal(t, 0, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Contains(t, stdout, "PAT-4.6-1")
}

// TestDialectTryOnEveryVariant: list_rooms, after the greeting, register
// and login it needs, on each style of the reference with its dialect.
func TestDialectTryOnEveryVariant(t *testing.T) {
	for _, style := range []string{refpatchat.StyleLine, refpatchat.StyleMenu, refpatchat.StyleNumbered} {
		name := map[string]string{refpatchat.StyleLine: "reference"}[style]
		if name == "" {
			name = style
		}
		addr := serveStyle(t, style)
		code, stdout, stderr := runCLI(dialectMain, "try", name, "--target", addr, "list_rooms")
		require.Equal(t, 0, code, "%s:\n%s\n%s", style, stdout, stderr)
		assert.Contains(t, stdout, "result: accepted", style)
		assert.Contains(t, stdout, "items (1):\n  \"Main Room\"\n", style)
		assert.Contains(t, stdout, "transcript:\n", style)
	}
}

func TestDialectTryShowsARefusalAndTheTable(t *testing.T) {
	addr := serveStyle(t, refpatchat.StyleNumbered)
	code, stdout, _ := runCLI(dialectMain, "try", "numbered", "--target", addr, "join", "room=nowhere")
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "result: refused")
	code, stdout, _ = runCLI(dialectMain, "try", "numbered", "--target", addr, "broadcast_others", "rooms=Main Room", "text=hi")
	assert.Equal(t, 0, code, stdout)
	assert.Contains(t, stdout, "-> \"1\\n\"", "the room went by its number")
	assert.Contains(t, stdout, "table rooms:\n  \"Main Room\" -> \"1\"\n")
}

func TestDialectTryUsageErrors(t *testing.T) {
	for args, want := range map[string][]string{
		"no target":     {"try", "reference", "list_rooms"},
		"both targets":  {"try", "reference", "--target", "a:1", "--exec", "x {port}", "list_rooms"},
		"no action":     {"try", "reference", "--target", "a:1"},
		"unknown":       {"try", "reference", "--target", "a:1", "dance"},
		"missing input": {"try", "reference", "--target", "a:1", "join"},
		"bad input":     {"try", "reference", "--target", "a:1", "join", "rooom=x"},
		"no dialect":    {"try", "nope.yaml", "--target", "a:1", "join"},
	} {
		code, _, stderr := runCLI(dialectMain, want...)
		assert.Equal(t, 2, code, "%s: %s", args, stderr)
	}
	_, _, stderr := runCLI(dialectMain, "try", "reference", "--target", "a:1", "join")
	assert.Contains(t, stderr, "action join needs room=VALUE")
}
