package target

import (
	"bufio"
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// greeter is an in-process server that says hello to each connection and
// counts how many times it was started.
func greeter(starts *atomic.Int32) ServeFunc {
	return func(ctx context.Context, ln net.Listener) error {
		starts.Add(1)
		for {
			c, err := ln.Accept()
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			_, _ = c.Write([]byte("hello\n"))
			_ = c.Close()
		}
	}
}

// readGreeting dials addr and reads one line with a deadline.
func readGreeting(t *testing.T, addr string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	line, err := bufio.NewReaderSize(c, 64).ReadString('\n')
	require.NoError(t, err)
	return line
}

// waitRun blocks until the in-process server function has returned.
func waitRun(t *testing.T, tg Target) {
	t.Helper()
	r, _ := tg.(*inProcess).current()
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		t.Fatal("server function did not return")
	}
}

func TestInProcessRestartSameAddress(t *testing.T) {
	var starts atomic.Int32
	ctx := context.Background()
	tg, err := InProcess(ctx, greeter(&starts))
	require.NoError(t, err)
	addr := tg.Addr()

	assert.Equal(t, ModeReference, tg.Mode())
	require.NoError(t, tg.Alive(ctx))
	assert.Equal(t, "hello\n", readGreeting(t, addr))
	require.NoError(t, tg.Restart(ctx))
	assert.Equal(t, addr, tg.Addr())
	assert.Equal(t, "hello\n", readGreeting(t, addr))
	assert.Equal(t, int32(2), starts.Load())
	_, exited := tg.Exited()
	assert.False(t, exited, "a restart is not an exit")

	require.NoError(t, tg.Close())
	assert.ErrorIs(t, tg.Alive(ctx), ErrClosed)
	assert.ErrorIs(t, dial(ctx, addr), ErrRefused)
	assert.ErrorIs(t, tg.Restart(ctx), ErrClosed)
	assert.NoError(t, tg.Close())
}

func TestInProcessPanicIsReported(t *testing.T) {
	ctx := context.Background()
	tg, err := InProcess(ctx, func(ctx context.Context, ln net.Listener) error {
		c, err := ln.Accept()
		if err == nil {
			_ = c.Close()
		}
		panic("boom")
	})
	require.NoError(t, err)
	defer tg.Close()
	require.NoError(t, tg.Alive(ctx))
	waitRun(t, tg)

	status, exited := tg.Exited()
	require.True(t, exited)
	assert.Equal(t, "panic: boom", status)
	assert.Contains(t, tg.Log(), "panic: boom")
	err = tg.Alive(ctx)
	assert.ErrorIs(t, err, ErrExited)
	assert.ErrorContains(t, err, "panic: boom")
}

func TestInProcessReturnedErrorIsReported(t *testing.T) {
	ctx := context.Background()
	tg, err := InProcess(ctx, func(context.Context, net.Listener) error {
		return errors.New("disk full")
	})
	require.NoError(t, err)
	defer tg.Close()
	waitRun(t, tg)
	status, exited := tg.Exited()
	require.True(t, exited)
	assert.Equal(t, "returned error: disk full", status)
	assert.Empty(t, tg.Log())
}

// A server function that closes its listener on its way out and returns a
// moment later is seen exiting, not merely refusing: the fuzzer tells an
// exit from a crash by it (a refused probe read as a crash made a finding of
// the wrong kind, and its replay "not reproduced", on a loaded machine).
func TestInProcessAliveWaitsForAClosingServerToReturn(t *testing.T) {
	closed := make(chan struct{})
	tg, err := InProcess(context.Background(), func(_ context.Context, ln net.Listener) error {
		_ = ln.Close()
		close(closed)
		time.Sleep(20 * time.Millisecond) // the rest of a dying server's way out, not a wait for the network
		return errors.New("died")
	})
	require.NoError(t, err)
	defer tg.Close()
	<-closed
	err = tg.Alive(context.Background())
	require.ErrorIs(t, err, ErrExited)
	assert.ErrorContains(t, err, "died")
}

// A server function that returns by itself without closing its listener
// leaves a port that refuses, as a process's exit would: before, the kernel
// kept accepting connections that no one served, and each case and probe
// that reached it waited out its deadline.
func TestInProcessServerThatReturnedRefuses(t *testing.T) {
	tg, err := InProcess(context.Background(), func(context.Context, net.Listener) error {
		return errors.New("gave up")
	})
	require.NoError(t, err)
	defer tg.Close()
	waitRun(t, tg)
	c, err := net.DialTimeout("tcp", tg.Addr(), 5*time.Second)
	if err == nil {
		c.Close()
	}
	require.Error(t, err, "connected to a server function that had returned")
	assert.True(t, Refused(err), "%v", err)
}
