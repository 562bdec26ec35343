package load

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/chatspec/chatspec/dialects"
	refchatos "github.com/chatspec/chatspec/reference/chatos"
	refpatchat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/results"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// serve runs a server on a loopback port until the test ends.
func serve(t *testing.T, run func(ctx context.Context, ln net.Listener) error) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = run(ctx, ln) }()
	t.Cleanup(func() { cancel(); _ = ln.Close(); <-done })
	return ln.Addr().String()
}

func referenceDialect(t *testing.T) *wire.Dialect {
	d, err := wire.Parse(dialects.Default(), "reference.yaml")
	require.NoError(t, err)
	return d
}

func run(t *testing.T, cfg Config) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := Run(ctx, cfg)
	require.NoError(t, err)
	require.Empty(t, res.ClientErrors)
	return res
}

// TestReferencesGiveNoViolations: a short run against each reference, with
// room churn on Pat Chat, is judged clean.
func TestReferencesGiveNoViolations(t *testing.T) {
	t.Parallel()
	addr := serve(t, func(ctx context.Context, ln net.Listener) error {
		return refchatos.Serve(ctx, ln, refchatos.DefaultConfig())
	})
	res := run(t, Config{Protocol: ChatOS, Addr: addr, Clients: 12, Duration: 1500 * time.Millisecond, Rate: 10, Seed: 1})
	t.Logf("%s: sent %d, deliveries %d, judged %d, p50 %v p99 %v max %v", res.Protocol, res.Sent, res.Deliveries, res.Check.Judged, res.LatencyP50, res.LatencyP99, res.LatencyMax)
	assert.Zero(t, res.Violations(), "%v", res.Check.Violations)
	assert.Greater(t, res.Deliveries, 500)
	assert.Greater(t, res.Check.Judged, 500)
	joined, lines := bridgeCounts(res.History)
	assert.GreaterOrEqual(t, joined, 4, "private connections were joined (both halves got 11)")
	assert.Greater(t, lines, 5, "lines crossed them, each judged for the far half only")

	addr = serve(t, func(ctx context.Context, ln net.Listener) error {
		return refpatchat.Serve(ctx, ln, refpatchat.Config{HashCost: bcrypt.MinCost})
	})
	res = run(t, Config{Protocol: PatChat, Addr: addr, Clients: 12, Duration: 1500 * time.Millisecond, Rate: 10, Seed: 1,
		Dialect: referenceDialect(t)})
	t.Logf("%s: sent %d, deliveries %d, judged %d, p50 %v p99 %v max %v", res.Protocol, res.Sent, res.Deliveries, res.Check.Judged, res.LatencyP50, res.LatencyP99, res.LatencyMax)
	assert.Zero(t, res.Violations(), "%v", res.Check.Violations)
	assert.Greater(t, res.Deliveries, 100)
}

// bridgeCounts counts the halves of private connections that got 11 and
// the lines received on them.
func bridgeCounts(h *results.History) (halves, lines int) {
	joined, lines := bridgeFigures(h)
	return 2 * joined, lines
}
