package reports

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chatspec/chatspec/results"
)

// maxMarkdown is the most bytes summary.md holds: GitHub refuses a job
// summary over 1 MiB, and a PR comment over 64 K characters, so the summary
// puts the verdict and failures first and leaves the rest out when it must.
const maxMarkdown = 1000 << 10

// mdReserve is kept back for closing tags and the closing note.
const mdReserve = 2 << 10

// excerptWidth is the longest line of a failure excerpt.
const excerptWidth = 200

// mdWriter builds the summary within a byte budget: parts are added in
// order of importance, and a part that does not fit is left out whole.
type mdWriter struct {
	b       strings.Builder
	left    int
	dropped int
}

func newMDWriter(limit int) *mdWriter { return &mdWriter{left: limit - mdReserve} }

// add appends s if it fits, and reports whether it did.
func (m *mdWriter) add(s string) bool {
	if len(s) > m.left {
		m.dropped++
		return false
	}
	m.b.WriteString(s)
	m.left -= len(s)
	return true
}

// always appends a short closing string from the reserve.
func (m *mdWriter) always(s string) { m.b.WriteString(s) }

func (m *mdWriter) finish() string {
	if m.dropped > 0 {
		fmt.Fprintf(&m.b, "\n_%d parts of this summary were left out to stay under GitHub's 1 MiB job-summary limit; "+
			"results.json and report.html have everything._\n", m.dropped)
	}
	return m.b.String()
}

// problems returns the results that need attention, FAIL first (see
// failureRank), known ones left out, with their protocol.
func problems(runs []*results.Run) []*results.Result {
	var out []*results.Result
	for _, run := range runs {
		sorted := run.Sorted()
		for i := range sorted {
			if r := &sorted[i]; detailed(r) && !r.Known {
				out = append(out, r)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b *results.Result) int {
		return failureRank[string(a.Outcome)] - failureRank[string(b.Outcome)]
	})
	return out
}

// mdFailures lists each failure in three lines: what, expected, actual.
func mdFailures(m *mdWriter, runs []*results.Run) {
	ps := problems(runs)
	if len(ps) == 0 {
		return
	}
	m.add(fmt.Sprintf("\n### Failures (%d)\n\n", len(ps)))
	for _, r := range ps {
		m.add(mdExcerpt(r))
	}
}

func mdExcerpt(r *results.Result) string {
	head := fmt.Sprintf("- **%s** %s %s", mdCell(string(r.Outcome)), mdCell(strings.Join(r.Reqs, " ")), mdCell(scenarioLabel(r)))
	if r.Location != "" {
		head += " (" + mdCell(r.Location) + ")"
	}
	lines := []string{head}
	if r.Message != "" && r.Check != nil {
		lines = append(lines, mdCell(excerpt(r.Message)))
	}
	if r.Check != nil {
		lines = append(lines, "expected: "+mdCell(excerpt(expectedLine(r.Check.Expected))), "actual: "+mdCell(excerpt(r.Check.Actual)))
	} else if r.Message != "" {
		lines = append(lines, mdCell(excerpt(r.Message)))
	}
	return strings.Join(lines, "<br>\n  ") + "\n"
}

func expectedLine(alts []string) string {
	switch len(alts) {
	case 0:
		return "(nothing stated)"
	case 1:
		return alts[0]
	}
	return fmt.Sprintf("%s (or %d more)", firstLine(alts[0]), len(alts)-1)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// excerpt is s on one line, cut to excerptWidth runes.
func excerpt(s string) string {
	s = oneLine(s)
	if r := []rune(s); len(r) > excerptWidth {
		return string(r[:excerptWidth-1]) + "…"
	}
	return s
}

// mdObservations lists the INFO notes of every run.
func mdObservations(m *mdWriter, runs []*results.Run) {
	var lines []string
	for _, run := range runs {
		sorted := run.Sorted()
		for i := range sorted {
			r := &sorted[i]
			if detailed(r) {
				continue
			}
			for _, n := range r.Notes {
				lines = append(lines, fmt.Sprintf("- %s %s: %s\n", mdCell(strings.Join(r.Reqs, " ")), mdCell(scenarioLabel(r)), mdCell(excerpt(n))))
			}
		}
	}
	if len(lines) == 0 {
		return
	}
	m.add(fmt.Sprintf("\n### Observations (%d)\n\n", len(lines)))
	for _, l := range lines {
		m.add(l)
	}
}
