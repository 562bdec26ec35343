package chatos_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chatspec/chatspec/profile"
	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/steps"
	"github.com/chatspec/chatspec/steps/chatos"
	"github.com/chatspec/chatspec/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stoppedReadingRow runs the COP-R-4 flood scenario alone against cfg and
// returns its row.
func stoppedReadingRow(t *testing.T, cfg refchatos.Config) results.Result {
	t.Helper()
	run := runAgainst(t, cfg, "@COP-R-4 && @serial")
	for _, r := range run.Results {
		if strings.Contains(r.Scenario, "stops reading") {
			return r
		}
	}
	require.FailNow(t, "no row for the flood scenario")
	return results.Result{}
}

// The flood of COP-R-4 ends early once the server disconnects the client
// that stopped reading (answering 6 about it) while serving the reader all
// along; a server that holds everything for it instead gets the whole
// flood; a server that blocks on it fails, saying how far the flood got.
func TestFloodEndsWhenTheStalledClientIsDropped(t *testing.T) {
	t.Run("drops the stalled client", func(t *testing.T) {
		t.Parallel()
		r := stoppedReadingRow(t, refchatos.DefaultConfig())
		assert.Equal(t, results.Pass, r.Outcome, r.Message)
		assert.Contains(t, strings.Join(r.Notes, "\n"), "the server disconnected mallory, which did not read")
	})
	t.Run("holds everything", func(t *testing.T) {
		t.Parallel()
		cfg := refchatos.DefaultConfig()
		cfg.QueueLen, cfg.WriteTimeout = 1<<16, time.Hour // mallory is never found too slow
		r := shortFloodRow(t, cfg)
		assert.Equal(t, results.Pass, r.Outcome, r.Message)
		assert.NotContains(t, strings.Join(r.Notes, "\n"), "disconnected mallory")
	})
	t.Run("blocks on it", func(t *testing.T) {
		t.Parallel()
		cfg := refchatos.DefaultConfig()
		cfg.Faults.BlockingWrites = true
		r := stoppedReadingRow(t, cfg)
		assert.Equal(t, results.Fail, r.Outcome)
		assert.Regexp(t, `^bob received \d+ of the 16000 flood messages, then not the next: `, r.Message)
	})
}

// shortFlood is the flood scenario with a flood small enough to run whole
// under the race detector: the path on which no early end comes.
const shortFlood = `@section-R
Feature: A short flood
  @COP-R-4 @must
  Scenario: A client that stops reading does not delay others
    Given alice is logged in
    And bob is logged in
    And mallory is logged in
    And mallory stops reading
    When alice floods 1000 public messages of 500 bytes
    Then bob receives all of alice's flood
`

// shortFloodRow runs shortFlood against cfg and returns its row.
func shortFloodRow(t *testing.T, cfg refchatos.Config) results.Result {
	t.Helper()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	tg, err := target.InProcess(context.Background(), func(ctx context.Context, ln net.Listener) error {
		return refchatos.Serve(ctx, ln, cfg)
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	feats := fstest.MapFS{"flood.feature": {Data: []byte(shortFlood)}}
	env := &steps.Env{Target: tg, Profile: profile.Default(), Timeout: 2 * time.Second, Quiet: 250 * time.Millisecond}
	run, err := steps.Run(context.Background(), chatos.Suite(steps.Suite{Features: feats}), env, steps.Options{Concurrency: 1})
	require.NoError(t, err)
	for _, r := range run.Results {
		if r.Location != "" {
			return r
		}
	}
	require.FailNow(t, "no row for the short flood")
	return results.Result{}
}
