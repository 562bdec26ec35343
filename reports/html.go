package reports

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/results"
)

// maxHTMLWire caps the wire-log bytes one report.html shows in total; the
// logs after it say so and point at results.json. With the per-scenario and
// per-run caps of results, report.html stays a file a browser opens at once.
const maxHTMLWire = 8 << 20

//go:embed html.tmpl
var htmlSource string

// styleSource is the style sheet every HTML page of chatspec shares.
//
//go:embed style.tmpl
var styleSource string

var htmlTemplate = template.Must(template.Must(template.New("report").Parse(htmlSource)).Parse(styleSource))

// htmlPage is everything report.html shows, prepared so that the template
// only loops and prints (html/template escapes every value).
type htmlPage struct {
	Verdict   string
	Certified bool
	Summary   string
	Failures  []htmlFailure
	Runs      []htmlRun
	Caps      string
	Cert      []certField // the certificate, when the run earned one
	CertLines []string
}

// htmlRun is one protocol's part of the page.
type htmlRun struct {
	Title        string
	Protocol     string
	Target       string
	Summary      string
	Counts       results.Counts
	Sections     []htmlSection
	Observations []htmlNote
	Crashes      []htmlCrash
	Log          []htmlLogLine
}

type htmlSection struct {
	Name string
	Rows []htmlRow
}

// htmlRow is one (requirement, scenario) row; its wire log is either its
// own, or that of the failure block or earlier row of the same scenario.
type htmlRow struct {
	Anchor, Section, Req, Level, Text, Scenario, Location string
	Outcome, Class, Time, Detail                          string
	Wire                                                  *htmlWire
	WireAt                                                string // anchor of the block that shows this scenario's wire log
}

type htmlFailure struct {
	Anchor, Row, Outcome, Class, Scenario, Location string
	Reqs                                            []htmlReq
	Message, Actual, Timeout                        string
	Expected, Notes                                 []string
	Wire                                            *htmlWire
}

type htmlReq struct{ ID, Level, Text string }

type htmlNote struct{ Row, Reqs, Scenario, Note string }

type htmlCrash struct {
	Place, Message string
	Restarted      bool
}

type htmlLogLine struct {
	Text   string
	Marker bool // chatspec's restart marker
}

// HTML writes report.html: one self-contained page (inline style, no
// script, no external asset) with the verdict and counts, the failures
// first with the catalogue's text of their requirements, then every row of
// every section, each opening onto its scenario's wire log, then the
// observations and the server's stderr tail.
func HTML(w io.Writer, runs []*results.Run) error {
	if err := htmlTemplate.Execute(w, htmlPageFor(runs, maxHTMLWire)); err != nil {
		return fmt.Errorf("html: %w", err)
	}
	return nil
}

// htmlPageFor prepares the page; wireBudget is the most transcript bytes
// it shows (maxHTMLWire, smaller in tests).
func htmlPageFor(runs []*results.Run, wireBudget int) htmlPage {
	all := results.Runs(runs)
	b := &htmlBuilder{budget: wireBudget, anchors: map[string]int{}}
	page := htmlPage{Verdict: verdictLine(all), Certified: all.Certified(),
		Summary: summaryLine(all.Counts(), all.Duration()), Caps: capsLine()}
	for _, run := range runs {
		page.Runs = append(page.Runs, b.run(run))
	}
	page.Failures = b.failures
	failureOrder(page.Failures)
	if c := results.NewCertificate(all); c != nil {
		page.Cert, page.CertLines = certificateFields(c), certificateOutcomes(c)
	}
	return page
}

func capsLine() string {
	return fmt.Sprintf("Wire logs are kept up to %d KiB per scenario and %d MiB per run; this page shows at most %d MiB of them "+
		"(results.json keeps every kept byte). Times are seconds since the scenario's first connection.",
		results.MaxTranscript>>10, results.MaxRunTranscripts>>20, maxHTMLWire>>20)
}

// htmlBuilder assigns anchors and spends the page's wire budget in page order.
type htmlBuilder struct {
	budget   int
	anchors  map[string]int
	failures []htmlFailure
}

// anchor returns a unique element id: the requirement ID for its first
// row (so other pages can link to #COP-3.5-6), then ID.2, ID.3, ...
func (b *htmlBuilder) anchor(base string) string {
	if base == "" {
		base = "row"
	}
	b.anchors[base]++
	if n := b.anchors[base]; n > 1 {
		return fmt.Sprintf("%s.%d", base, n)
	}
	return base
}

func (b *htmlBuilder) run(run *results.Run) htmlRun {
	hr := htmlRun{Title: runTitle(run), Protocol: run.Protocol, Target: oneLine(run.Target),
		Summary: summaryLine(run.Counts(), run.Duration), Counts: run.Counts()}
	wireAt := map[*results.Result]string{}
	for _, row := range run.Rows() {
		hr.Sections = addRow(hr.Sections, b.row(row, wireAt))
	}
	sorted := run.Sorted()
	for i := range sorted {
		if r := &sorted[i]; !detailed(r) {
			for _, n := range r.Notes {
				hr.Observations = append(hr.Observations, htmlNote{firstRow(r), reqList(r), scenarioLabel(r), clean(n)})
			}
		}
	}
	hr.Crashes, hr.Log = htmlCrashes(run), htmlLog(run.TargetLog)
	return hr
}

// firstRow is the anchor of a result's first row (its first ID).
func firstRow(r *results.Result) string {
	if len(r.Reqs) == 0 {
		return "row"
	}
	return r.Reqs[0]
}

func addRow(sections []htmlSection, row htmlRow) []htmlSection {
	if n := len(sections); n > 0 && sections[n-1].Name == row.Section {
		sections[n-1].Rows = append(sections[n-1].Rows, row)
		return sections
	}
	return append(sections, htmlSection{Name: row.Section, Rows: []htmlRow{row}})
}

// row builds one table row; a detailed result's first row also adds its
// failure block, which then holds the scenario's wire log.
func (b *htmlBuilder) row(row results.Row, wireAt map[*results.Result]string) htmlRow {
	r := row.Result
	hr := htmlRow{Anchor: b.anchor(row.Req), Section: row.Section, Req: row.Req, Level: string(row.Level),
		Text: requirementText(row.Req), Scenario: scenarioLabel(r), Location: clean(r.Location),
		Outcome: resultLabel(r), Class: string(r.Outcome), Time: cellTime(r), Detail: rowDetail(r)}
	if at, ok := wireAt[r]; ok {
		hr.WireAt = at
		return hr
	}
	if detailed(r) {
		f := b.failure(r, hr.Anchor)
		hr.WireAt = f.Anchor
		b.failures = append(b.failures, f)
	} else {
		hr.Wire = b.wire(r.Transcript)
		hr.WireAt = hr.Anchor
	}
	wireAt[r] = hr.WireAt
	return hr
}

// rowDetail is the detail body without the location, which the row shows
// on its own line.
func rowDetail(r *results.Result) string {
	c := *r
	c.Location = ""
	return detailBody(&c)
}

func requirementText(id string) string {
	if req, ok := catalog.Lookup(id); ok {
		return req.Text
	}
	return ""
}

func (b *htmlBuilder) failure(r *results.Result, row string) htmlFailure {
	f := htmlFailure{Anchor: fmt.Sprintf("failure-%d", len(b.failures)+1), Row: row,
		Outcome: resultLabel(r), Class: string(r.Outcome), Scenario: scenarioLabel(r),
		Location: clean(r.Location), Message: clean(r.Message), Wire: b.wire(r.Transcript)}
	for _, id := range r.Reqs {
		req, _ := catalog.Lookup(id)
		f.Reqs = append(f.Reqs, htmlReq{ID: id, Level: string(req.Level), Text: req.Text})
	}
	if r.Check != nil {
		for _, e := range r.Check.Expected {
			f.Expected = append(f.Expected, clean(e))
		}
		f.Actual = clean(r.Check.Actual)
	}
	if r.TimedOut {
		f.Timeout = "timed out after waiting " + formatDuration(r.Wait)
	}
	for _, n := range r.Notes {
		f.Notes = append(f.Notes, clean(n))
	}
	return f
}

func htmlCrashes(run *results.Run) []htmlCrash {
	var out []htmlCrash
	for _, c := range run.Crashes {
		msg := clean(c.Message)
		out = append(out, htmlCrash{Place: clean(crashPlace(c)), Message: msg, Restarted: strings.Contains(msg, "; restarted")})
	}
	return out
}

// htmlLog splits the server's stderr tail into lines, marking chatspec's
// restart markers.
func htmlLog(log string) []htmlLogLine {
	var out []htmlLogLine
	for _, line := range splitLines(clean(truncate(log, results.MaxTranscript))) {
		out = append(out, htmlLogLine{Text: line, Marker: isRestartMarker(line)})
	}
	return out
}

func isRestartMarker(line string) bool {
	return strings.HasPrefix(line, "--- chatspec: ")
}

// failureRank orders the failure blocks: what fails certification first.
var failureRank = map[string]int{"FAIL": 0, "ERROR": 1, "INCONCLUSIVE": 2, "WARN": 3}

// failureOrder sorts the failure blocks by failureRank, known ones last,
// report order otherwise.
func failureOrder(fs []htmlFailure) {
	rank := func(f htmlFailure) int {
		if f.Outcome != f.Class { // "(known)"
			return 10 + failureRank[f.Class]
		}
		return failureRank[f.Class]
	}
	slices.SortStableFunc(fs, func(a, b htmlFailure) int { return rank(a) - rank(b) })
}
