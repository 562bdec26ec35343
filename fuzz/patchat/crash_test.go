package patchat

import (
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/internal/testserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The long-room-name crash fault is found, replayed and minimised. The
// minimiser reaches its 204 bytes within 20 tests: 40 leave a margin.
func TestCrashFaultFoundReplayedMinimised(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts server processes")
	}
	o := oracles(t, execWithFaults(t, "panic-on-long-room-name"))
	f := testserver.FirstCrash(t, o, 3)
	back, err := fuzz.ParseFinding(fuzz.FormatFinding(f))
	require.NoError(t, err)
	small, rep := testserver.ReplayedAndMinimised(t, o, back, 40)
	assert.Less(t, small.Case.Size(), rep.BeforeBytes)
	assert.LessOrEqual(t, small.Case.Size(), 300) // "c " + 201 bytes, after a login
}
