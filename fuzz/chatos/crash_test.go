package chatos

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The crash fault is found, saved, replayed and minimised to a few bytes.
func TestCrashFaultFoundReplayedMinimised(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	tg := execWithFaults(t, "panic-on-empty-recipient")
	o := oracles(tg)
	var saved []fuzz.Finding
	e := fuzz.NewEngine(fuzz.Config{Oracles: o, Seed: 7, Cases: 3000, Workers: 2, StopOnFirst: true,
		OnFinding: func(f fuzz.Finding) { saved = append(saved, f) }})
	sum, err := e.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, saved, 1, "stopped: %s", sum.Stopped)
	f := saved[0]
	t.Logf("found after %d cases: %s", sum.Cases, f.Title)
	assert.Equal(t, fuzz.KindExit, f.Kind)
	assert.Contains(t, f.ServerLog, "panic")

	path := filepath.Join(t.TempDir(), "f.finding")
	require.NoError(t, fuzz.WriteFindingFile(path, f))
	back, err := fuzz.ReadFindingFile(path)
	require.NoError(t, err)

	v, err := fuzz.Replay(context.Background(), o, back)
	require.NoError(t, err)
	require.NotNil(t, v, "replay reproduces")
	assert.Equal(t, fuzz.KindExit, v.Kind)
	require.NoError(t, o.Restart(context.Background()))

	small, rep, err := fuzz.MinimiseFinding(context.Background(), o, back, 400)
	require.NoError(t, err)
	t.Logf("minimised %d -> %d bytes in %d tests:\n%s", rep.BeforeBytes, rep.AfterBytes, rep.Tests, fuzz.FormatFinding(small))
	assert.LessOrEqual(t, small.Case.Size(), 16)
}
