package main

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	client "github.com/chatspec/chatspec/client/chatos"
	"github.com/chatspec/chatspec/target"
	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitFor polls ok, paced by a ticker, until it holds or 10 s have passed:
// a wait for a server to start, without sleeping.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for !ok() {
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("still waiting for %s", what)
		}
	}
}

// waitUp waits until addr accepts connections.
func waitUp(t *testing.T, addr string) {
	t.Helper()
	waitFor(t, addr+" to accept connections", func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

// waitFile waits until path exists: the address file is the reference's
// signal that it is ready, written just after it listens, so a port that
// accepts does not yet prove the file is there.
func waitFile(t *testing.T, path string) {
	t.Helper()
	waitFor(t, path+" to appear", func() bool {
		_, err := os.Stat(path)
		return err == nil
	})
}

// serveUntilSIGTERM runs `chatspec serve ARGS`, waits with ready until it
// serves, lets check use the server, then sends SIGTERM and requires a clean exit.
func serveUntilSIGTERM(t *testing.T, args []string, ready, check func()) {
	t.Helper()
	done := make(chan int, 1)
	go func() { done <- dispatch(append([]string{"serve"}, args...), io.Discard, io.Discard) }()
	ready() // once it listens, its signal handler is installed
	check()
	raiseTerm(t)
	select {
	case code := <-done:
		assert.Equal(t, 0, code)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
}

func freeAddr(t *testing.T) string {
	port, err := target.FreePort()
	require.NoError(t, err)
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

func TestServeChatOSUntilSIGTERM(t *testing.T) {
	addr := freeAddr(t)
	serveUntilSIGTERM(t, []string{"chatos", "--addr", addr, "--max-nick", "8"}, func() { waitUp(t, addr) }, func() {
		c, err := client.Dial(context.Background(), addr, "probe", transcript.New(), client.Options{Timeout: 2 * time.Second})
		require.NoError(t, err)
		defer c.Close()
		require.NoError(t, c.Send(wire.Login{Nick: "ninechars"}))
		_, err = c.Expect(client.Matcher{Want: []string{"2"}, Match: func(p wire.Packet) bool {
			return p == wire.LoginRefused{Nick: "ninechars"}
		}}, 0)
		assert.NoError(t, err, "--max-nick 8 refuses a 9-byte nickname")
	})
}

func TestServePatChatWritesItsAddress(t *testing.T) {
	addr := freeAddr(t)
	file := filepath.Join(t.TempDir(), "address.txt")
	ready := func() { waitFile(t, file); waitUp(t, addr) }
	serveUntilSIGTERM(t, []string{"patchat", "--addr", addr, "--address-file", file}, ready, func() {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.Equal(t, addr, strings.TrimSpace(string(data)))
	})
}

func TestServeUsage(t *testing.T) {
	assert.Equal(t, 2, dispatch([]string{"serve"}, io.Discard, io.Discard))
	assert.Equal(t, 2, dispatch([]string{"serve", "irc"}, io.Discard, io.Discard))
	assert.Equal(t, 2, dispatch([]string{"serve", "chatos", "--bogus"}, io.Discard, io.Discard))
	assert.Equal(t, 2, dispatch([]string{"serve", "chatos", "--faults", "nope"}, io.Discard, io.Discard))
}

// TestIdleTimeoutRunsWhenShort: with a profile declaring a short idle
// timeout, COP-5-2 is judged instead of SKIPPED.
func TestIdleTimeoutRunsWhenShort(t *testing.T) {
	t.Parallel() // runs after the sequential serve tests, so no SIGTERM of theirs reaches it
	exe, err := os.Executable()
	require.NoError(t, err)
	profile := filepath.Join(t.TempDir(), "profile.yaml")
	require.NoError(t, os.WriteFile(profile, []byte("idle-timeout: 1s\n"), 0o644))
	code, out, errs := chatspecCLI(t, "run", "chatos", "--exec", exe+" idle-serve {addr}", "--profile", profile,
		"--tags", "@COP-5-2", "--color", "never")
	assert.Equal(t, 0, code, errs)
	assert.Regexp(t, `COP-5-2 +\| MUST +\| An idle client is disconnected +\| PASS`, out)
}
