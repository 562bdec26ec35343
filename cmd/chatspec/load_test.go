package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	refpatchat "github.com/chatspec/chatspec/reference/patchat"
)

func TestLoadUsageErrors(t *testing.T) {
	for args, want := range map[string][]string{
		"":                 {},
		"unknown protocol": {"irc"},
		"--clients":        {"chatos", "--clients", "1"},
		"--rate":           {"chatos", "--rate", "0"},
		"--duration":       {"chatos", "--duration", "-1s"},
		"unexpected":       {"chatos", "extra"},
		"not both":         {"chatos", "--target", "127.0.0.1:1", "--exec", "x {port}"},
	} {
		code, _, stderr := runCLI(dispatch, append([]string{"load"}, want...)...)
		assert.Equal(t, 2, code, "%v", want)
		assert.Contains(t, stderr, args, "%v", want)
	}
}

// TestLoadAgainstTheReferenceIsClean: a short run is clean, exits 0 and
// writes its figures.
func TestLoadAgainstTheReferenceIsClean(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	dir := t.TempDir()
	code, stdout, stderr := runCLI(dispatch, "load", "chatos", "--clients", "5", "--duration", "500ms",
		"--rate", "10", "--seed", "3", "--report", dir)
	require.Equal(t, 0, code, "%s\n%s", stdout, stderr)
	assert.Contains(t, stdout, "violations        0")
	assert.Regexp(t, `private conns     \d+ joined, \d+ lines through them`, stdout)
	b, err := os.ReadFile(filepath.Join(dir, "load.json"))
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	assert.EqualValues(t, 5, got["clients"])
	assert.Greater(t, got["deliveries"], 10.0)
	assert.Contains(t, got, "latency_p99_ns")
	page, err := os.ReadFile(filepath.Join(dir, "load.html"))
	require.NoError(t, err)
	assert.Contains(t, string(page), "<h1 id=\"verdict\">NO VIOLATIONS</h1>")
	assert.Contains(t, string(page), `aria-label="delivery latency histogram"`)
	assert.Contains(t, string(page), `aria-label="per-client timeline"`)
	assert.Equal(t, 5, strings.Count(string(page), `class="name"`), "one timeline row per client")
}

// TestLoadFindsALeaverStillReceiving: the reference Pat Chat server with
// its leaver-still-receives bug fails PAT-6.4-1, exit status 1.
func TestLoadFindsALeaverStillReceiving(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	faults, err := refpatchat.ParseFaults("leaver-still-receives")
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = refpatchat.Serve(ctx, ln, refpatchat.Config{HashCost: bcrypt.MinCost, Faults: faults})
	}()
	t.Cleanup(func() { cancel(); _ = ln.Close(); <-done })
	dir := t.TempDir()
	code, stdout, stderr := runCLI(dispatch, "load", "patchat", "--target", ln.Addr().String(), "--clients", "6",
		"--duration", "2s", "--rate", "15", "--seed", "5", "--report", dir)
	require.Equal(t, 1, code, "%s\n%s", stdout, stderr)
	assert.Contains(t, stdout, "FAIL [PAT-6.4-1] history checker: leak of ")
	assert.Contains(t, stdout, "the receiver had left room")
	page, err := os.ReadFile(filepath.Join(dir, "load.html"))
	require.NoError(t, err)
	assert.Contains(t, string(page), "<h2>Violations (")
	assert.Contains(t, string(page), `class="mark"><title>PAT-6.4-1: history checker: leak of`, "the leak is marked on the timeline")
	assert.Contains(t, string(page), "room Main Room", "the legend names the rooms")
}
