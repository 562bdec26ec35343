package patchat

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnchorsAndAliasesAreExpanded(t *testing.T) {
	src := dialectYAML("2s", lineMessages, map[string]string{
		"join":  `[{send: 'j {room}'}, {expect: &ok 'OK [^\n]*\n', refuse: &err 'ERR [^\n]*\n'}]`,
		"leave": `[{send: 'r {room}'}, {expect: *ok, refuse: *err}]`,
		"say":   `[{send: 'm {text}'}, {<<: *reply, expect: 'OK sent\n'}]`,
	})
	src = strings.Replace(src, "actions:\n", "anchors:\n  reply: &reply {expect: 'never', refuse: 'NO\\n'}\nactions:\n", 1)
	d, err := Parse([]byte(src), "a.yaml")
	require.NoError(t, err)
	assert.Equal(t, `OK [^\n]*\n`, d.Actions[ActionLeave].Steps[1].Expect)
	assert.Equal(t, `ERR [^\n]*\n`, d.Actions[ActionLeave].Steps[1].Refuse)
	say := d.Actions[ActionSay].Steps[1]
	assert.Equal(t, `OK sent\n`, say.Expect, "a key beside the merge wins")
	assert.Equal(t, `NO\n`, say.Refuse, "the merged key fills what is not written")
}

func TestAliasPlaceIsWhereItIsUsed(t *testing.T) {
	src := "anchors:\n  bad: &bad '(unclosed'\nmessages: [{pattern: " + lineMessages + "}]\nactions:\n  greeting: [{expect: *bad}]\n"
	got := strings.Join(problems(src), "\n")
	assert.Contains(t, got, "d.yaml:5:23: actions.greeting[0].expect: bad regular expression")
}

func TestAliasBombIsRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("anchors:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("  a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	got := strings.Join(problems(b.String()), "\n")
	assert.Contains(t, got, "YAML aliases expand to more than 100000 nodes")
}
