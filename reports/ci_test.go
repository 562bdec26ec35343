package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
)

func githubOut(t *testing.T, runs []*results.Run) string {
	return string(render(t, func(b *bytes.Buffer) error { return GitHub(b, runs) }))
}

func TestGitHubAnnotationsGolden(t *testing.T) {
	golden(t, "github.golden", []byte(githubOut(t, fixtureRuns())))
}

// A server's text cannot end an annotation early or start a new command.
func TestGitHubAnnotationsEscapeServerText(t *testing.T) {
	run := &results.Run{Protocol: "chatos", Results: []results.Result{{Protocol: "chatos", Reqs: []string{"COP-2.3-1"},
		Level: "MUST", Scenario: "s", Outcome: results.Fail, Message: "50% done\r\n::error::forged",
		Check: &results.Check{Expected: []string{"a,b: c"}, Actual: "x\n::warning::y"}}}}
	out := githubOut(t, []*results.Run{run})
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 2, out)
	assert.Equal(t, "::error title=COP-2.3-1::FAIL s ()%0A50%25 done\\x0d ::error::forged%0Aexpected: a,b: c%0Aactual: x ::warning::y", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], "::notice title=chatspec verdict::NOT CERTIFIED (1 MUST failure)"), lines[1])
}

func TestGitHubAnnotatesTheFirstTenFailures(t *testing.T) {
	run := &results.Run{Protocol: "chatos"}
	for i := range 14 {
		run.Results = append(run.Results, results.Result{Protocol: "chatos", Reqs: []string{"COP-2.1-1"}, Level: "MUST",
			Scenario: fmt.Sprintf("s%02d", i), Outcome: results.Fail})
	}
	out := githubOut(t, []*results.Run{run})
	assert.Equal(t, 10, strings.Count(out, "::error title=COP-2.1-1::"))
	assert.Contains(t, out, "::notice title=chatspec::4 more failures not annotated")
}

// Outline examples that share a name still get distinct testcase names.
func TestJUnitTestcaseNamesAreUnique(t *testing.T) {
	run := &results.Run{Protocol: "chatos"}
	for _, line := range []string{"35", "36"} {
		run.Results = append(run.Results, results.Result{Protocol: "chatos", Reqs: []string{"COP-2.1-3"}, Level: "SHOULD",
			Scenario: "Nicknames are refused", Location: "features/chatos/2_1_clients.feature:" + line, Outcome: results.Pass})
	}
	run.Results = append(run.Results, results.Result{Protocol: "chatos", Reqs: []string{"COP-2.1-3"}, Level: "SHOULD",
		Scenario: "Nicknames are refused | a b", Location: "features/chatos/2_1_clients.feature:37", Outcome: results.Info,
		Notes: []string{"refused with 2"}})
	var doc junitSuites
	require.NoError(t, xml.Unmarshal(junitOut(t, []*results.Run{run}), &doc))
	var names []string
	for _, c := range doc.Suites[0].Cases {
		names = append(names, c.Name)
	}
	assert.Equal(t, []string{"[COP-2.1-3] Nicknames are refused", "[COP-2.1-3] Nicknames are refused (line 36)",
		"[COP-2.1-3] Nicknames are refused | a b"}, names)
	info := doc.Suites[0].Cases[2]
	assert.Contains(t, info.SystemOut.Text, "INFO (an observation")
	assert.Contains(t, info.SystemOut.Text, "refused with 2")
	assert.Contains(t, info.Properties.Props, junitProperty{"outcome", "INFO"})
}

// A huge, failing run still gives a summary GitHub accepts, verdict and
// failures first.
func TestMarkdownStaysUnderGitHubsLimit(t *testing.T) {
	run := &results.Run{Protocol: "chatos", Target: "x", Mode: results.ModeTarget}
	transcript := strings.Repeat("   0.001s alice          -> LOGIN(0) nick=\"alice\"\n", 200)
	for i := range 1500 {
		run.Results = append(run.Results, results.Result{Protocol: "chatos", Reqs: []string{"COP-2.1-1"}, Level: "MUST",
			Scenario: fmt.Sprintf("scenario %04d %s", i, strings.Repeat("long name ", 10)), Outcome: results.Fail,
			Message: strings.Repeat("why ", 100), Transcript: transcript,
			Check: &results.Check{Expected: []string{strings.Repeat("e", 1000)}, Actual: strings.Repeat("a\n", 500)}})
	}
	md := string(markdownOut(t, []*results.Run{run}))
	assert.Less(t, len(md), 1<<20, "GitHub's job-summary limit")
	assert.True(t, strings.HasPrefix(md, "## chatspec: NOT CERTIFIED (1500 MUST failures)"))
	assert.Contains(t, md, "### Failures (1500)")
	assert.Contains(t, md, "- **FAIL** COP-2.1-1 scenario 0000")
	assert.Contains(t, md, "left out to stay under GitHub's 1 MiB job-summary limit")
	assert.Equal(t, strings.Count(md, "<details>"), strings.Count(md, "</details>"), "every block closed")
}
