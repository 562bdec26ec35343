package chatos_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chatspec/chatspec/features"
	"github.com/chatspec/chatspec/profile"
	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/chatspec/chatspec/reports"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/steps"
	"github.com/chatspec/chatspec/steps/chatos"
	"github.com/chatspec/chatspec/target"
	"github.com/stretchr/testify/require"
)

// runAgainst runs the ChatOS suite against an in-process reference server
// configured by cfg.
func runAgainst(t *testing.T, cfg refchatos.Config, tags string) *results.Run {
	t.Helper()
	return runWith(t, cfg, tags, 8)
}

// runWith is runAgainst with a given number of scenarios at once.
func runWith(t *testing.T, cfg refchatos.Config, tags string, concurrency int) *results.Run {
	t.Helper()
	var logOut io.Writer = io.Discard
	if os.Getenv("CHATSPEC_SERVER_LOG") != "" {
		logOut = os.Stderr
	}
	cfg.Logger = slog.New(slog.NewTextHandler(logOut, nil))
	tg, err := target.InProcess(context.Background(), func(ctx context.Context, ln net.Listener) error {
		return refchatos.Serve(ctx, ln, cfg)
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	env := &steps.Env{Target: tg, Profile: profile.Default(), Timeout: 2 * time.Second, Quiet: 250 * time.Millisecond}
	run, err := steps.Run(context.Background(), chatos.Suite(steps.Suite{Features: features.ChatOS()}), env,
		steps.Options{Tags: tags, Concurrency: concurrency})
	require.NoError(t, err)
	return run
}

func TestReferenceIsCertified(t *testing.T) {
	// Not parallel: a whole suite that must pass, with its crowds of clients
	// at once, runs alone before the parallel tests, so they cannot starve it.
	run := runAgainst(t, refchatos.DefaultConfig(), "")
	if !run.Certified() || testing.Verbose() {
		var sb strings.Builder
		_ = reports.Console(&sb, []*results.Run{run}, reports.ConsoleOptions{})
		t.Log("\n" + sb.String())
	}
	require.True(t, run.Certified())
}

// BenchmarkChatOSSuite times a whole ChatOS run (idle-timeout case skipped)
// against the in-process reference: the figure behind "under 3 s".
func BenchmarkChatOSSuite(b *testing.B) {
	for b.Loop() {
		cfg := refchatos.DefaultConfig()
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		tg, err := target.InProcess(context.Background(), func(ctx context.Context, ln net.Listener) error {
			return refchatos.Serve(ctx, ln, cfg)
		})
		if err != nil {
			b.Fatal(err)
		}
		env := &steps.Env{Target: tg, Profile: profile.Default(), Timeout: 2 * time.Second, Quiet: 250 * time.Millisecond}
		run, err := steps.Run(context.Background(), chatos.Suite(steps.Suite{Features: features.ChatOS()}), env,
			steps.Options{Concurrency: 8})
		_ = tg.Close()
		if err != nil || !run.Certified() {
			var sb strings.Builder
			_ = reports.Console(&sb, []*results.Run{run}, reports.ConsoleOptions{})
			b.Fatalf("run failed: %v\n%s", err, sb.String())
		}
		b.ReportMetric(float64(len(run.Results)), "scenarios")
	}
}
