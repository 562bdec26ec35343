package reports

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"time"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/results"
)

//go:embed load.tmpl
var loadSource string

var loadTemplate = template.Must(template.Must(template.New("load").Parse(loadSource)).Parse(styleSource))

// maxLoadErrors bounds the client errors the load page lists.
const maxLoadErrors = 20

// loadPage is everything load.html shows, prepared for the template.
type loadPage struct {
	Verdict, Summary string
	OK               bool
	Figures          []certField
	Latency          *svgFigure
	LatencyCaption   string
	Timeline         *svgFigure
	Legend           []legendItem
	TimelineCaption  string
	Violations       []loadViolation
	ViolationsLeft   int
	Errors           []string
	ErrorsLeft       int
}

// LoadHTML writes load.html for a load run: one self-contained page (inline
// style and SVG, no script, no external asset) in the style of report.html,
// with the run's figures, a histogram of delivery latencies with p50, p99
// and the maximum marked, a timeline of the clients (the first ones and
// every one a violation involves) and the violations with their transcript
// excerpts. Its size is bounded whatever the run's: bucketed figures,
// capped rows, and a caption saying what was left out.
func LoadHTML(w io.Writer, run *results.LoadRun) error {
	if err := loadTemplate.Execute(w, loadPageFor(run)); err != nil {
		return fmt.Errorf("load html: %w", err)
	}
	return nil
}

func loadPageFor(run *results.LoadRun) loadPage {
	p := loadPage{OK: run.Violations == 0, Verdict: loadVerdict(run), Figures: loadFigures(run),
		Summary: fmt.Sprintf("%s against %s: %d clients for %s, seed %d", run.Protocol, oneLine(run.Target),
			run.Clients, formatDuration(run.Duration), run.Seed)}
	p.Latency, p.LatencyCaption = latencyPlot(run)
	p.Timeline, p.Legend, p.TimelineCaption = timeline(run)
	for i := range run.Rows {
		p.Violations = append(p.Violations, loadViolationOf(&run.Rows[i]))
	}
	p.ViolationsLeft = run.Violations - len(run.Rows)
	for i, e := range run.ClientErrors {
		if i == maxLoadErrors {
			p.ErrorsLeft = len(run.ClientErrors) - i
			break
		}
		p.Errors = append(p.Errors, oneLine(e))
	}
	return p
}

// loadViolation is one violation row: its requirement, what was expected
// and what happened, and the transcript lines that show it.
type loadViolation struct {
	Req, Level, Text, Outcome, Scenario, Message, Actual, Excerpts string
	Expected                                                       []string
}

func loadViolationOf(r *results.Result) loadViolation {
	v := loadViolation{Outcome: string(r.Outcome), Scenario: clean(r.Scenario), Message: clean(r.Message),
		Excerpts: clean(truncate(r.Transcript, results.MaxTranscript))}
	if len(r.Reqs) > 0 {
		v.Req, v.Level, v.Text = r.Reqs[0], string(r.Level), requirementText(r.Reqs[0])
	}
	if r.Check != nil {
		v.Expected, v.Actual = r.Check.Expected, clean(r.Check.Actual)
	}
	return v
}

func loadVerdict(run *results.LoadRun) string {
	if run.Violations == 0 {
		return "NO VIOLATIONS"
	}
	word := "VIOLATIONS"
	if run.Violations == 1 {
		word = "VIOLATION"
	}
	return fmt.Sprintf("%d %s", run.Violations, word)
}

// loadFigures are the figures the console prints too.
func loadFigures(run *results.LoadRun) []certField {
	us := func(d time.Duration) string { return d.Round(10 * time.Microsecond).String() }
	figures := []certField{
		{"messages sent", fmt.Sprint(run.Sent)},
		{"deliveries", fmt.Sprintf("%d (%.0f/s)", run.Deliveries, run.PerSecond)},
		{"latency", fmt.Sprintf("p50 %s, p99 %s, max %s", us(run.LatencyP50), us(run.LatencyP99), us(run.LatencyMax))},
	}
	if run.Bridges > 0 || run.BridgeLines > 0 {
		figures = append(figures, certField{"private connections", fmt.Sprintf("%d joined, %d lines through them", run.Bridges, run.BridgeLines)})
	}
	return append(figures, []certField{
		{"lost", fmt.Sprint(run.Lost)},
		{"duplicated", fmt.Sprint(run.Duplicated)},
		{"violations", fmt.Sprint(run.Violations)},
		{"judged on", judgedOn(run.Protocol)},
	}...)
}

// judgedOn names the requirements the history checker judges for a protocol.
func judgedOn(protocol string) string {
	out := ""
	for _, r := range catalog.ForProtocol(protocol) {
		if r.Needs == catalog.NeedsHistory {
			out += r.ID + " "
		}
	}
	return out + "and the delivery MUSTs of the catalogue (leaks, losses, changed texts)"
}
