package chatos_test

import (
	"strings"
	"testing"

	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/chatspec/chatspec/results"
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
		cfg.QueueLen = 1 << 16 // more than the whole flood: mallory is never found too slow
		r := stoppedReadingRow(t, cfg)
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
