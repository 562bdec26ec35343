package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/chatspec/chatspec/results"
)

// maxAnnotations is how many failures get a workflow annotation: GitHub
// shows only the first ten errors of a step anyway.
const maxAnnotations = 10

// GitHub writes GitHub Actions workflow commands: an ::error (FAIL, ERROR)
// or ::warning (INCONCLUSIVE, WARN) annotation per failure, the first
// maxAnnotations only, titled with its requirement IDs, then a ::notice
// with the verdict. Text is escaped as the runner requires, so nothing a
// server sent can end a command early or start another.
func GitHub(w io.Writer, runs []*results.Run) error {
	var b strings.Builder
	ps := problems(runs)
	for i, r := range ps {
		if i == maxAnnotations {
			fmt.Fprintf(&b, "::notice title=chatspec::%s\n", ghData(fmt.Sprintf("%d more failures not annotated: see the job summary", len(ps)-i)))
			break
		}
		fmt.Fprintf(&b, "::%s title=%s::%s\n", ghLevel(r.Outcome), ghProperty(strings.Join(r.Reqs, " ")), ghData(ghMessage(r)))
	}
	all := results.Runs(runs)
	fmt.Fprintf(&b, "::notice title=chatspec verdict::%s\n", ghData(verdictLine(all)+": "+summaryLine(all.Counts(), all.Duration())))
	_, err := io.WriteString(w, b.String())
	return err
}

func ghLevel(o results.Outcome) string {
	if o == results.Fail || o == results.Error {
		return "error"
	}
	return "warning"
}

// ghMessage is the annotation's body: outcome and scenario, then message,
// expected and actual, a line each.
func ghMessage(r *results.Result) string {
	lines := []string{fmt.Sprintf("%s %s (%s)", r.Outcome, scenarioLabel(r), r.Location)}
	if r.Message != "" {
		lines = append(lines, excerpt(r.Message))
	}
	if r.Check != nil {
		lines = append(lines, "expected: "+excerpt(expectedLine(r.Check.Expected)), "actual: "+excerpt(r.Check.Actual))
	}
	return strings.Join(lines, "\n")
}

// ghData escapes a command's message as the Actions runner reads it.
var ghDataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

func ghData(s string) string { return ghDataEscaper.Replace(clean(s)) }

// ghProperty escapes a property value (title=...): also ':' and ','.
var ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

func ghProperty(s string) string { return ghPropertyEscaper.Replace(oneLine(s)) }
