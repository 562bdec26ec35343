package chatos

import (
	"context"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFuzzReferenceFindsNothing(t *testing.T) {
	t.Parallel()
	tg := inProcess(t)
	e := fuzz.NewEngine(fuzz.Config{Oracles: oracles(tg), Seed: 1, Cases: 400, Workers: 4, ProbeEvery: 4})
	sum, err := e.Run(context.Background())
	require.NoError(t, err)
	for _, f := range sum.Findings {
		t.Logf("finding: %s\n%s", f.Title, fuzz.FormatFinding(f))
	}
	assert.Empty(t, sum.Findings)
	assert.EqualValues(t, 400, sum.Cases)
	t.Logf("%d cases in %s: %.0f/s, %d probes", sum.Cases, sum.Elapsed, sum.CasesPerSecond(), sum.Probes)
}
