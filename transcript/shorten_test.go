package transcript

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestShortenStatesTheFullLength(t *testing.T) {
	nick := strings.Repeat("n", 65536)
	got := Shorten(`LOGIN_REFUSED(2) nick="` + nick + `"`)
	assert.Equal(t, `LOGIN_REFUSED(2) nick="`+strings.Repeat("n", 64)+`"… (65536 bytes)`, got)
	assert.Equal(t, `PUBLIC_MESSAGE(4) from="a" text="hi"`, Shorten(`PUBLIC_MESSAGE(4) from="a" text="hi"`))
	long := strings.Repeat("é", 2000)
	assert.LessOrEqual(t, len(Shorten(long)), MaxText+32)
	assert.True(t, strings.HasSuffix(Shorten(long), "… (4000 bytes)"))

	l := New()
	l.Add("bob", Received, []byte(nick), `LOGIN_REFUSED(2) nick="`+nick+`"`)
	assert.Less(t, len(l.String()), 4096, "a transcript entry is bounded in text as in bytes")
}
