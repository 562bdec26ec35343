// Package reports renders a conformance run for people and machines: the
// console table, results.json, JUnit XML and a Markdown summary. Each is a
// pure function of results.Run values (no clock, no environment), so the
// same run always renders the same bytes and golden files can pin them.
package reports

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chatspec/chatspec/results"
)

// clean makes text from the wire safe to print and to put in XML 1.0:
// newline and tab stay; invalid UTF-8 bytes, control characters (C0 other
// than newline and tab, DEL, C1) and the non-characters U+FFFE and U+FFFF
// become visible escapes such as \x00 and \x1b. Terminal escape sequences
// sent by a server therefore cannot act on the reader's terminal.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !printableRune(r):
			writeEscaped(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func isClean(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !printableRune(r) {
			return false
		}
	}
	return true
}

func printableRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return true
	case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
		return false
	case r == 0xfffe || r == 0xffff:
		return false
	}
	return true
}

func writeEscaped(b *strings.Builder, r rune) {
	if r < 0x100 {
		fmt.Fprintf(b, `\x%02x`, r)
		return
	}
	fmt.Fprintf(b, `\u%04x`, r)
}

// oneLine is clean text squeezed onto a single line, for table cells.
func oneLine(s string) string {
	return strings.Join(strings.Fields(clean(s)), " ")
}

// formatDuration is a short, stable rendering: "0ms", "12ms", "1.2s", "2m5s".
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Round(time.Millisecond)/time.Millisecond)
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// cellTime is the Time column: "-" for results that did not run.
func cellTime(r *results.Result) string {
	if r.Duration == 0 && (r.Outcome == results.Untestable || r.Outcome == results.Skipped) {
		return "-"
	}
	return formatDuration(r.Duration)
}

// resultLabel is the Result column: the outcome, marked when known.
func resultLabel(r *results.Result) string {
	if r.Known {
		return string(r.Outcome) + " (known)"
	}
	return string(r.Outcome)
}

// scenarioLabel names a result: its scenario, or a placeholder for
// requirements no scenario covered.
func scenarioLabel(r *results.Result) string {
	if r.Scenario == "" {
		return "(no scenario)"
	}
	return oneLine(r.Scenario)
}

// reqList is the requirement IDs in brackets, exactly as tagged.
func reqList(r *results.Result) string {
	return "[" + strings.Join(r.Reqs, " ") + "]"
}

// detailed reports whether a result gets a full failure block.
func detailed(r *results.Result) bool {
	switch r.Outcome {
	case results.Fail, results.Warn, results.Inconclusive, results.Error:
		return true
	}
	return false
}

// notChecked reports whether a result is listed with its reason only.
func notChecked(r *results.Result) bool {
	return r.Outcome == results.Untestable || r.Outcome == results.Skipped
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// summaryLine is "42 passed, 0 failed, ... 0 errors in 1.2s".
func summaryLine(c results.Counts, d time.Duration) string {
	s := fmt.Sprintf("%d passed, %d failed, %d warned, %d info, %d inconclusive, %d untestable, %d skipped, %s",
		c.Pass, c.Fail, c.Warn, c.Info, c.Inconclusive, c.Untestable, c.Skipped, plural(c.Error, "error", "errors"))
	if c.Known > 0 {
		s += fmt.Sprintf(" (%d known)", c.Known)
	}
	return s + " in " + formatDuration(d)
}

// crashesLine is "the server died 2 times: during [COP-3.3-1] "An unknown
// opcode ..." (features/...:8); during or just after one of 3 scenarios
// (...)", "" for none.
func crashesLine(crashes []results.Crash) string {
	if len(crashes) == 0 {
		return ""
	}
	var where []string
	for _, cr := range crashes {
		where = append(where, crashPlace(cr))
	}
	return fmt.Sprintf("the server died %s: %s", plural(len(crashes), "time", "times"), strings.Join(where, "; "))
}

// crashPlace names the scenario a crash happened during, or the scenarios
// it happened among.
func crashPlace(cr results.Crash) string {
	switch {
	case cr.Scenario != "":
		s := fmt.Sprintf("during [%s] %q", strings.Join(cr.Reqs, " "), oneLine(cr.Scenario))
		if cr.Location != "" {
			s += " (" + cr.Location + ")"
		}
		return s
	case len(cr.Suspects) > 0:
		return fmt.Sprintf("during or just after one of %d scenarios (%s)", len(cr.Suspects), oneLine(strings.Join(cr.Suspects, ", ")))
	}
	return "outside any scenario"
}

// verdictLine is "CERTIFIED", "NOT CERTIFIED (n MUST failures, ...)", or,
// for a green run that is no certification, "PASSED (partial: ...)" or
// "NOT CERTIFIED (no change against FILE)".
func verdictLine(runs results.Runs) string {
	v := runs.Verdict()
	switch {
	case v.Certified:
		return "CERTIFIED"
	case v.Passed && v.Excused > 0:
		file := v.Expect
		if file == "" {
			file = "the expectations file"
		}
		return "NOT CERTIFIED (no change against " + oneLine(file) + ")"
	case v.Passed:
		return fmt.Sprintf("PASSED (partial: %d of %d requirements, not a certification)", v.Coverage.Selected, v.Coverage.Total)
	}
	b := runs.Blockers()
	parts := []string{plural(b.Fail, "MUST failure", "MUST failures")}
	if b.Error > 0 {
		parts = append(parts, plural(b.Error, "error", "errors"))
	}
	if b.Inconclusive > 0 {
		parts = append(parts, plural(b.Inconclusive, "requirement not judged", "requirements not judged")+" (INCONCLUSIVE)")
	}
	if b.Warn > 0 {
		parts = append(parts, plural(b.Warn, "SHOULD warning", "SHOULD warnings")+" (strict)")
	}
	if b.Crashes > 0 {
		parts = append(parts, plural(b.Crashes, "server crash", "server crashes"))
	}
	if len(runs) == 0 {
		parts = []string{"no run"}
	}
	return "NOT CERTIFIED (" + strings.Join(parts, ", ") + ")"
}

// runTitle is "chatos against 127.0.0.1:7777 (target mode), started ...".
func runTitle(r *results.Run) string {
	title := fmt.Sprintf("%s against %s (%s mode)", r.Protocol, oneLine(r.Target), r.Mode)
	if r.Strict {
		title += ", strict"
	}
	if !r.Started.IsZero() {
		title += ", started " + r.Started.UTC().Format(time.RFC3339)
	}
	return title
}

// detailBody is the plain-text body of a failure: location, message,
// expected alternatives, actual, timeout, notes. The transcript is separate.
func detailBody(r *results.Result) string {
	var b strings.Builder
	if r.Location != "" {
		fmt.Fprintf(&b, "at %s\n", clean(r.Location))
	}
	if r.Message != "" {
		fmt.Fprintf(&b, "%s\n", clean(r.Message))
	}
	if r.Check != nil {
		b.WriteString("expected one of:\n")
		for _, e := range r.Check.Expected {
			fmt.Fprintf(&b, "  - %s\n", indentRest(clean(e), "    "))
		}
		fmt.Fprintf(&b, "actual: %s\n", indentRest(clean(r.Check.Actual), "  "))
	}
	if r.TimedOut {
		fmt.Fprintf(&b, "timed out after waiting %s\n", formatDuration(r.Wait))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", clean(n))
	}
	return b.String()
}

// indentRest indents every line of s after the first.
func indentRest(s, prefix string) string {
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}

// indent prefixes every line of s (a trailing newline is kept single).
func indent(s, prefix string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix) + "\n"
}
