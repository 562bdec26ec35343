package fuzz

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExportFeatureChatosCrash(t *testing.T) {
	f := Finding{Kind: KindExit, Oracle: OracleExit, Title: "exit: signal", Target: "exec ./srv {port}", Seed: 3, CaseIndex: 8,
		Signature: Signature{Key: "signal SIGSEGV after LOGIN(0) nickname negative-length"},
		Case: Case{Protocol: "chatos", Conns: []ConnScript{
			{Steps: []Step{{Data: []byte{0, 0xff, 0xff, 0xff, 0xff}}, {}}},
			{Steps: []Step{{}, {Data: []byte("\x04\"q")}}},
		}}}
	text, err := ExportFeature(f, "chatos-exit-1234")
	require.NoError(t, err)
	want := "    When c0 sends these bytes:\n      \"\"\"\n      00 ff ff ff ff " + strings.Repeat("   ", 11) + "# .....\n      \"\"\"\n" +
		"    And c1 sends these bytes:\n      \"\"\"\n      04 22 71 " + strings.Repeat("   ", 13) + "# ..q\n      \"\"\"\n" +
		"    And c0 finishes sending\n    And c1 finishes sending\n    Then the server still serves other clients\n"
	assert.Contains(t, string(text), "  @COP-R-1 @must\n  Scenario: The server survives fuzz case chatos-exit-1234\n"+want)
	assert.Contains(t, string(text), "# signature: signal SIGSEGV after LOGIN(0) nickname negative-length\n")
}

func TestExportFeaturePatchatProtocol(t *testing.T) {
	f := Finding{Kind: KindProtocol, Oracle: OracleDecode, Case: Case{Protocol: "patchat", Conns: []ConnScript{
		{Steps: []Step{{Data: []byte("login a b\njoin \xff\x00\nno newline")}}},
	}}}
	text, err := ExportFeature(f, "p")
	require.NoError(t, err)
	assert.Contains(t, string(text), "  @PAT-3-3 @must\n")
	assert.Contains(t, string(text), "    When c0 sends these raw lines:\n      \"\"\"\n      \"login a b\\n\"\n      \"join \\xff\\x00\\n\"\n      \"no newline\"\n      \"\"\"\n")
	assert.Contains(t, string(text), "    Then everything c0 received is text\n")
}

func TestExportFeatureRefusesRunTimeValues(t *testing.T) {
	f := Finding{Kind: KindCrash, Case: Case{Protocol: "chatos", Conns: []ConnScript{
		{Steps: []Step{{Data: make([]byte, 9), Fill: &Fill{Var: "connect-id", Conn: 0, Offset: 1}}}},
	}}}
	_, err := ExportFeature(f, "x")
	assert.ErrorIs(t, err, ErrCannotExport)
	f.Kind, f.Case.Conns[0].Steps[0].Fill = KindMemory, nil
	_, err = ExportFeature(f, "x")
	assert.ErrorIs(t, err, ErrCannotExport)
}
