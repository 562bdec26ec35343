package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/oracle"
	"github.com/chatspec/chatspec/results"
)

// Every catalogue ID is listed, each with its scenarios or a reason.
func TestListJSONHasEveryCatalogueID(t *testing.T) {
	code, out, errs := chatspecCLI(t, "list", "--json")
	require.Equal(t, 0, code, errs)
	var listed []listedRequirement
	require.NoError(t, json.Unmarshal([]byte(out), &listed))
	var want, got []string
	for _, r := range catalog.All() {
		want = append(want, r.ID)
	}
	for _, l := range listed {
		got = append(got, l.ID)
		assert.True(t, len(l.Scenarios) > 0 || l.Reason != "", "%s: scenarios or a reason", l.ID)
		req, _ := catalog.Lookup(l.ID)
		assert.Equal(t, req.Level, l.Level, l.ID)
	}
	slices.Sort(want)
	slices.Sort(got)
	assert.Equal(t, want, got)

	code, out, _ = chatspecCLI(t, "list", "patchat")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "PAT-7-1")
	assert.Contains(t, out, "(no scenario: password storage")
	assert.NotContains(t, out, "COP-")
	code, _, errs = chatspecCLI(t, "list", "irc")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, `unknown protocol "irc"`)
}

func TestVersionQuotesTheDigests(t *testing.T) {
	code, out, _ := chatspecCLI(t, "version")
	require.Equal(t, 0, code)
	assert.Regexp(t, `^chatspec \S+`, out)
	assert.Contains(t, out, "catalogue sha256:"+catalog.Digest())
	assert.Contains(t, out, "chatos features sha256:"+embeddedDigest(protocols["chatos"]))
	assert.Contains(t, out, "patchat document sha256:"+catalog.Documents["patchat"].SHA256)
}

// --dry-run lists exactly the scenarios (names and places) that the same
// flags then run.
func TestDryRunListsWhatARunExecutes(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	code, out, errs := chatspecCLI(t, "run", "chatos", "--section", "2.1,2.3", "--dry-run")
	require.Equal(t, 0, code, errs)
	var planned []string
	for _, m := range regexp.MustCompile(`(?m)^  \S+\s+\w+\s+(.*) \((features/[^)]*)\)$`).FindAllStringSubmatch(out, -1) {
		planned = append(planned, m[1]+" @ "+m[2])
	}
	dir := t.TempDir()
	chatspecCLI(t, "run", "chatos", "--section", "2.1,2.3", "--color", "never", "--report", dir)
	f, err := os.Open(filepath.Join(dir, "results.json"))
	require.NoError(t, err)
	defer f.Close()
	runs, err := results.ReadJSON(f)
	require.NoError(t, err)
	var ran []string
	for _, r := range runs[0].Results {
		if !strings.HasPrefix(r.Scenario, oracle.ScenarioPrefix) { // run-wide rows, no scenario of their own
			ran = append(ran, r.Scenario+" @ "+r.Location)
		}
	}
	slices.Sort(planned)
	slices.Sort(ran)
	assert.Equal(t, ran, planned)
	assert.True(t, strings.HasPrefix(out, "chatos: "+strconv.Itoa(len(ran))+" scenarios would run\n"), out)

	code, _, errs = chatspecCLI(t, "run", "chatos", "--tags", "@no-such-tag", "--dry-run")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "no scenario selected")
}

// checkCertificate reads the certificate a certified full ChatOS run wrote:
// every catalogue ID judged or deselected, with the digests quoted.
func checkCertificate(t *testing.T, dir string) {
	t.Helper()
	var c results.Certificate
	require.NoError(t, json.Unmarshal([]byte(readReport(t, dir, "certificate.json")), &c))
	assert.Equal(t, "CERTIFIED", c.Verdict)
	assert.Equal(t, catalog.Digest(), c.Catalogue)
	require.Len(t, c.Protocols, 1)
	s := c.Protocols[0]
	assert.Equal(t, embeddedDigest(protocols["chatos"]), s.FeaturesDigest)
	assert.Equal(t, catalog.Documents["chatos"], s.Document)
	assert.Equal(t, "32", s.Profile["max-nick"])
	assert.Len(t, s.Requirements, len(catalog.ForProtocol("chatos"))-len(s.Deselected))
	assert.NotEmpty(t, s.Requirements)
	assert.Contains(t, readReport(t, dir, "summary.md"), "### Certificate")
	assert.Contains(t, readReport(t, dir, "report.html"), `id="certificate"`)
}

// A failing run and a partial certified run write no certificate, and a
// stale one from an earlier run in the same folder is removed.
func TestNoCertificateForFailingOrPartialRuns(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	dir := t.TempDir()
	stale := filepath.Join(dir, "certificate.json")
	require.NoError(t, os.WriteFile(stale, []byte("{}"), 0o644))
	code, _, _ := chatspecCLI(t, "run", "chatos", "--faults", "sender-from-packet", "--section", "2.3", "--color", "never", "--report", dir)
	require.Equal(t, 1, code)
	assert.NoFileExists(t, stale)
	code, _, errs := chatspecCLI(t, "run", "chatos", "--section", "2.3", "--color", "never", "--report", dir, "--name", "ref")
	require.Equal(t, 0, code, errs)
	assert.NoFileExists(t, stale, "a partial run is not certified as a whole")
	f, err := os.Open(filepath.Join(dir, "results.json"))
	require.NoError(t, err)
	defer f.Close()
	runs, err := results.ReadJSON(f)
	require.NoError(t, err)
	assert.Equal(t, "--section 2.3", runs[0].Selection)
	assert.Equal(t, "ref", runs[0].Name)
}
