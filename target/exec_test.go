//go:build linux

// These tests drive real processes through /bin/sh and check them in /proc
// (RSS, zombies), so they run on Linux only.

package target

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitDone blocks until the target's current process has been reaped.
func waitDone(t *testing.T, tg Target) {
	t.Helper()
	p := tg.(*execTarget).current()
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatal("process did not exit")
	}
}

// startHelper starts the helper server and registers its Close.
func startHelper(t *testing.T, command string, opts ExecOptions) Target {
	t.Helper()
	tg, err := Exec(context.Background(), command, opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	return tg
}

func TestExecStartAliveLogClose(t *testing.T) {
	tg := startHelper(t, "echo {addr} > {dir}/addr && "+helperCommand(), helperOpts())
	ctx := context.Background()

	assert.Equal(t, ModeExec, tg.Mode())
	assert.True(t, tg.CanRestart())
	require.NoError(t, tg.Alive(ctx))
	addrFile, err := os.ReadFile(filepath.Join(tg.Dir(), "addr"))
	require.NoError(t, err)
	assert.Equal(t, tg.Addr(), strings.TrimSpace(string(addrFile)))
	assert.Regexp(t, `^127\.0\.0\.1:\d+$`, tg.Addr())
	// The server may accept before it prints that it listens, and its output
	// is copied in as it comes: wait for it (bounded), do not race it.
	require.Eventually(t, func() bool {
		return strings.Contains(tg.Log(), "helper stderr: listening on "+tg.Addr())
	}, 10*time.Second, 5*time.Millisecond, "log: %q", tg.Log())
	assert.Contains(t, tg.Log(), "helper stdout: pid")
	rss, ok := tg.RSS()
	require.True(t, ok)
	assert.Positive(t, rss)
	_, exited := tg.Exited()
	assert.False(t, exited)

	pid := helperPid(t, tg)
	require.NoError(t, tg.Close())
	assert.True(t, processGone(pid), "pid %d still running", pid)
	assert.ErrorIs(t, dial(ctx, tg.Addr()), ErrRefused)
	assert.NoDirExists(t, tg.Dir())
	assert.ErrorIs(t, tg.Alive(ctx), ErrClosed)
	_, exited = tg.Exited()
	assert.False(t, exited, "a server stopped by Close did not exit by itself")
	assert.NoError(t, tg.Close(), "second Close")
}

func TestExecRestartKeepsPort(t *testing.T) {
	tg := startHelper(t, helperCommand(), helperOpts())
	ctx := context.Background()
	addr, pid1 := tg.Addr(), helperPid(t, tg)

	require.NoError(t, tg.Restart(ctx))
	assert.Equal(t, addr, tg.Addr())
	require.NoError(t, tg.Alive(ctx))
	pid2 := helperPid(t, tg)
	assert.NotEqual(t, pid1, pid2)
	assert.True(t, processGone(pid1))
	_, exited := tg.Exited()
	assert.False(t, exited)
	assert.Contains(t, tg.Log(), "restarting server on "+addr)
}

func TestExecCrashDetectedThenRestart(t *testing.T) {
	// Connection 1 is the start-up probe; connection 2 (Alive) makes it crash.
	tg := startHelper(t, helperCommand(), helperOpts(helperCrashAfter+"=2"))
	ctx := context.Background()
	require.NoError(t, tg.Alive(ctx))
	waitDone(t, tg)

	status, exited := tg.Exited()
	require.True(t, exited)
	assert.Equal(t, "exit status 3", status)
	err := tg.Alive(ctx)
	require.ErrorIs(t, err, ErrExited)
	require.ErrorIs(t, err, ErrUnreachable)
	var down *DownError
	require.ErrorAs(t, err, &down)
	assert.Equal(t, "exit status 3", down.Status)
	_, ok := tg.RSS()
	assert.False(t, ok)
	assert.Contains(t, tg.Log(), "crashing after 2 connections")

	require.NoError(t, tg.Restart(ctx))
	require.NoError(t, tg.Alive(ctx))
	_, exited = tg.Exited()
	assert.False(t, exited)
}

func TestExecStartTimeoutKillsServer(t *testing.T) {
	// A shell that talks, then becomes a process that never listens.
	command := `echo "helper stdout: pid $$"; echo "not listening on purpose" >&2; exec sleep 60 # {port}`
	_, err := Exec(context.Background(), command, ExecOptions{StartTimeout: time.Second, StopGrace: 2 * time.Second})
	require.ErrorIs(t, err, ErrStartTimeout)
	assert.Contains(t, err.Error(), "not listening on purpose")
	m := regexp.MustCompile(`helper stdout: pid (\d+)`).FindStringSubmatch(err.Error())
	require.Len(t, m, 2, "pid in output tail: %v", err)
	pid, _ := strconv.Atoi(m[1])
	assert.True(t, processGone(pid))
}

func TestExecExitAtStartShowsOutput(t *testing.T) {
	_, err := Exec(context.Background(), helperCommand(), helperOpts(helperExitStart+"=2"))
	require.ErrorIs(t, err, ErrExited)
	assert.Contains(t, err.Error(), "exit status 2")
	assert.Contains(t, err.Error(), "helper: bad config: boom")
}

func TestExecSignalAtStartNamed(t *testing.T) {
	_, err := Exec(context.Background(), "kill -SEGV $$ # {port}", ExecOptions{})
	require.ErrorIs(t, err, ErrExited)
	assert.Contains(t, err.Error(), "signal SIGSEGV")
}

func TestExecCloseEscalatesToSigkill(t *testing.T) {
	opts := helperOpts(helperIgnoreTerm + "=1")
	opts.StopGrace = 200 * time.Millisecond
	tg := startHelper(t, helperCommand(), opts)
	pid := helperPid(t, tg)
	require.NoError(t, tg.Close())
	assert.True(t, processGone(pid), "SIGTERM-ignoring pid %d survived Close", pid)
}

func TestExecNoPlaceholder(t *testing.T) {
	_, err := Exec(context.Background(), "./server --port 8083", ExecOptions{})
	assert.ErrorIs(t, err, ErrNoPortPlaceholder)
}

func TestExecLogIsBounded(t *testing.T) {
	opts := helperOpts(helperNoise + "=200000")
	opts.LogLimit = 4096
	tg := startHelper(t, helperCommand(), opts)
	log := tg.Log()
	assert.LessOrEqual(t, len(log), 4096+len("[... earlier output dropped ...]\n"))
	assert.Contains(t, log, "earlier output dropped")
	assert.Contains(t, log, "helper stderr: listening")
	assert.NotContains(t, log, "noise line 000000")
}

// TestExecConcurrentUse exercises the accessors while the server restarts (for -race).
func TestExecConcurrentUse(t *testing.T) {
	tg := startHelper(t, helperCommand(), helperOpts())
	ctx := context.Background()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				err := tg.Alive(ctx)
				if err != nil && !errors.Is(err, ErrUnreachable) {
					t.Errorf("Alive: %v", err)
				}
				tg.Exited()
				tg.RSS()
				_ = tg.Log()
			}
		}
	})
	for range 2 {
		require.NoError(t, tg.Restart(ctx))
	}
	close(stop)
	wg.Wait()
	require.NoError(t, tg.Alive(ctx))
}

// processGone reports whether pid no longer runs (absent, or a zombie no one reaped).
func processGone(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return true
	}
	st, ok := readStat(pid)
	return !ok || !st.live()
}
