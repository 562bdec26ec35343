package patchat

import (
	"context"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The long-room-name crash fault is found, replayed and minimised.
func TestCrashFaultFoundReplayedMinimised(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	tg := execWithFaults(t, "panic-on-long-room-name")
	o := oracles(t, tg)
	e := fuzz.NewEngine(fuzz.Config{Oracles: o, Seed: 3, Cases: 3000, Workers: 2, StopOnFirst: true})
	sum, err := e.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, sum.Findings, 1, "stopped: %s", sum.Stopped)
	f := sum.Findings[0]
	t.Logf("found after %d cases: %s", sum.Cases, f.Title)
	assert.Equal(t, fuzz.KindExit, f.Kind)

	back, err := fuzz.ParseFinding(fuzz.FormatFinding(f))
	require.NoError(t, err)
	v, err := fuzz.Replay(context.Background(), o, back)
	require.NoError(t, err)
	require.NotNil(t, v, "replay reproduces")
	assert.Equal(t, fuzz.KindExit, v.Kind)
	require.NoError(t, o.Restart(context.Background()))

	small, rep, err := fuzz.MinimiseFinding(context.Background(), o, back, 100)
	require.NoError(t, err)
	t.Logf("minimised %d -> %d bytes, %d conns, in %d tests:\n%.2500s", rep.BeforeBytes, rep.AfterBytes,
		rep.AfterConns, rep.Tests, fuzz.FormatFinding(small))
	assert.Less(t, small.Case.Size(), rep.BeforeBytes)
	assert.LessOrEqual(t, small.Case.Size(), 300) // "c " + 201 bytes, after a login
}
