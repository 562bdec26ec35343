package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
)

// hostileLog is server output that tries to end a Markdown fence, colour a
// terminal and open HTML.
const hostileLog = "Traceback (most recent call last):\n  File \"srv.py\", line 9, in handle\n" +
	"    data.decode()\nUnicodeDecodeError: 'utf-8' codec can't decode byte 0xff\n" +
	"```\n# injected heading\n\x1b[31mred\x1b[0m | <script>x</script>\n````"

func fuzzFixture() *results.FuzzRun {
	return &results.FuzzRun{Protocol: "patchat", Target: "exec ./srv.py --port {port}", Seed: 7, Workers: 4,
		Instances: 2, Cases: 1200, Connections: 3000, Probes: 300, Restarts: 3, Duplicates: 5,
		Elapsed: 2 * time.Second, Stopped: "",
		Findings: []results.FuzzFinding{
			{Kind: "exit", Title: "exit: exit status 1 [python UnicodeDecodeError at srv.py:9 in handle]", Oracle: "exit",
				Signature: "python UnicodeDecodeError at srv.py:9 in handle",
				Trace:     []string{"Traceback (most recent call last):", "  File \"srv.py\", line 9, in handle", "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff"},
				Seed:      7, CaseIndex: 41, TimesSeen: 6, Connections: 1, Bytes: 12, File: "findings/patchat-exit-0a1b2c3d.finding",
				Detail: "server ended by itself: exit status 1", ServerLog: hostileLog},
			{Kind: "protocol", Title: "protocol: control-byte [decode control-byte after join invalid-utf8]", Oracle: "decode",
				Signature: "decode control-byte after join invalid-utf8", Seed: 7, CaseIndex: 99, TimesSeen: 1,
				Connections: 2, Bytes: 40, Detail: "connection 1: control byte 0x1b at byte 3 of the server's text, in \"\\x1b[2J\""},
		}}
}

func TestFuzzReportsGolden(t *testing.T) {
	run := fuzzFixture()
	golden(t, "fuzz.json.golden", render(t, func(b *bytes.Buffer) error { return FuzzJSON(b, run) }))
	golden(t, "fuzz.md.golden", render(t, func(b *bytes.Buffer) error { return FuzzMarkdown(b, run) }))
	golden(t, "fuzz_console.golden", render(t, func(b *bytes.Buffer) error { return FuzzConsole(b, run) }))
	golden(t, "fuzz_none.md.golden", render(t, func(b *bytes.Buffer) error {
		return FuzzMarkdown(b, &results.FuzzRun{Protocol: "chatos", Target: "reference", Seed: 1, Workers: 1, Elapsed: time.Second})
	}))
}

// The server's output stays inside its fence: no line of it starts a
// heading, and no escape byte reaches the reader.
func TestFuzzMarkdownKeepsServerOutputFenced(t *testing.T) {
	md := string(render(t, func(b *bytes.Buffer) error { return FuzzMarkdown(b, fuzzFixture()) }))
	assert.NotContains(t, md, "\x1b")
	assert.Contains(t, md, `\x1b[31mred`)
	inFence, fenceMark := false, ""
	for _, line := range strings.Split(md, "\n") {
		switch {
		case !inFence && strings.HasPrefix(line, "```"):
			inFence, fenceMark = true, strings.TrimRight(line, "text")
		case inFence && line == fenceMark:
			inFence = false
		case !inFence:
			assert.NotEqual(t, "# injected heading", line, "server output escaped its fence")
		}
	}
	assert.False(t, inFence, "a fence was left open")
}

func TestFuzzJSONCarriesRatesAndBoundsOutput(t *testing.T) {
	run := fuzzFixture()
	run.Findings[0].ServerLog = strings.Repeat("x", 3*maxFuzzText)
	var out map[string]any
	require.NoError(t, json.Unmarshal(render(t, func(b *bytes.Buffer) error { return FuzzJSON(b, run) }), &out))
	assert.EqualValues(t, 3000, out["connections"])
	assert.EqualValues(t, 1500, out["connections_per_second"])
	assert.EqualValues(t, 600, out["cases_per_second"])
	f := out["findings"].([]any)[0].(map[string]any)
	assert.Less(t, len(f["server_log"].(string)), maxFuzzText+100)
	assert.Equal(t, "python UnicodeDecodeError at srv.py:9 in handle", f["signature"])
}
