package results

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCapTranscriptCutsAtALineEnd(t *testing.T) {
	s := strings.Repeat("0123456789\n", 10)
	got := CapTranscript(s, 25)
	assert.True(t, strings.HasPrefix(got, "0123456789\n0123456789\n\n... (88 more bytes"), got)
	assert.Equal(t, s, CapTranscript(s, len(s)))
	one := CapTranscript(strings.Repeat("é", 10), 5)
	assert.True(t, strings.HasPrefix(one, "éé\n..."), one)
}

func TestTranscriptBudgetBoundsARun(t *testing.T) {
	var b TranscriptBudget
	big := strings.Repeat("x\n", MaxTranscript) // twice the per-result cap
	kept := 0
	for range 2 * MaxRunTranscripts / MaxTranscript {
		kept += len(b.Keep(big, Pass))
	}
	assert.LessOrEqual(t, kept, MaxRunTranscripts)
	assert.Contains(t, b.Keep(big, Pass), "not kept")
	assert.True(t, strings.HasPrefix(b.Keep(big, Fail), "x\nx\n"), "failures keep the reserve")
	assert.Equal(t, "short\n", (&TranscriptBudget{}).Keep("short\n", Pass))
}
