package patchat

import (
	"context"
	"fmt"
	"net"
	"os"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	refpatchat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/target"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// serveEnv makes the test binary act as the reference server (with faults)
// when re-executed: crash faults kill the whole process, never run them here.
const serveEnv = "CHATSPEC_FUZZ_TEST_SERVE"

func TestMain(m *testing.M) {
	if faults, ok := os.LookupEnv(serveEnv); ok {
		os.Exit(serveForTest(faults, os.Getenv(serveEnv+"_ADDR")))
	}
	os.Exit(m.Run())
}

func serveForTest(faults, addr string) int {
	f, err := refpatchat.ParseFaults(faults)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	cfg := refpatchat.Config{HashCost: bcrypt.MinCost, Faults: f}
	if err := refpatchat.Serve(context.Background(), ln, cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// inProcess starts the reference server (no faults) inside the test.
func inProcess(t testing.TB) target.Target {
	t.Helper()
	tg, err := target.InProcess(context.Background(), func(ctx context.Context, ln net.Listener) error {
		return refpatchat.Serve(ctx, ln, refpatchat.Config{HashCost: bcrypt.MinCost})
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

func protocol(t testing.TB) *Protocol {
	p, err := Default()
	require.NoError(t, err)
	return p
}

func oracles(t testing.TB, tg target.Target) *fuzz.Oracles {
	return &fuzz.Oracles{Target: tg, Protocol: protocol(t)}
}
