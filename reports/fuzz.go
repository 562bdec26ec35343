package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/chatspec/chatspec/results"
)

// Bounds of fuzz reports: server output and details are the server's bytes,
// so every rendering cuts them.
const (
	maxFuzzText      = 4 << 10 // detail or server log in findings.md and findings.json
	maxFuzzCell      = 96      // a signature or title in a console cell
	consoleTraceRows = 3       // trace lines under a finding in the console
)

// fuzzJSON is findings.json: the run with its rates spelled out.
type fuzzJSON struct {
	results.FuzzRun
	ElapsedSeconds       float64 `json:"elapsed_seconds"`
	CasesPerSecond       float64 `json:"cases_per_second"`
	ConnectionsPerSecond float64 `json:"connections_per_second"`
}

// FuzzJSON writes findings.json. Server output and details are cut to a
// bound; the finding files keep what the fuzzer saved.
func FuzzJSON(w io.Writer, run *results.FuzzRun) error {
	c := *run
	c.Findings = make([]results.FuzzFinding, len(run.Findings))
	for i, f := range run.Findings {
		f.Detail, f.ServerLog = truncate(f.Detail, maxFuzzText), truncate(f.ServerLog, maxFuzzText)
		c.Findings[i] = f
	}
	out := fuzzJSON{FuzzRun: c, ElapsedSeconds: round3(run.Elapsed.Seconds()),
		CasesPerSecond: round3(run.CasesPerSecond()), ConnectionsPerSecond: round3(run.ConnectionsPerSecond())}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

// FuzzMarkdown writes findings.md: the run's totals, then one section per
// finding with its signature, trace, detail and server output, each fenced
// so that nothing the server printed can break out of its block.
func FuzzMarkdown(w io.Writer, run *results.FuzzRun) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# chatspec fuzz: %s\n\n", mdCell(run.Protocol))
	b.WriteString("| target | seed | workers | instances | cases | cases/s | connections | connections/s | elapsed | restarts | findings |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	fmt.Fprintf(&b, "| %s | %d | %d | %d | %d | %.0f | %d | %.0f | %s | %d | %d |\n\n", mdCell(run.Target), run.Seed,
		run.Workers, run.Instances, run.Cases, run.CasesPerSecond(), run.Connections, run.ConnectionsPerSecond(),
		formatDuration(run.Elapsed), run.Restarts, len(run.Findings))
	if run.Stopped != "" {
		fmt.Fprintf(&b, "Stopped early: %s\n\n", mdCell(run.Stopped))
	}
	if len(run.Findings) == 0 {
		b.WriteString("No findings.\n")
	}
	for i := range run.Findings {
		mdFinding(&b, i+1, &run.Findings[i])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdFinding(b *strings.Builder, n int, f *results.FuzzFinding) {
	fmt.Fprintf(b, "## %d. %s\n\n", n, mdCell(f.Title))
	fmt.Fprintf(b, "- kind: **%s**, oracle: %s, seen %d time(s)\n", mdCell(f.Kind), mdCell(f.Oracle), f.TimesSeen)
	fmt.Fprintf(b, "- signature: %s\n", mdCell(f.Signature))
	fmt.Fprintf(b, "- first case: %d of seed %d, %d connection(s), %d bytes\n", f.CaseIndex, f.Seed, f.Connections, f.Bytes)
	if f.File != "" {
		fmt.Fprintf(b, "- reproducer: %s (`chatspec replay FILE`, `chatspec fuzz --minimise FILE`)\n", mdCell(f.File))
	}
	b.WriteString("\n")
	if len(f.Trace) > 0 {
		b.WriteString("Trace:\n\n")
		fence(b, "text", clean(strings.Join(f.Trace, "\n")))
	}
	fence(b, "text", truncate(clean(strings.TrimSpace(f.Detail)), maxFuzzText))
	if f.ServerLog != "" {
		b.WriteString("Server output (tail):\n\n")
		fence(b, "text", truncate(clean(strings.TrimSpace(f.ServerLog)), maxFuzzText))
	}
}

// FuzzConsole writes the console summary of a fuzz run: a table of totals,
// then a table with one row per finding (signature, times seen, first case,
// file) and the first lines of its trace.
func FuzzConsole(w io.Writer, run *results.FuzzRun) error {
	t := fuzzTable(w, "Protocol", "Cases", "Cases/s", "Connections", "Conns/s", "Elapsed", "Probes", "Restarts", "Findings")
	err := t.Append(oneLine(run.Protocol), fmt.Sprint(run.Cases), fmt.Sprintf("%.0f", run.CasesPerSecond()),
		fmt.Sprint(run.Connections), fmt.Sprintf("%.0f", run.ConnectionsPerSecond()), formatDuration(run.Elapsed),
		fmt.Sprint(run.Probes), fmt.Sprint(run.Restarts), fmt.Sprint(len(run.Findings)))
	if err == nil {
		err = t.Render()
	}
	if err != nil {
		return fmt.Errorf("fuzz console table: %w", err)
	}
	var b strings.Builder
	if run.Stopped != "" {
		fmt.Fprintf(&b, "stopped early: %s\n", oneLine(run.Stopped))
	}
	if len(run.Findings) == 0 {
		b.WriteString("no findings\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return findingsTable(w, run.Findings)
}

// findingsTable has one row per finding; the trace goes in its own cell,
// a line per row of the cell.
func findingsTable(w io.Writer, findings []results.FuzzFinding) error {
	t := fuzzTable(w, "#", "Kind", "Signature", "Seen", "Case", "Bytes", "File")
	for i, f := range findings {
		row := []string{fmt.Sprint(i + 1), oneLine(f.Kind), cut(oneLine(f.Signature), maxFuzzCell), fmt.Sprint(f.TimesSeen),
			fmt.Sprint(f.CaseIndex), fmt.Sprint(f.Bytes), oneLine(f.File)}
		if err := t.Append(row); err != nil {
			return fmt.Errorf("fuzz findings table: %w", err)
		}
		for _, line := range f.Trace[:min(len(f.Trace), consoleTraceRows)] {
			if err := t.Append("", "", "  "+cut(oneLine(line), maxFuzzCell), "", "", "", ""); err != nil {
				return fmt.Errorf("fuzz findings table: %w", err)
			}
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("fuzz findings table: %w", err)
	}
	return nil
}

// fuzzTable is an ASCII table with the header as written.
func fuzzTable(w io.Writer, header ...any) *tablewriter.Table {
	t := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
	)
	t.Header(header...)
	return t
}

// cut shortens one line to n bytes on a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
