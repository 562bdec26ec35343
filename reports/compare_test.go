package reports

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
)

func compareServers() []Server {
	good := patchatRun()
	good.Name = "good"
	bad := patchatRun()
	bad.Name = "bad <one>"
	bad.Results[0].Outcome = results.Fail
	return []Server{
		{Name: good.ServerName(), Report: "../good/report.html", Runs: results.Runs{good}},
		{Name: bad.ServerName(), Runs: results.Runs{bad}},
	}
}

func TestCompareGolden(t *testing.T) {
	m := NewMatrix(compareServers())
	var md, page bytes.Buffer
	require.NoError(t, CompareMarkdown(&md, m))
	require.NoError(t, CompareHTML(&page, m))
	golden(t, "compare.md.golden", md.Bytes())
	golden(t, "compare.html.golden", page.Bytes())
}

func TestMatrixMarksDisagreement(t *testing.T) {
	m := NewMatrix(compareServers())
	assert.Equal(t, []string{"good", "bad <one>"}, m.Servers)
	assert.Equal(t, 1, m.Disagree)
	rows := map[string]MatrixRow{}
	for _, s := range m.Sections {
		assert.Equal(t, "patchat", s.Protocol, "only protocols some server ran")
		for _, r := range s.Rows {
			rows[r.ID] = r
		}
	}
	assert.True(t, rows["PAT-1-1"].Disagree)
	assert.Equal(t, []MatrixCell{{"PASS", "../good/report.html#PAT-1-1"}, {"FAIL", ""}}, rows["PAT-1-1"].Cells)
	assert.False(t, rows["PAT-7-1"].Disagree, "both UNTESTABLE")
	assert.Equal(t, []MatrixCell{{"", ""}, {"", ""}}, rows["PAT-6.4-1"].Cells, "no run names it")
}
