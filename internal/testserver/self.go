package testserver

import (
	"context"
	"fmt"
	"net"
	"os"
	"testing"

	"github.com/chatspec/chatspec/target"
	"github.com/stretchr/testify/require"
)

// serveEnv holds the faults of a test binary re-executed by Exec, and
// serveEnv_ADDR the address it listens on.
const serveEnv = "CHATSPEC_TEST_SERVE"

// Serve is a reference server with the named faults switched on (a
// comma-separated list, "" for none), listening on ln until ctx ends.
type Serve func(ctx context.Context, ln net.Listener, faults string) error

// ServeIfAsked is the first line of the TestMain of a package that uses
// Exec: in a test binary that Exec started, it serves and exits instead of
// running the tests.
func ServeIfAsked(serve Serve) {
	faults, ok := os.LookupEnv(serveEnv)
	if !ok {
		return
	}
	ln, err := net.Listen("tcp", os.Getenv(serveEnv+"_ADDR"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if err := serve(context.Background(), ln, faults); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// Exec starts this test binary as the server of its ServeIfAsked, with
// faults: faults that kill the process must never run inside the tests.
func Exec(t testing.TB, faults string) target.Target {
	t.Helper()
	self, err := os.Executable()
	require.NoError(t, err)
	cmd := fmt.Sprintf("%s=%s %s_ADDR={addr} exec %q -test.run=^$", serveEnv, faults, serveEnv, self)
	tg, err := target.Exec(context.Background(), cmd, target.ExecOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	return tg
}

// InProcess runs serve without faults inside the test until it ends.
func InProcess(t testing.TB, serve Serve) target.Target {
	t.Helper()
	return Target(t, func(ctx context.Context, ln net.Listener) error { return serve(ctx, ln, "") })
}

// Target runs serve inside the test on a loopback port until the test ends.
func Target(t testing.TB, serve func(ctx context.Context, ln net.Listener) error) target.Target {
	t.Helper()
	tg, err := target.InProcess(context.Background(), serve)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	return tg
}

// Accept is the accept loop of a small server written for a test: it runs
// handle on each connection in a goroutine, closes the listener and every
// connection when ctx ends, and returns once the listener is closed.
func Accept(ctx context.Context, ln net.Listener, handle func(net.Conn)) error {
	stop := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stop()
	for {
		nc, err := ln.Accept()
		if err != nil {
			return nil
		}
		context.AfterFunc(ctx, func() { _ = nc.Close() })
		go handle(nc)
	}
}
