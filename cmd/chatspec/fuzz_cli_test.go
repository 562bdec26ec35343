package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/fuzz"
	refchatos "github.com/chatspec/chatspec/reference/chatos"
)

// fuzzCLIServeEnv lets this test binary stand in for "chatspec serve chatos
// --addr A --faults F", which --faults runs as a child process.
const fuzzCLIServeEnv = "CHATSPEC_FUZZ_CLI_TEST_SERVE"

func init() {
	if os.Getenv(fuzzCLIServeEnv) == "" || len(os.Args) < 7 || os.Args[1] != "serve" || os.Args[2] != "chatos" {
		return
	}
	// args: serve chatos --addr A --faults F
	faults, err := refchatos.ParseFaults(os.Args[6])
	if err != nil {
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", os.Args[4])
	if err != nil {
		os.Exit(2)
	}
	cfg := refchatos.DefaultConfig()
	cfg.Faults = faults
	_ = refchatos.Serve(context.Background(), ln, cfg)
	os.Exit(0)
}

func runCLI(f func([]string, io.Writer, io.Writer) int, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := f(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestFuzzUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"ircv3"},
		{"chatos", "--target", "127.0.0.1:1", "--exec", "x {port}"},
		{"chatos", "--faults", "panic-on-empty-recipient", "--target", "127.0.0.1:1"},
		{"chatos", "--faults", "no-such-fault"},
		{"chatos", "--dialect", "x.yaml"},
		{"chatos", "--workers", "0"},
		{"chatos", "--stop-after", "-1"},
		{"chatos", "--bogus"},
	} {
		code, _, stderr := runCLI(fuzzMain, args...)
		assert.Equal(t, 2, code, "args %q: %s", args, stderr)
	}
}

func TestFuzzUnreachableTarget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	code, _, stderr := runCLI(fuzzMain, "chatos", "--target", addr, "--cases", "5")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "refused")
}

func TestFuzzReferenceCleanWithReport(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runCLI(fuzzMain, "chatos", "--cases", "150", "--seed", "9",
		"--report", dir, "--findings", filepath.Join(dir, "f"))
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "Protocol", "the summary table")
	assert.Contains(t, stdout, "Connections")
	assert.Contains(t, stdout, "150")
	assert.Contains(t, stdout, "no findings")
	data, err := os.ReadFile(filepath.Join(dir, "findings.json"))
	require.NoError(t, err)
	var rep struct {
		Protocol    string
		Seed        int64
		Cases       int64
		Connections int64
		ConnsPerSec float64 `json:"connections_per_second"`
		Findings    []any
	}
	require.NoError(t, json.Unmarshal(data, &rep))
	assert.Equal(t, "chatos", rep.Protocol)
	assert.EqualValues(t, 9, rep.Seed)
	assert.EqualValues(t, 150, rep.Cases)
	assert.Greater(t, rep.Connections, int64(150), "every case opens at least one, and the probes more")
	assert.Positive(t, rep.ConnsPerSec)
	assert.Empty(t, rep.Findings)
	md, err := os.ReadFile(filepath.Join(dir, "findings.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "No findings.")
}

// The crash-fault demo through the CLI: found and saved, replayed, minimised.
func TestFuzzCrashFaultThroughCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	dir := t.TempDir()
	code, stdout, stderr := runCLI(fuzzMain, "chatos", "--faults", "panic-on-empty-recipient", "--stop-on-first",
		"--cases", "3000", "--seed", "7", "--workers", "2", "--findings", dir, "--report", dir)
	require.Equal(t, 1, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Contains(t, stdout, "exit")
	files, err := filepath.Glob(filepath.Join(dir, "chatos-exit-*.finding"))
	require.NoError(t, err)
	require.Len(t, files, 1)

	code, stdout, stderr = runCLI(replayMain, files[0], "--faults", "panic-on-empty-recipient")
	require.Equal(t, 1, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	assert.Contains(t, stdout, "reproduced")

	code, stdout, stderr = runCLI(fuzzMain, "--minimise", files[0], "--faults", "panic-on-empty-recipient", "--max-tests", "300")
	require.Equal(t, 1, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	small, err := fuzz.ReadFindingFile(files[0][:len(files[0])-len(".finding")] + ".min.finding")
	require.NoError(t, err)
	assert.LessOrEqual(t, small.Case.Size(), 16, fmt.Sprint(stdout))
}
