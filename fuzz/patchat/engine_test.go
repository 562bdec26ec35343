package patchat

import (
	"context"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/internal/testserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFuzzReferenceFindsNothing(t *testing.T) {
	t.Parallel()
	tg := inProcess(t)
	workers := 8 // the cases mostly wait for the server's silence
	if testserver.Raced {
		workers = 4
	}
	e := fuzz.NewEngine(fuzz.Config{Oracles: oracles(t, tg), Seed: 1, Cases: 150, Workers: workers, ProbeEvery: 4})
	sum, err := e.Run(context.Background())
	require.NoError(t, err)
	for _, f := range sum.Findings {
		t.Logf("finding: %s\n%.3000s", f.Title, fuzz.FormatFinding(f))
	}
	assert.Empty(t, sum.Findings)
	assert.EqualValues(t, 150, sum.Cases)
	t.Logf("%d cases in %s: %.0f/s, %d probes, %d false alarms", sum.Cases, sum.Elapsed, sum.CasesPerSecond(), sum.Probes, sum.FalseAlarms)
}
