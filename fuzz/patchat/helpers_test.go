package patchat

import (
	"context"
	"net"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/internal/testserver"
	refpatchat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/target"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// TestMain serves as the reference with faults when a test re-executes the
// binary (crash faults kill the process: never run them here), else runs
// the tests, several at once: they mostly wait.
func TestMain(m *testing.M) {
	testserver.ServeIfAsked(serveReference)
	testserver.Main(m)
}

// serveReference is the Pat Chat reference with faults.
func serveReference(ctx context.Context, ln net.Listener, faults string) error {
	f, err := refpatchat.ParseFaults(faults)
	if err != nil {
		return err
	}
	return refpatchat.Serve(ctx, ln, refpatchat.Config{HashCost: bcrypt.MinCost, Faults: f})
}

// inProcess starts the reference server (no faults) inside the test.
func inProcess(t testing.TB) target.Target { return testserver.InProcess(t, serveReference) }

// execWithFaults starts this test binary as the reference server with faults.
func execWithFaults(t testing.TB, faults string) target.Target { return testserver.Exec(t, faults) }

func protocol(t testing.TB) *Protocol {
	p, err := Default()
	require.NoError(t, err)
	return p
}

func oracles(t testing.TB, tg target.Target) *fuzz.Oracles {
	return &fuzz.Oracles{Target: tg, Protocol: protocol(t)}
}
