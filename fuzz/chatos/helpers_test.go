package chatos

import (
	"context"
	"fmt"
	"net"
	"os"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/chatspec/chatspec/target"
	"github.com/stretchr/testify/require"
)

// serveEnv makes the test binary act as a reference server (with faults) when
// re-executed by a test: the crash faults kill the whole process, so they
// must never run inside the test process itself.
const serveEnv = "CHATSPEC_FUZZ_TEST_SERVE"

func TestMain(m *testing.M) {
	if faults, ok := os.LookupEnv(serveEnv); ok {
		os.Exit(serveForTest(faults, os.Getenv(serveEnv+"_ADDR")))
	}
	os.Exit(m.Run())
}

func serveForTest(faults, addr string) int {
	f, err := refchatos.ParseFaults(faults)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cfg := refchatos.DefaultConfig()
	cfg.Faults = f
	if err := refchatos.Serve(context.Background(), ln, cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// inProcess starts the reference server (no faults) inside the test.
func inProcess(t testing.TB) target.Target {
	t.Helper()
	tg, err := target.InProcess(context.Background(), func(ctx context.Context, ln net.Listener) error {
		return refchatos.Serve(ctx, ln, refchatos.DefaultConfig())
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	return tg
}

// execWithFaults starts this test binary as a reference server with faults.
func execWithFaults(t testing.TB, faults string) target.Target {
	t.Helper()
	self, err := os.Executable()
	require.NoError(t, err)
	cmd := fmt.Sprintf("%s=%s %s_ADDR={addr} exec %q -test.run=^$", serveEnv, faults, serveEnv, self)
	tg, err := target.Exec(context.Background(), cmd, target.ExecOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	return tg
}

// oracles judges the given target with the ChatOS protocol.
func oracles(tg target.Target) *fuzz.Oracles {
	return &fuzz.Oracles{Target: tg, Protocol: New()}
}
