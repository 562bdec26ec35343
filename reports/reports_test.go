package reports

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
)

func render(t *testing.T, f func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, f(&buf))
	return buf.Bytes()
}

func consoleOut(t *testing.T, runs []*results.Run, opts ConsoleOptions) []byte {
	return render(t, func(b *bytes.Buffer) error { return Console(b, runs, opts) })
}

func jsonOut(t *testing.T, runs []*results.Run) []byte {
	return render(t, func(b *bytes.Buffer) error { return JSON(b, runs) })
}

func junitOut(t *testing.T, runs []*results.Run) []byte {
	return render(t, func(b *bytes.Buffer) error { return JUnit(b, runs) })
}

func markdownOut(t *testing.T, runs []*results.Run) []byte {
	return render(t, func(b *bytes.Buffer) error { return Markdown(b, runs) })
}

func TestConsoleGolden(t *testing.T) {
	golden(t, "console.golden", consoleOut(t, fixtureRuns(), ConsoleOptions{}))
}

func TestConsoleColorGolden(t *testing.T) {
	golden(t, "console_color.golden", consoleOut(t, fixtureRuns(), ConsoleOptions{Color: true}))
}

func TestConsoleCertifiedGolden(t *testing.T) {
	golden(t, "console_certified.golden", consoleOut(t, []*results.Run{completePatchat()}, ConsoleOptions{}))
}

func TestJSONGolden(t *testing.T) {
	golden(t, "results.json.golden", jsonOut(t, fixtureRuns()))
}

func TestJUnitGolden(t *testing.T) {
	golden(t, "junit.xml.golden", junitOut(t, fixtureRuns()))
}

func TestJUnitStrictGolden(t *testing.T) {
	run := chatosRun()
	run.Strict = true
	golden(t, "junit_strict.xml.golden", junitOut(t, []*results.Run{run}))
}

func TestMarkdownGolden(t *testing.T) {
	golden(t, "summary.md.golden", markdownOut(t, fixtureRuns()))
}

// Every requirement ID of the fixture reaches every format as the same string.
func TestSameIDInEveryFormat(t *testing.T) {
	runs := fixtureRuns()
	outputs := map[string]string{
		"console":  string(consoleOut(t, runs, ConsoleOptions{Color: true})),
		"json":     string(jsonOut(t, runs)),
		"junit":    string(junitOut(t, runs)),
		"markdown": string(markdownOut(t, runs)),
	}
	for _, run := range runs {
		for _, res := range run.Results {
			for _, id := range res.Reqs {
				for format, out := range outputs {
					assert.Contains(t, out, id, "%s lacks %s", format, id)
				}
			}
		}
	}
}

func TestConsoleOneRowPerRequirement(t *testing.T) {
	out := string(consoleOut(t, fixtureRuns(), ConsoleOptions{}))
	for _, id := range []string{"COP-3.5-6", "COP-3.5-7"} {
		assert.Contains(t, out, "| 3.5     | "+id+" ", "row of %s", id)
	}
	assert.Equal(t, 1, strings.Count(out, "| COP-3.5-7 "), "one table row")
}

func TestConsoleColourOnlyWhenAsked(t *testing.T) {
	plain := string(consoleOut(t, fixtureRuns(), ConsoleOptions{}))
	coloured := string(consoleOut(t, fixtureRuns(), ConsoleOptions{Color: true}))
	assert.NotContains(t, plain, "\x1b")
	assert.Contains(t, coloured, ansiRed+"FAIL"+ansiReset)
	assert.NotContains(t, plain, "\x00", "server bytes are escaped")
	assert.Contains(t, plain, `\x1b[31mEOF\x00`)
}

func TestVerdictLines(t *testing.T) {
	assert.Equal(t, "PASSED (partial: 2 of 33 requirements, not a certification)", verdictLine(results.Runs{patchatRun()}))
	excused := patchatRun()
	excused.Expect = "known.txt"
	excused.Results[0].Outcome, excused.Results[0].Known = results.Fail, true
	assert.Equal(t, "NOT CERTIFIED (no change against known.txt)", verdictLine(results.Runs{excused}))
	assert.Equal(t, "NOT CERTIFIED (1 MUST failure, 1 error, 1 requirement not judged (INCONCLUSIVE), 1 server crash)",
		verdictLine(results.Runs{chatosRun(), patchatRun()}))
	strict := chatosRun()
	strict.Strict = true
	strict.Results[4].Outcome = results.Fail
	strict.Crashes = nil
	assert.Equal(t, "NOT CERTIFIED (2 MUST failures, 1 requirement not judged (INCONCLUSIVE), 1 SHOULD warning (strict))",
		verdictLine(results.Runs{strict}))
	assert.Equal(t, "NOT CERTIFIED (no run)", verdictLine(nil))
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestRenderersReportWriteErrors(t *testing.T) {
	runs := fixtureRuns()
	assert.ErrorIs(t, Console(failingWriter{}, runs, ConsoleOptions{}), errWrite)
	assert.ErrorIs(t, JSON(failingWriter{}, runs), errWrite)
	assert.ErrorIs(t, JUnit(failingWriter{}, runs), errWrite)
	assert.ErrorIs(t, Markdown(failingWriter{}, runs), errWrite)
}

func TestJSONReadsBack(t *testing.T) {
	runs, err := results.ReadJSON(bytes.NewReader(jsonOut(t, fixtureRuns())))
	require.NoError(t, err)
	want := fixtureRuns()
	for _, r := range want {
		r.Sort()
	}
	assert.Equal(t, results.Runs(want), runs)
	orig := fixtureRuns()
	require.NoError(t, JSON(io.Discard, orig))
	assert.Equal(t, fixtureRuns(), orig, "JSON does not reorder the caller's runs")
	var raw map[string]any
	require.NoError(t, json.Unmarshal(jsonOut(t, fixtureRuns()), &raw))
	assert.Equal(t, false, raw["certified"])
}

func TestJUnitControlBytesParseBack(t *testing.T) {
	run := chatosRun()
	run.Results[0].Transcript = "c1 <- \x00\x1b\xff ]]> end"
	run.Results[0].Message = "bad \x00 byte"
	run.Results[0].Scenario = "scenario \xfe\x07"
	run.TargetLog = "log \x01\xef\xbf\xbe"
	out := junitOut(t, []*results.Run{run})

	var doc junitSuites
	require.NoError(t, xml.Unmarshal(out, &doc))
	require.Len(t, doc.Suites, 1)
	var failed *junitCase
	for i, c := range doc.Suites[0].Cases {
		if c.Failure != nil {
			failed = &doc.Suites[0].Cases[i]
		}
	}
	require.NotNil(t, failed)
	assert.Contains(t, failed.Failure.Body, `c1 <- \x00\x1b\xff ]]> end`)
	assert.Equal(t, `bad \x00 byte`, failed.Failure.Message)
	assert.Contains(t, failed.Name, `scenario \xfe\x07`)
	assert.Contains(t, doc.Suites[0].SystemErr.Text, `log \x01\ufffe`)
}

func TestJUnitCounts(t *testing.T) {
	var doc junitSuites
	require.NoError(t, xml.Unmarshal(junitOut(t, fixtureRuns()), &doc))
	assert.Equal(t, 11, doc.Tests)
	assert.Equal(t, 1, doc.Failures, "WARN is not a failure without strict")
	assert.Equal(t, 2, doc.Errors, "ERROR and INCONCLUSIVE")
	var types []string
	for _, c := range doc.Suites[0].Cases {
		if c.Error != nil {
			types = append(types, c.Error.Type)
		}
	}
	assert.ElementsMatch(t, []string{"ERROR", "INCONCLUSIVE"}, types)
	assert.Equal(t, 4, doc.Skipped, "skipped, untestable twice, known warn")
	c := doc.Suites[0].Cases[0]
	assert.Equal(t, "chatos.2.1", c.Classname)

	run := chatosRun()
	run.Strict = true
	require.NoError(t, xml.Unmarshal(junitOut(t, []*results.Run{run}), &doc))
	assert.Equal(t, 2, doc.Failures, "WARN is a failure when strict; the known one stays skipped")
}

func TestJUnitCaseNameAndProperties(t *testing.T) {
	var doc junitSuites
	require.NoError(t, xml.Unmarshal(junitOut(t, fixtureRuns()), &doc))
	var found bool
	for _, c := range doc.Suites[0].Cases {
		if c.Name != "[COP-3.5-6 COP-3.5-7] Both sides get 11" {
			continue
		}
		found = true
		assert.Equal(t, "chatos.3.5", c.Classname)
		assert.Equal(t, "features/chatos/3_5_private.feature", c.File)
		assert.Equal(t, "12", c.Line)
		assert.Equal(t, []junitProperty{{"level", "MUST"}, {"outcome", "FAIL"}, {"requirement", "COP-3.5-6"}, {"requirement", "COP-3.5-7"}}, c.Properties.Props)
		assert.Contains(t, c.Failure.Body, "expected one of:")
	}
	assert.True(t, found)
}

func TestMarkdownEscapesCells(t *testing.T) {
	run := patchatRun()
	run.Results[0].Scenario = "pipe | and `tick`\nnew line <b>"
	out := string(markdownOut(t, []*results.Run{run}))
	assert.Contains(t, out, "pipe \\| and \\`tick\\` new line &lt;b&gt;")
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "PAT-1-1 |") {
			assert.Equal(t, 7, strings.Count(line, " | ")+2, "six cells: %q", line)
		}
	}
}

func TestMarkdownFenceOutlastsBackticks(t *testing.T) {
	var b strings.Builder
	fence(&b, "text", "a ```` b")
	assert.True(t, strings.HasPrefix(b.String(), "`````text\n"))
}

func TestTruncateOnRuneBoundary(t *testing.T) {
	got := truncate("aé"+strings.Repeat("x", 10), 2)
	assert.True(t, strings.HasPrefix(got, "a\n... (12 more bytes"), got)
	assert.Equal(t, "short", truncate("short", 10))
}

func TestClean(t *testing.T) {
	assert.Equal(t, "plain\ttext\n", clean("plain\ttext\n"))
	assert.Equal(t, `\x00\x1b[0m\xff\x0d`, clean("\x00\x1b[0m\xff\r"))
	assert.Equal(t, `é \x85 \ufffe`, clean("é \u0085 \ufffe"))
	assert.Equal(t, "a b c", oneLine("a\n b\t c"))
}
