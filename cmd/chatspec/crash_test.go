package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crashyEnv makes this test binary a ChatOS reference server that dies
// (exit status 3) at its 40th connection, once per {dir}: a server that
// crashes in the middle of a run and works again after a restart.
const crashyEnv = "CHATSPEC_RUN_TEST_CRASHY"

// idleServeEnv makes this test binary a ChatOS reference server whose idle
// timeout is one second.
const idleServeEnv = "CHATSPEC_RUN_TEST_IDLE"

func init() {
	if os.Getenv(idleServeEnv) != "" && len(os.Args) == 3 && os.Args[1] == "idle-serve" {
		ln, err := net.Listen("tcp", os.Args[2])
		if err != nil {
			os.Exit(2)
		}
		cfg := refchatos.DefaultConfig()
		cfg.IdleTimeout = time.Second
		_ = refchatos.Serve(context.Background(), ln, cfg)
		os.Exit(0)
	}
	if os.Getenv(crashyEnv) == "" || len(os.Args) != 4 || os.Args[1] != "crashy" {
		return
	}
	marker := filepath.Join(os.Args[3], "crashed-once")
	_, statErr := os.Stat(marker)
	ln, err := net.Listen("tcp", os.Args[2])
	if err != nil {
		os.Exit(2)
	}
	_ = refchatos.Serve(context.Background(), &crashyListener{Listener: ln, armed: statErr != nil, marker: marker},
		refchatos.DefaultConfig())
	os.Exit(0)
}

type crashyListener struct {
	net.Listener
	armed     bool
	marker    string
	closeOnly bool // in-process: stop listening instead of exiting
	n         atomic.Int64
}

func (l *crashyListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil && l.armed && l.closeOnly && l.n.Add(1) == 40 {
		c.Close()
		l.Listener.Close()
		return nil, net.ErrClosed
	}
	if err == nil && l.armed && !l.closeOnly && l.n.Add(1) == 40 {
		_ = os.WriteFile(l.marker, nil, 0o644)
		os.Stderr.WriteString("crashy: dying on purpose at connection 40\n")
		os.Exit(3)
	}
	return c, err
}

// TestCrashMidRunIsNamedAndRestarted checks reading A12: a server that
// dies mid-run is restarted (--exec), the crash is put against a scenario,
// and the scenarios after it are still judged. The death comes at a
// connection, not some time after a scenario, so a short --quiet (the grace
// before each check) decides nothing here; and the @serial scenarios, slow
// by design, are not needed for scenarios to run after the restart.
func TestCrashMidRunIsNamedAndRestarted(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	exe, err := os.Executable()
	require.NoError(t, err)
	dir := t.TempDir()
	code, out, errs := chatspecCLI(t, "run", "chatos", "--exec", exe+" crashy {addr} {dir}",
		"--color", "never", "--concurrency", "1", "--quiet", "50ms", "--tags", "not @serial", "--report", dir)
	assert.Equal(t, 1, code, "a crash is never certified; stderr: %s", errs)
	assert.Contains(t, out, "the server died 1 time")
	assert.Contains(t, out, "exit status 3")
	assert.Contains(t, out, "restarted")
	assert.Contains(t, out, "dying on purpose", "the server's stderr is in the report")
	data, err := os.ReadFile(filepath.Join(dir, "results.json"))
	require.NoError(t, err)
	assert.Contains(t, string(data), `"crashes"`)
	assert.Regexp(t, `chatos: [1-9][0-9] passed`, out, "scenarios after the restart still pass")
}

// TestTargetGoneMidRunIsNamed: with --target chatspec cannot restart the
// server, so after it is gone the remaining scenarios are ERROR rows naming
// the scenario during which it went, not a wall of timeouts.
func TestTargetGoneMidRunIsNamed(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	crashy := &crashyListener{Listener: ln, armed: true, marker: filepath.Join(t.TempDir(), "m"), closeOnly: true}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = refchatos.Serve(ctx, crashy, refchatos.DefaultConfig()) }()
	t.Cleanup(func() { cancel(); <-done })
	code, out, errs := chatspecCLI(t, "run", "chatos", "--target", ln.Addr().String(), "--color", "never",
		"--concurrency", "1", "--timeout", "500ms")
	assert.Equal(t, 1, code, errs)
	assert.Contains(t, out, "the server died 1 time")
	assert.Regexp(t, `ERROR .*\n.*\n.*not run: the server stopped answering during (one of )?"`, out)
	if testing.Verbose() {
		t.Log(out)
	}
}
