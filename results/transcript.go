package results

import (
	"fmt"
	"sync"
	"unicode/utf8"
)

// Caps on the wire transcripts a run keeps. Every result keeps one, passes
// included (the HTML report shows each scenario's wire log on demand), so
// both the size of one and their sum over a run are bounded.
const (
	// MaxTranscript is the most bytes of transcript one result keeps.
	MaxTranscript = 64 << 10
	// MaxRunTranscripts is the most transcript bytes all results of one run
	// keep; results recorded after it is spent keep a note instead.
	MaxRunTranscripts = 16 << 20
)

// TranscriptBudget hands out transcript space to the results of one run, in
// the order they finish. It is safe for concurrent use.
type TranscriptBudget struct {
	mu   sync.Mutex
	used int
}

// Keep returns the transcript s as a result may keep it: cut to
// MaxTranscript, or replaced by a note once the run's total is spent.
// Failures keep their transcript first: a non-PASS result may use the
// budget's last eighth, which passes leave for them.
func (b *TranscriptBudget) Keep(s string, o Outcome) string {
	s = CapTranscript(s, MaxTranscript)
	b.mu.Lock()
	defer b.mu.Unlock()
	limit := MaxRunTranscripts - MaxRunTranscripts/8
	if o != Pass && o != Info {
		limit = MaxRunTranscripts
	}
	if b.used+len(s) > limit {
		return fmt.Sprintf("(transcript of %d bytes not kept: this run's transcripts reached their %d MiB cap)\n",
			len(s), MaxRunTranscripts>>20)
	}
	b.used += len(s)
	return s
}

// CapTranscript cuts s to at most n bytes at a line end (or a rune boundary
// when a single line is longer), saying how much was cut.
func CapTranscript(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut-1] != '\n' {
		cut--
	}
	if cut == 0 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + fmt.Sprintf("\n... (%d more bytes of transcript not kept: cap %d KiB per scenario)\n", len(s)-cut, n>>10)
}
