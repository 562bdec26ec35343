package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/oracle"
	"github.com/chatspec/chatspec/results"
)

// The reference with a bug switched on: report.html puts the failure first,
// with the catalogue's text and its transcript, and every passing row opens
// onto its own wire log; the page loads nothing from outside.
func TestReportHTMLOfAFailingRun(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	dir := t.TempDir()
	code, _, errs := chatspecCLI(t, "run", "chatos", "--faults", "sender-from-packet", "--section", "2.3,2.1",
		"--color", "never", "--report", dir)
	require.Equal(t, 1, code, errs)
	page := readReport(t, dir, "report.html")
	f, err := os.Open(filepath.Join(dir, "results.json"))
	require.NoError(t, err)
	defer f.Close()
	runs, err := results.ReadJSON(f)
	require.NoError(t, err)

	first := regexp.MustCompile(`<article class="failure (\w+)" id="failure-1">\s*<h3><span class="o \w+">\w+</span> <a href="#([^"]+)">`).FindStringSubmatch(page)
	require.NotNil(t, first, "a failure block comes first")
	assert.Equal(t, []string{"FAIL", "COP-2.3-1"}, first[1:])
	failure := page[strings.Index(page, `id="failure-1"`):strings.Index(page, "</article>")]
	assert.Contains(t, failure, "forged sender", "the message")
	assert.Contains(t, failure, "Expected one of:")
	assert.Contains(t, failure, `<tr class="recv">`, "its wire log")
	assert.Contains(t, failure, "PRIVATE_MESSAGE(5)")

	rows := regexp.MustCompile(`(?s)<details class="row" id="[^"]+" data-req="([^"]+)">.*?</details>`).FindAllStringSubmatch(page, -1)
	require.Len(t, rows, len(runs[0].Rows()), "every row")
	passes := 0
	for i, row := range runs[0].Rows() {
		assert.Equal(t, row.Req, rows[i][1])
		if row.Result.Outcome == results.Pass && !strings.HasPrefix(row.Result.Scenario, oracle.ScenarioPrefix) { // the history checker's rows have no wire of their own
			passes++
			assert.Contains(t, rows[i][0], `<table class="wirelog">`, "PASS %s %s keeps its wire log", row.Req, row.Result.Scenario)
		}
	}
	assert.Positive(t, passes)
	assert.NotRegexp(t, `(?i)(src|href)\s*=\s*"(https?:)?//|<link\b|<script\b`, page, "nothing external")
}

func readReport(t *testing.T, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(data)
}

func TestGitHubAnnotationsFromTheCLI(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	code, out, _ := chatspecCLI(t, "run", "chatos", "--faults", "sender-from-packet", "--section", "2.3", "--color", "never", "--github")
	require.Equal(t, 1, code)
	assert.Equal(t, 2, strings.Count(out, "\n::error title=COP-2.3-1::FAIL A forged sender"), out)
	assert.Contains(t, out, "\n::notice title=chatspec verdict::NOT CERTIFIED (2 MUST failures)")
	_, plain, _ := chatspecCLI(t, "run", "chatos", "--faults", "sender-from-packet", "--section", "2.3", "--color", "never")
	assert.NotContains(t, plain, "::error")
}
