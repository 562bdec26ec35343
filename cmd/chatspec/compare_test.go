package main

import (
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The reference and two faulty references side by side: exactly the rows
// each bug breaks are marked, each cell links to its server's own row.
func TestCompareReferenceAndTwoFaultyOnes(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	root := t.TempDir()
	var dirs []string
	for _, fault := range []string{"", "sender-from-packet", "duplicate-nick"} {
		name := fault
		args := []string{"run", "chatos", "--section", "2.1,2.3", "--color", "never"}
		if fault == "" {
			name = "reference"
		} else {
			args = append(args, "--faults", fault)
		}
		dir := filepath.Join(root, name)
		chatspecCLI(t, append(args, "--name", name, "--report", dir)...)
		dirs = append(dirs, dir)
	}
	out := filepath.Join(root, "cmp")
	code, stdout, errs := chatspecCLI(t, append(append([]string{"compare"}, dirs...), "--out", out)...)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, stdout, "3 servers, 2 requirements where they disagree")
	md := readReport(t, out, "compare.md")
	marked := regexp.MustCompile(`(?m)^\| \*\*≠\*\* \| (\S+) \|`).FindAllStringSubmatch(md, -1)
	require.Len(t, marked, 2, md)
	assert.Equal(t, "COP-2.1-1", marked[0][1], "duplicate-nick breaks 2.1-1")
	assert.Equal(t, "COP-2.3-1", marked[1][1], "sender-from-packet breaks 2.3-1")
	assert.Contains(t, md, "| reference | sender-from-packet | duplicate-nick |")
	assert.Contains(t, md, "[FAIL](../duplicate-nick/report.html#COP-2.1-1)")
	page := readReport(t, out, "compare.html")
	assert.Contains(t, page, `<tr id="COP-2.3-1" class="disagree">`)
	assert.Contains(t, page, `<a href="../sender-from-packet/report.html#COP-2.3-1">FAIL</a>`)
	assert.Contains(t, readReport(t, dirs[1], "report.html"), `id="COP-2.3-1"`, "the link's target exists")

	code, _, errs = chatspecCLI(t, "compare", dirs[0])
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--out")
	code, _, errs = chatspecCLI(t, "compare", root, "--out", out)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "results.json")
}
