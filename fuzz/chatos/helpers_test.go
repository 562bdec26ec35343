package chatos

import (
	"context"
	"net"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/internal/testserver"
	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/chatspec/chatspec/target"
)

// TestMain serves as the reference with faults when a test re-executes the
// binary (the crash faults kill the whole process, so they never run inside
// the tests), else runs the tests, several at once: they mostly wait.
func TestMain(m *testing.M) {
	testserver.ServeIfAsked(serveReference)
	testserver.Main(m)
}

// serveReference is the ChatOS reference with faults.
func serveReference(ctx context.Context, ln net.Listener, faults string) error {
	f, err := refchatos.ParseFaults(faults)
	if err != nil {
		return err
	}
	cfg := refchatos.DefaultConfig()
	cfg.Faults = f
	return refchatos.Serve(ctx, ln, cfg)
}

// inProcess starts the reference server (no faults) inside the test.
func inProcess(t testing.TB) target.Target { return testserver.InProcess(t, serveReference) }

// execWithFaults starts this test binary as a reference server with faults.
func execWithFaults(t testing.TB, faults string) target.Target { return testserver.Exec(t, faults) }

// oracles judges the given target with the ChatOS protocol.
func oracles(tg target.Target) *fuzz.Oracles {
	return &fuzz.Oracles{Target: tg, Protocol: New()}
}
