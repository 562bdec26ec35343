package reports

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chatspec/chatspec/results"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string           `xml:"name,attr"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Errors     int              `xml:"errors,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Time       string           `xml:"time,attr"`
	Timestamp  string           `xml:"timestamp,attr,omitempty"`
	Properties *junitProperties `xml:"properties"`
	Cases      []junitCase      `xml:"testcase"`
	SystemErr  *junitText       `xml:"system-err"`
}

type junitProperties struct {
	Props []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name       string           `xml:"name,attr"`
	Classname  string           `xml:"classname,attr"`
	Time       string           `xml:"time,attr"`
	File       string           `xml:"file,attr,omitempty"`
	Line       string           `xml:"line,attr,omitempty"`
	Properties *junitProperties `xml:"properties"`
	Failure    *junitProblem    `xml:"failure"`
	Error      *junitProblem    `xml:"error"`
	Skipped    *junitSkipped    `xml:"skipped"`
	SystemOut  *junitText       `xml:"system-out"`
}

// junitText is element text written as CDATA, so multi-line bodies stay
// readable in the raw file (clean has already removed what XML forbids;
// encoding/xml splits any "]]>" inside).
type junitText struct {
	Text string `xml:",cdata"`
}

// text wraps non-empty s for an optional text element.
func text(s string) *junitText {
	if s == "" {
		return nil
	}
	return &junitText{Text: s}
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// JUnit writes JUnit XML: a <testsuite> per run, a <testcase> per scenario
// named with its requirement IDs. A MUST not met (and a SHOULD in strict
// mode) is a <failure>, a harness problem an <error>; untestable, skipped and
// known (expectations file) results are <skipped> with the reason. Every
// string is cleaned, so the file stays valid XML 1.0 whatever the server sent.
func JUnit(w io.Writer, runs []*results.Run) error {
	doc := junitSuites{Name: "chatspec"}
	for _, run := range runs {
		s := junitSuiteFor(run)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	doc.Time = seconds(results.Runs(runs).Duration())
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitSuiteFor(run *results.Run) junitSuite {
	s := junitSuite{
		Name: clean(run.Protocol), Time: seconds(run.Duration),
		Properties: sortedProps([]junitProperty{
			{"mode", clean(run.Mode)}, {"target", clean(run.Target)}, {"tool", clean(run.Tool)},
			{"strict", strconv.FormatBool(run.Strict)},
		}),
	}
	if !run.Started.IsZero() {
		s.Timestamp = run.Started.UTC().Format(time.RFC3339)
	}
	s.SystemErr = text(suiteLog(run))
	names := map[string]int{}
	for _, r := range run.Sorted() {
		c := junitCaseFor(&r, run.Strict)
		c.Name = uniqueName(names, c.Name, c.Line)
		s.Tests++
		switch {
		case c.Failure != nil:
			s.Failures++
		case c.Error != nil:
			s.Errors++
		case c.Skipped != nil:
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
	}
	return s
}

func junitCaseFor(r *results.Result, strict bool) junitCase {
	c := junitCase{
		Name:      clean(reqList(r) + " " + scenarioLabel(r)),
		Classname: clean(r.Protocol + "." + r.Section),
		Time:      seconds(r.Duration),
		SystemOut: text(junitNotes(r)),
	}
	c.File, c.Line = splitLocation(clean(r.Location))
	props := []junitProperty{{"level", string(r.Level)}, {"outcome", string(r.Outcome)}}
	for _, id := range r.Reqs {
		props = append(props, junitProperty{"requirement", clean(id)})
	}
	if r.Known {
		props = append(props, junitProperty{"known", "true"})
	}
	c.Properties = sortedProps(props)
	setVerdict(&c, r, strict)
	return c
}

// setVerdict fills the failure, error or skipped element for an outcome.
func setVerdict(c *junitCase, r *results.Result, strict bool) {
	switch {
	case r.Known && detailed(r):
		c.Skipped = &junitSkipped{Message: "known " + string(r.Outcome) + " (expectations file): " + oneLine(r.Message)}
	case r.Outcome == results.Fail || (r.Outcome == results.Warn && strict):
		c.Failure = problem(r)
	case r.Outcome == results.Error, r.Outcome == results.Inconclusive:
		c.Error = problem(r) // Type says which: the requirement was not judged
	case notChecked(r):
		c.Skipped = &junitSkipped{Message: oneLine(string(r.Outcome) + ": " + r.Message)}
	case r.Outcome == results.Warn:
		c.SystemOut = text("WARN (SHOULD not met)\n" + detailBody(r) + transcriptBlock(r))
	case r.Outcome == results.Info:
		c.SystemOut = text("INFO (an observation; the document leaves the choice to the server)\n" + detailBody(r))
	}
}

// uniqueName keeps testcase names unique within a suite, as CI tools key
// history on them: an Outline's examples are named by their values, and a
// name seen before gets its feature line added.
func uniqueName(seen map[string]int, name, line string) string {
	seen[name]++
	if seen[name] == 1 {
		return name
	}
	if line == "" {
		line = strconv.Itoa(seen[name])
	}
	return name + " (line " + line + ")"
}

// suiteLog is the run's crashes and the tail of the server's stderr.
func suiteLog(run *results.Run) string {
	var b strings.Builder
	for _, cr := range run.Crashes {
		fmt.Fprintf(&b, "server died %s: %s\n", clean(crashPlace(cr)), clean(cr.Message))
	}
	if run.TargetLog != "" {
		b.WriteString("server stderr (tail):\n" + clean(run.TargetLog))
	}
	return b.String()
}

func problem(r *results.Result) *junitProblem {
	msg := oneLine(r.Message)
	if msg == "" {
		msg = string(r.Outcome)
	}
	return &junitProblem{Message: msg, Type: string(r.Outcome), Body: detailBody(r) + transcriptBlock(r)}
}

func transcriptBlock(r *results.Result) string {
	if r.Transcript == "" {
		return ""
	}
	return "transcript:\n" + indent(clean(r.Transcript), "  ")
}

func junitNotes(r *results.Result) string {
	if detailed(r) || len(r.Notes) == 0 {
		return ""
	}
	var b strings.Builder
	for _, n := range r.Notes {
		b.WriteString(clean(n) + "\n")
	}
	return b.String()
}

// sortedProps orders properties by name; equal names keep their order, so
// requirement IDs stay in tag order.
func sortedProps(props []junitProperty) *junitProperties {
	slices.SortStableFunc(props, func(a, b junitProperty) int { return cmp.Compare(a.Name, b.Name) })
	return &junitProperties{Props: props}
}

// splitLocation splits "path/file.feature:12" into file and line.
func splitLocation(loc string) (file, line string) {
	i := strings.LastIndexByte(loc, ':')
	if i < 0 {
		return loc, ""
	}
	if _, err := strconv.Atoi(loc[i+1:]); err != nil {
		return loc, ""
	}
	return loc[:i], loc[i+1:]
}

func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}
