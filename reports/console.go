package reports

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/chatspec/chatspec/results"
)

// ConsoleOptions tunes the console report.
type ConsoleOptions struct {
	// Color turns on ANSI colours. The CLI sets it when stdout is a terminal;
	// the renderer never looks at the environment itself.
	Color bool
	// Width is the terminal's width in columns: the table's scenario names
	// are shortened so that no line is wider (never below minScenarioWidth).
	// 0 means no limit.
	Width int
}

// consoleHeader is the table's header, printed as written.
var consoleHeader = []any{"Section", "Requirement", "Level", "Scenario", "Result", "Time"}

// ANSI styles.
const (
	ansiReset   = "\x1b[0m"
	ansiBold    = "\x1b[1m"
	ansiRed     = "\x1b[1;31m"
	ansiGreen   = "\x1b[32m"
	ansiYellow  = "\x1b[33m"
	ansiMagenta = "\x1b[1;35m"
	ansiCyan    = "\x1b[36m"
	ansiGrey    = "\x1b[90m"
)

var outcomeStyle = map[results.Outcome]string{
	results.Pass: ansiGreen, results.Inconclusive: ansiYellow, results.Fail: ansiRed, results.Warn: ansiYellow, results.Info: ansiCyan,
	results.Untestable: ansiGrey, results.Skipped: ansiGrey, results.Error: ansiMagenta,
}

// painter applies ANSI styles, or nothing when colour is off.
type painter bool

func (p painter) paint(style, s string) string {
	if !p || style == "" {
		return s
	}
	return style + s + ansiReset
}

func (p painter) outcome(r *results.Result) string {
	return p.paint(outcomeStyle[r.Outcome], resultLabel(r))
}

// Console writes the human report: per run a table with one row per
// (requirement, scenario) pair, the details of every failure, warning and
// error with its transcript, what was not checked and why, and the
// observations; then the summary line and the verdict.
func Console(w io.Writer, runs []*results.Run, opts ConsoleOptions) error {
	cw := &consoleWriter{w: w, p: painter(opts.Color), width: opts.Width}
	for i, run := range runs {
		if i > 0 {
			cw.printf("\n")
		}
		cw.run(run)
	}
	if cw.err != nil {
		return cw.err
	}
	all := results.Runs(runs)
	if len(runs) > 1 {
		cw.printf("\ntotal: %s\n", summaryLine(all.Counts(), all.Duration()))
	}
	style := ansiRed
	if all.Certified() {
		style = ansiGreen
	}
	cw.printf("%s\n", cw.p.paint(ansiBold+style, verdictLine(all)))
	return cw.err
}

// consoleWriter keeps the first write error so sections read straight.
type consoleWriter struct {
	w     io.Writer
	p     painter
	width int
	err   error
}

func (c *consoleWriter) printf(format string, args ...any) {
	if c.err == nil {
		_, c.err = fmt.Fprintf(c.w, format, args...)
	}
}

func (c *consoleWriter) run(run *results.Run) {
	c.printf("%s\n", c.p.paint(ansiBold, runTitle(run)))
	if c.err == nil {
		c.err = c.table(run)
	}
	sorted := run.Sorted()
	c.failures(sorted)
	c.notChecked(sorted)
	c.observations(sorted)
	c.crashes(run)
	c.printf("\n%s: %s\n", run.Protocol, summaryLine(run.Counts(), run.Duration))
}

// table renders the requirement table with tablewriter.
func (c *consoleWriter) table(run *results.Run) error {
	t := tablewriter.NewTable(c.w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleASCII)})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
	)
	t.Header(consoleHeader...)
	rows := run.Rows()
	fit := scenarioWidth(rows, c.width)
	for _, row := range rows {
		r := row.Result
		err := t.Append([]string{row.Section, row.Req, string(row.Level), shorten(scenarioLabel(r), fit), c.p.outcome(r), cellTime(r)})
		if err != nil {
			return fmt.Errorf("console table: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("console table: %w", err)
	}
	return nil
}

// minScenarioWidth is the narrowest the Scenario column gets, however
// narrow the terminal: below it a name says nothing.
const minScenarioWidth = 16

// tableOverhead is what the table's borders and padding take: seven '|'
// and a space either side of each of the six cells.
const tableOverhead = 7 + 6*2

// scenarioWidth is the widest a scenario name may be for the table to fit
// width columns (0: no limit). Only that column gives way: the Result cell
// and the IDs are never cut.
func scenarioWidth(rows []results.Row, width int) int {
	if width <= 0 {
		return 0
	}
	cols := []int{len("Section"), len("Requirement"), len("Level"), len("Result"), len("Time")}
	for _, row := range rows {
		for i, cell := range []string{row.Section, row.Req, string(row.Level), resultLabel(row.Result), cellTime(row.Result)} {
			cols[i] = max(cols[i], utf8.RuneCountInString(cell))
		}
	}
	fixed := tableOverhead
	for _, n := range cols {
		fixed += n
	}
	return max(width-fixed, minScenarioWidth)
}

// failures prints a block per FAIL, WARN and ERROR.
func (c *consoleWriter) failures(sorted []results.Result) {
	for i := range sorted {
		r := &sorted[i]
		if !detailed(r) {
			continue
		}
		c.printf("\n%s %s %s\n", c.p.outcome(r), reqList(r), scenarioLabel(r))
		c.printf("%s", indent(detailBody(r), "    "))
		if r.Transcript != "" {
			c.printf("    transcript:\n%s", indent(clean(r.Transcript), "        "))
		}
	}
}

// notChecked lists UNTESTABLE and SKIPPED results with their reasons.
func (c *consoleWriter) notChecked(sorted []results.Result) {
	header := false
	for i := range sorted {
		r := &sorted[i]
		if !notChecked(r) {
			continue
		}
		if !header {
			c.printf("\nNot checked:\n")
			header = true
		}
		c.printf("  %s %s %s: %s\n", c.p.outcome(r), reqList(r), scenarioLabel(r), oneLine(r.Message))
	}
}

// observations lists the notes of results that were not detailed above.
func (c *consoleWriter) observations(sorted []results.Result) {
	header := false
	for i := range sorted {
		r := &sorted[i]
		if detailed(r) || len(r.Notes) == 0 {
			continue
		}
		if !header {
			c.printf("\nObservations:\n")
			header = true
		}
		for _, n := range r.Notes {
			c.printf("  %s %s: %s\n", reqList(r), scenarioLabel(r), oneLine(n))
		}
	}
}

// crashes names the scenario after which the server was gone, and shows
// the tail of its stderr when chatspec started it.
func (c *consoleWriter) crashes(run *results.Run) {
	if len(run.Crashes) > 0 {
		c.printf("\n%s\n", c.p.paint(ansiRed, crashesLine(run.Crashes)))
	}
	for i, cr := range run.Crashes {
		c.printf("  crash %d: %s\n", i+1, oneLine(cr.Message))
	}
	if run.TargetLog != "" && (len(run.Crashes) > 0 || !run.Certified()) {
		c.printf("\nserver stderr (tail):\n%s", indent(clean(strings.TrimRight(run.TargetLog, "\n")), "    "))
	}
}
