package fuzz

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sampleFinding() Finding {
	return Finding{
		Kind: KindExit, Title: "exit: exit status 2: panic: boom", Target: "exec ./srv {port}", Seed: -42,
		CaseIndex: 17, Oracle: OracleExit, Detail: "line one\n  indented | pipe\n\ntrailing space \n",
		ServerLog: "panic: boom\n\ngoroutine 1 [running]:\r\n",
		Case: Case{Protocol: "chatos", Conns: []ConnScript{
			{Steps: []Step{
				{Data: []byte("\x00\x00\x00\x00\x03bob"), Note: `login "bob"`},
				{},
				{Data: bytes.Repeat([]byte{'a'}, 70000), Pause: 3 * time.Millisecond, Split: true},
			}},
			{Steps: []Step{
				{Data: append([]byte{10}, make([]byte, 8)...), Fill: &Fill{Var: "connect-id", Conn: 0, Offset: 1}},
				{Data: []byte("x"), Fill: &Fill{Var: "login", Conn: 0, Offset: -1}},
				{Data: append(append([]byte("ab"), bytes.Repeat([]byte{0xff}, 40)...), "cd\n"...)},
			}},
		}},
	}
}

func TestFindingFileRoundTrip(t *testing.T) {
	f := sampleFinding()
	text := FormatFinding(f)
	assert.True(t, strings.HasPrefix(string(text), FileHeader+"\n"))
	assert.Contains(t, string(text), "rep 61 x 70000", "long runs are compact")
	assert.Contains(t, string(text), "# .....bob", "an ASCII gutter makes hex readable")
	back, err := ParseFinding(text)
	require.NoError(t, err)
	assert.Equal(t, f.Kind, back.Kind)
	assert.Equal(t, f.Title, back.Title)
	assert.Equal(t, f.Target, back.Target)
	assert.Equal(t, f.Seed, back.Seed)
	assert.Equal(t, f.CaseIndex, back.CaseIndex)
	assert.Equal(t, f.Oracle, back.Oracle)
	assert.Equal(t, f.Detail, back.Detail)
	assert.Equal(t, f.ServerLog, back.ServerLog)
	assert.True(t, f.Case.Equal(back.Case), "case survives the round trip")
}

func TestFindingFileOnDisk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.finding")
	require.NoError(t, WriteFindingFile(path, sampleFinding()))
	back, err := ReadFindingFile(path)
	require.NoError(t, err)
	assert.True(t, sampleFinding().Case.Equal(back.Case))
}

func TestParseFindingRejectsBadFiles(t *testing.T) {
	good := string(FormatFinding(sampleFinding()))
	for name, text := range map[string]string{
		"wrong version": strings.Replace(good, "v2", "v9", 1),
		"cut short":     good[:len(good)/2],
		"unknown kind":  strings.Replace(good, "kind: exit", "kind: meltdown", 1),
		"bad hex":       strings.Replace(good, "hex 00", "hex zz", 1),
		"huge rep":      strings.Replace(good, "rep 61 x 70000", "rep 61 x 999999999999", 1),
		"conn order":    strings.Replace(good, "conn 1", "conn 5", 1),
		"unknown key":   strings.Replace(good, "seed:", "sed:", 1),
	} {
		_, err := ParseFinding([]byte(text))
		assert.ErrorIs(t, err, ErrBadFindingFile, name)
	}
}

func TestFindingFileNameIsStablePerSignature(t *testing.T) {
	a, b := sampleFinding(), sampleFinding()
	b.Title += "!" // the title is for people; the signature is the bug
	assert.Equal(t, FindingFileName(a), FindingFileName(b))
	b.Signature.Key += "!"
	assert.NotEqual(t, FindingFileName(a), FindingFileName(b))
	assert.True(t, strings.HasPrefix(FindingFileName(a), "chatos-exit-"))
}
