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
		ran = append(ran, r.Scenario+" @ "+r.Location)
	}
	slices.Sort(planned)
	slices.Sort(ran)
	assert.Equal(t, ran, planned)
	assert.True(t, strings.HasPrefix(out, "chatos: "+strconv.Itoa(len(ran))+" scenarios would run\n"), out)

	code, _, errs = chatspecCLI(t, "run", "chatos", "--tags", "@no-such-tag", "--dry-run")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "no scenario selected")
}
