package testserver

import (
	"context"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FirstCrash fuzzes o's server (started by Exec with a fault that kills it)
// from seed until the first finding, which must be that the process exited,
// and returns it.
func FirstCrash(t *testing.T, o *fuzz.Oracles, seed int64) fuzz.Finding {
	t.Helper()
	var saved []fuzz.Finding
	workers := 4
	if Raced { // CPU-bound: more workers only make the health probe late (a false hang)
		workers = 2
	}
	e := fuzz.NewEngine(fuzz.Config{Oracles: o, Seed: seed, Cases: 3000, Workers: workers, StopOnFirst: true,
		OnFinding: func(f fuzz.Finding) { saved = append(saved, f) }})
	sum, err := e.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, saved, 1, "stopped: %s", sum.Stopped)
	t.Logf("found after %d cases: %s", sum.Cases, saved[0].Title)
	assert.Contains(t, []fuzz.Kind{fuzz.KindExit, fuzz.KindCrash}, saved[0].Kind, "a death")
	assert.True(t, saved[0].Signature.FromOutput(), "explained by the server's output")
	return saved[0]
}

// ReplayedAndMinimised replays f (read back from its saved form) on o's
// server, which must die again, then restarts it and minimises f within
// maxTests runs.
func ReplayedAndMinimised(t *testing.T, o *fuzz.Oracles, f fuzz.Finding, maxTests int) (fuzz.Finding, fuzz.MinimiseReport) {
	t.Helper()
	v, err := fuzz.Replay(context.Background(), o, f)
	require.NoError(t, err)
	require.NotNil(t, v, "replay reproduces")
	// Exit or refused probe: how fast the dying process is reaped decides.
	assert.True(t, fuzz.Reproduces(f, v), "the same death: %s, recorded %s", v, f.Verdict())
	require.NoError(t, o.Restart(context.Background()))
	small, rep, err := fuzz.MinimiseFinding(context.Background(), o, f, maxTests)
	require.NoError(t, err)
	t.Logf("minimised %d -> %d bytes, %d conns, in %d tests:\n%.2500s", rep.BeforeBytes, rep.AfterBytes,
		rep.AfterConns, rep.Tests, fuzz.FormatFinding(small))
	return small, rep
}
