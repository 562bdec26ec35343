package chatos

import (
	"path/filepath"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/internal/testserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The crash fault is found, saved, replayed and minimised to a few bytes.
func TestCrashFaultFoundReplayedMinimised(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts server processes")
	}
	o := oracles(execWithFaults(t, "panic-on-empty-recipient"))
	f := testserver.FirstCrash(t, o, 7)
	assert.Contains(t, f.ServerLog, "panic")

	path := filepath.Join(t.TempDir(), "f.finding")
	require.NoError(t, fuzz.WriteFindingFile(path, f))
	back, err := fuzz.ReadFindingFile(path)
	require.NoError(t, err)
	small, _ := testserver.ReplayedAndMinimised(t, o, back, 400)
	assert.LessOrEqual(t, small.Case.Size(), 16)
}
