package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/chatspec/chatspec/results"
)

// maxMarkdownTranscript caps each transcript in the Markdown summary, which
// ends up in size-limited places (PR comments, job summaries); results.json
// keeps it whole.
const maxMarkdownTranscript = 8 << 10

// Markdown writes summary.md for a CI job summary or a PR comment, most
// important first: the verdict and counts, the certificate when there is
// one, each failure as a short excerpt (expected, actual), the
// observations, then per run the full table and every failure's details
// with its transcript, collapsed. The whole stays under maxMarkdown, within
// GitHub's 1 MiB job-summary limit: what does not fit is left out, last
// parts first, and the summary says so. Table cells are escaped by hand.
func Markdown(w io.Writer, runs []*results.Run) error {
	m := newMDWriter(maxMarkdown)
	all := results.Runs(runs)
	m.add(fmt.Sprintf("## chatspec: %s\n\n", verdictLine(all)))
	m.add(mdCounts(runs))
	var cert strings.Builder
	mdCertificate(&cert, results.NewCertificate(all))
	m.add(cert.String())
	mdFailures(m, runs)
	mdObservations(m, runs)
	for _, run := range runs {
		mdRun(m, run)
	}
	_, err := io.WriteString(w, m.finish())
	return err
}

func mdCounts(runs []*results.Run) string {
	var b strings.Builder
	b.WriteString("| Protocol | Target | Passed | Failed | Warned | Info | Inconclusive | Untestable | Skipped | Errors | Time |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, run := range runs {
		c := run.Counts()
		fmt.Fprintf(&b, "| %s | %s (%s) | %d | %d | %d | %d | %d | %d | %d | %d | %s |\n",
			mdCell(run.Protocol), mdCell(run.Target), mdCell(run.Mode),
			c.Pass, c.Fail, c.Warn, c.Info, c.Inconclusive, c.Untestable, c.Skipped, c.Error, formatDuration(run.Duration))
	}
	fmt.Fprintf(&b, "\n%s\n", summaryLine(results.Runs(runs).Counts(), results.Runs(runs).Duration()))
	return b.String()
}

func mdRun(m *mdWriter, run *results.Run) {
	m.add(fmt.Sprintf("\n### %s\n", mdCell(runTitle(run))))
	rows := run.Rows()
	if m.add(fmt.Sprintf("\n<details><summary>Every requirement (%d rows)</summary>\n\n", len(rows))) {
		m.add("| Section | Requirement | Level | Scenario | Result | Time |\n|---|---|---|---|---|---|\n")
		for _, row := range rows {
			r := row.Result
			m.add(fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n", mdCell(row.Section), mdCell(row.Req),
				mdCell(string(row.Level)), mdCell(scenarioLabel(r)), mdOutcome(r), cellTime(r)))
		}
		m.always("\n</details>\n")
	}
	sorted := run.Sorted()
	for i := range sorted {
		if detailed(&sorted[i]) {
			var b strings.Builder
			mdDetails(&b, &sorted[i])
			m.add(b.String())
		}
	}
	var b strings.Builder
	mdNotChecked(&b, sorted)
	mdCrashes(&b, run)
	m.add(b.String())
}

// mdOutcome is the Result cell: bold when it needs attention.
func mdOutcome(r *results.Result) string {
	label := mdCell(resultLabel(r))
	if detailed(r) && !r.Known {
		return "**" + label + "**"
	}
	return label
}

func mdDetails(b *strings.Builder, r *results.Result) {
	fmt.Fprintf(b, "\n<details><summary>Details: <b>%s</b> %s %s</summary>\n\n",
		htmlText(resultLabel(r)), htmlText(reqList(r)), htmlText(scenarioLabel(r)))
	fence(b, "text", detailBody(r))
	if r.Transcript != "" {
		b.WriteString("Transcript:\n\n")
		fence(b, "text", truncate(clean(r.Transcript), maxMarkdownTranscript))
	}
	b.WriteString("</details>\n")
}

func mdNotChecked(b *strings.Builder, sorted []results.Result) {
	var lines []string
	for i := range sorted {
		r := &sorted[i]
		if notChecked(r) {
			lines = append(lines, fmt.Sprintf("- %s %s %s: %s", mdCell(string(r.Outcome)), mdCell(reqList(r)),
				mdCell(scenarioLabel(r)), mdCell(r.Message)))
		}
	}
	if len(lines) == 0 {
		return
	}
	fmt.Fprintf(b, "\n<details><summary>Not checked (%d)</summary>\n\n%s\n\n</details>\n", len(lines), strings.Join(lines, "\n"))
}

func mdCrashes(b *strings.Builder, run *results.Run) {
	for _, cr := range run.Crashes {
		fmt.Fprintf(b, "\n**Server died** %s: %s\n", mdCell(crashPlace(cr)), mdCell(cr.Message))
	}
	if run.TargetLog != "" && (len(run.Crashes) > 0 || !run.Certified()) {
		b.WriteString("\n<details><summary>Server stderr (tail)</summary>\n\n")
		fence(b, "text", truncate(clean(run.TargetLog), maxMarkdownTranscript))
		b.WriteString("</details>\n")
	}
}

// htmlText escapes text for an HTML element such as <summary>.
func htmlText(s string) string { return htmlEscaper.Replace(clean(s)) }

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// mdCell makes text safe inside a Markdown table cell or list item: cleaned,
// with &, < and > as entities, with '|', '\', '`', '*', '_', '[' and ']' backslash-escaped
// and newlines as <br>.
func mdCell(s string) string {
	s = mdEscaper.Replace(clean(s))
	return strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "<br>")
}

var mdEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `\`, `\\`, "|", `\|`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`)

// fence writes text in a fenced code block whose fence is longer than any
// run of backticks inside it, so the text cannot end the block early.
func fence(b *strings.Builder, lang, text string) {
	f := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	fmt.Fprintf(b, "%s%s\n%s\n%s\n\n", f, lang, strings.TrimRight(text, "\n"), f)
}

func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// truncate cuts s to at most n bytes on a rune boundary, saying so.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("\n... (%d more bytes; results.json has it all)", len(s)-cut)
}

func utf8RuneStart(c byte) bool { return c&0xC0 != 0x80 }
