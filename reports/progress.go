package reports

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/chatspec/chatspec/results"
)

// Progress is the state of a run in progress, as the live status line
// shows it.
type Progress struct {
	Protocol string
	Done     int // scenarios finished
	Total    int // scenarios the run will execute (0 when unknown)
	Failed   int // finished with FAIL, ERROR or INCONCLUSIVE, or WARN in strict mode
	Last     *results.Result
}

// Add counts a finished scenario.
func (p *Progress) Add(r results.Result, strict bool) {
	p.Done++
	p.Last = &r
	if r.Known {
		return
	}
	switch r.Outcome {
	case results.Fail, results.Error, results.Inconclusive:
		p.Failed++
	case results.Warn:
		if strict {
			p.Failed++
		}
	}
}

// ProgressLine is the live status: "chatos 23/48 scenarios, 1 failed ·
// PASS COP-2.3-1 A forged sender...", cut to width runes (0: no limit), so
// that a terminal redraws it in place on one line.
func ProgressLine(p Progress, width int) string {
	total := "?"
	if p.Total > 0 {
		total = fmt.Sprint(p.Total)
	}
	s := fmt.Sprintf("%s %d/%s scenarios, %s", p.Protocol, p.Done, total, plural(p.Failed, "failed", "failed"))
	if p.Last != nil {
		s += fmt.Sprintf(" · %s %s %s", p.Last.Outcome, strings.Join(p.Last.Reqs, " "), scenarioLabel(p.Last))
	}
	return shorten(oneLine(s), width)
}

// ProgressEntry is the plain line printed per finished scenario when the
// output is not a terminal.
func ProgressEntry(p Progress) string {
	r := p.Last
	if r == nil {
		return ""
	}
	return fmt.Sprintf("[%3d/%d] %-12s %-24s %s\n", p.Done, p.Total, r.Outcome, strings.Join(r.Reqs, " "), scenarioLabel(r))
}

// shorten cuts s to at most n runes, ending with "…" when cut (n <= 0:
// no limit).
func shorten(s string, n int) string {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:max(n-1, 0)]) + "…"
}
