package reports

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
)

// tables returns the lines of each table of a console report.
func tables(out string) [][]string {
	var all [][]string
	var cur []string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "|") || strings.HasPrefix(l, "+") {
			cur = append(cur, l)
		} else if cur != nil {
			all, cur = append(all, cur), nil
		}
	}
	return all
}

var resultCell = regexp.MustCompile(`^\| [^|]+ \| [^|]+ \| [^|]+ \| .+ \| (PASS|FAIL|WARN|INFO|INCONCLUSIVE|UNTESTABLE|SKIPPED|ERROR)( \(known\))? +\| [^|]+ \|$`)

// At 80 and 120 columns every table line fits, has its six cells, and
// every Result cell is whole; names are shortened, never the IDs.
func TestConsoleFitsTheTerminal(t *testing.T) {
	runs := fixtureRuns()
	runs[0].Results[0].Scenario = "A very long scenario name that goes on and on about private connections and their ids, far beyond any terminal"
	for _, width := range []int{80, 120} {
		out := string(consoleOut(t, runs, ConsoleOptions{Width: width}))
		tabs := tables(out)
		require.Len(t, tabs, 2)
		rows := 0
		for _, lines := range tabs {
			for _, l := range lines {
				assert.LessOrEqual(t, utf8.RuneCountInString(l), width, "%d columns: %q", width, l)
				assert.Equal(t, utf8.RuneCountInString(lines[0]), utf8.RuneCountInString(l), "every line as wide as the border")
				if strings.HasPrefix(l, "| ") && !strings.HasPrefix(l, "| Section") {
					assert.Regexp(t, resultCell, l)
					rows++
				}
			}
		}
		assert.Equal(t, len(runs[0].Rows())+len(runs[1].Rows()), rows)
		assert.Contains(t, out, "| COP-3.5-6   |")
		assert.Contains(t, out, "A very long scenario", "the start of the name stays")
		assert.Contains(t, out, "…")
	}
	wide := string(consoleOut(t, runs, ConsoleOptions{}))
	assert.Contains(t, wide, "far beyond any terminal", "no width: nothing cut")
}

func TestProgressLine(t *testing.T) {
	p := Progress{Protocol: "chatos", Total: 48}
	p.Add(results.Result{Reqs: []string{"COP-2.1-1"}, Scenario: "s1", Outcome: results.Pass}, false)
	p.Add(results.Result{Reqs: []string{"COP-2.3-1"}, Scenario: "a forged sender", Outcome: results.Fail}, false)
	p.Add(results.Result{Reqs: []string{"COP-2.1-3"}, Scenario: "w", Outcome: results.Warn}, false)
	assert.Equal(t, "chatos 3/48 scenarios, 1 failed · WARN COP-2.1-3 w", ProgressLine(p, 0))
	assert.Equal(t, "chatos 3/48 scenarios, 1 f…", ProgressLine(p, 27))
	assert.Equal(t, "[  3/48] WARN         COP-2.1-3                w\n", ProgressEntry(p))
	p.Add(results.Result{Reqs: []string{"COP-2.1-3"}, Scenario: "w", Outcome: results.Warn}, true)
	assert.Equal(t, 2, p.Failed, "a WARN fails in strict mode")
}
