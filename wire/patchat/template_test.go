package patchat

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPatternEscapesEveryValue(t *testing.T) {
	vars := Vars{VarRoom: "a.b (x)+", VarUser: `\d*`}
	cases := map[string]string{
		`OK joined {room|re}\n`: `OK joined a\.b \(x\)\+\n`,
		`OK joined {room}\n`:    `OK joined a\.b \(x\)\+\n`,
		`{user}`:                `\\d\*`,
		`\{user}`:               `\{user}`,
		`x{2}y{2,3}`:            `x{2}y{2,3}`,
		`{{user}`:               `{\\d\*`,
	}
	for src, want := range cases {
		got, err := parseTemplate(src, true).pattern(values{vars: vars})
		require.NoError(t, err, src)
		assert.Equal(t, want, got, src)
		_, err = regexp.Compile(got)
		assert.NoError(t, err, src)
	}
	re := regexp.MustCompile(mustPattern(t, `(?P<num>\d+)\) {room|re}  `, vars))
	assert.Equal(t, []string{"2) a.b (x)+  ", "2"}, re.FindStringSubmatch("1) aXb (x)+  2) a.b (x)+  pick: "))
}

func mustPattern(t *testing.T, src string, vars Vars) string {
	t.Helper()
	p, err := parseTemplate(src, true).pattern(values{vars: vars})
	require.NoError(t, err)
	return p
}

func TestSendLineIsVerbatim(t *testing.T) {
	tpl := parseTemplate(`b {rooms}: {text} {{text}`, false)
	got, err := tpl.line(values{vars: Vars{VarRooms: "a.b,(x)+", VarText: `hi \d {x}`}}, "\n")
	require.NoError(t, err)
	assert.Equal(t, `b a.b,(x)+: hi \d {x} {text}`, got)

	_, err = tpl.line(values{vars: Vars{VarRooms: "a", VarText: "two\nlines"}}, "\n")
	require.ErrorIs(t, err, ErrValueHasNewline)
	_, err = tpl.line(values{vars: Vars{VarRooms: "a", VarText: "x;y"}}, ";")
	require.ErrorIs(t, err, ErrValueHasNewline, "a value holding the dialect's line ending is refused too")
	_, err = tpl.line(values{vars: Vars{VarRooms: "a"}}, "\n")
	require.ErrorIs(t, err, ErrMissingVar)
}

func TestCutMessages(t *testing.T) {
	line := recogniser(`(?m)^\[(?P<room>[^\]\n]+)\] (?P<from>[^:\n]+): (?P<text>[^\n]*)\n`)
	star := recogniser(`\* (?P<from>\w+) (?P<text>[^\n]*)\n`)
	buf := []byte("OK sent\n[a] bob: one\n* cat two\nUSERS a: x\n[b] dan: th")
	rest, msgs := cutMessages(buf, 0, []Recogniser{line, star})
	assert.Equal(t, "OK sent\nUSERS a: x\n[b] dan: th", string(rest), "the partial message stays")
	assert.Equal(t, []RoomMessage{
		{From: "bob", Text: "one", Room: "a", Raw: "[a] bob: one\n"},
		{From: "cat", Text: "two", Raw: "* cat two\n"},
	}, msgs)
	rest, msgs = cutMessages(append(rest, "ree\n"...), len(rest), []Recogniser{line, star})
	assert.Equal(t, "OK sent\nUSERS a: x\n", string(rest))
	assert.Equal(t, []RoomMessage{{From: "dan", Text: "three", Room: "b", Raw: "[b] dan: three\n"}}, msgs)
}

func TestCutMessagesIgnoresEmptyMatches(t *testing.T) {
	r := recogniser(`(?P<from>x*)(?P<text>y*)`)
	rest, msgs := cutMessages([]byte("aaxyb"), 0, []Recogniser{r})
	assert.Equal(t, "aab", string(rest))
	assert.Equal(t, []RoomMessage{{From: "x", Text: "y", Raw: "xy"}}, msgs)
}

// recogniser compiles a recogniser as the loader does.
func recogniser(src string) Recogniser {
	return Recogniser{Pattern: src, re: regexp.MustCompile(src), shape: shapeOf(src)}
}

func TestShapeOf(t *testing.T) {
	cases := map[string]shape{
		`(?m)^\[(?P<room>[^\]\n]+)\] (?P<from>[^:\n]+): (?P<text>[^\n]*)\n`: {bounded: true, maxNL: 0, endsNL: true},
		`\((?P<room>[^:\n]*?)\) <(?P<from>[\w-]+)> (?P<text>[^\n]*)\n`:      {bounded: true, maxNL: 0, endsNL: true},
		`MSG (?P<from>\w+)\n(?P<text>[^\n]*)\n(?:END\n|STOP\n)`:             {bounded: true, maxNL: 2, endsNL: true},
		`(?P<from>\w+): (?P<text>[^\n]*)\r?\n?`:                             {bounded: true, maxNL: 1},
		`(?s)(?P<from>\w+): (?P<text>.*?)\n`:                                {endsNL: true},
		`^(?P<from>\w+): (?P<text>.*)\n`:                                    {endsNL: true, anchored: true},
		`(?P<from>\w+)(?P<text>(?:x\n){2,3})`:                               {bounded: true, maxNL: 2, endsNL: true},
	}
	for src, want := range cases {
		assert.Equal(t, want, shapeOf(src), src)
	}
}

func TestScanFrom(t *testing.T) {
	line := shape{bounded: true, maxNL: 0, endsNL: true}
	buf := []byte("a\nbb\ncc dd\n")
	assert.Equal(t, 10, line.scanFrom(buf[:9], 7), "no newline arrived: nothing new can match")
	assert.Equal(t, 5, line.scanFrom(buf, 9), "from the start of the line the new text completes")
	two := shape{bounded: true, maxNL: 1, endsNL: true}
	assert.Equal(t, 2, two.scanFrom(buf, 9))
	assert.Equal(t, 0, shape{}.scanFrom(buf, 9))
	assert.Equal(t, 0, shape{bounded: true, maxNL: 5}.scanFrom(buf, 9))
}
