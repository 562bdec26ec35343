package oracle

import (
	"testing"

	"github.com/chatspec/chatspec/transcript"
	"github.com/stretchr/testify/assert"
)

// A server may relay raw junk made valid (invalid UTF-8 as U+FFFD, a NUL
// dropped): that is the raw write's text, not an invention; a text in no
// write, raw or typed, still is one.
func TestRawBytesRelayedMadeValidAreNotInvented(t *testing.T) {
	l := transcript.New()
	l.Raw("c0", []byte("register u pw\nlogin u pw\nm hello \xff\x00\n"))
	l.Got("probe", transcript.TopicRoom, "u", "Main Room", "hello \uFFFD")
	l.Got("probe", transcript.TopicRoom, "u", "Main Room", "hello")
	l.Got("probe", transcript.TopicRoom, "u", "Main Room", "nobody wrote this")
	h := Build([]Source{SourceOf(l, "s1")})
	rep := Check(&h, Options{Protocol: "patchat"})
	var invented []string
	for _, v := range rep.Violations {
		if v.Kind == KindInvented {
			invented = append(invented, v.Text)
		}
	}
	assert.Equal(t, []string{"nobody wrote this"}, invented)
}
