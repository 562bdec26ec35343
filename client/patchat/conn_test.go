package patchat

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/chatspec/chatspec/transcript"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// feed gives a logConn the chunks as successive reads.
func feed(chunks ...string) *logConn {
	c := newLogConn(nil, "t", transcript.New(), time.Second)
	for _, ch := range chunks {
		c.keep([]byte(ch))
	}
	return c
}

func TestTextCheckAcceptsText(t *testing.T) {
	// "é" and "😀" split across reads are still valid UTF-8.
	c := feed("caf\xc3", "\xa9 tab\there\r\n\xf0\x9f", "\x98\x80 end")
	assert.Empty(t, c.problemList())
}

func TestTextCheckFindsProblems(t *testing.T) {
	for name, tc := range map[string]struct {
		chunks []string
		want   string
	}{
		"NUL":             {[]string{"ab\x00"}, "byte 2: control byte 0x00"},
		"escape":          {[]string{"x", "\x1b[31m"}, "byte 1: control byte 0x1b"},
		"DEL":             {[]string{"\x7f"}, "byte 0: control byte 0x7f"},
		"invalid":         {[]string{"ok\xff"}, "byte 2: invalid UTF-8 byte 0xff"},
		"cut sequence":    {[]string{"\xc3", " x"}, "byte 0: invalid UTF-8 byte 0xc3"},
		"lone follow-up":  {[]string{"a", "\x80"}, "byte 1: invalid UTF-8 byte 0x80"},
		"counts the rest": {[]string{strings.Repeat("\x01", 7)}, "and 2 more"},
	} {
		t.Run(name, func(t *testing.T) {
			p := feed(tc.chunks...).problemList()
			require.NotEmpty(t, p)
			assert.Contains(t, strings.Join(p, "; "), tc.want)
		})
	}
}

func TestLogConnRecordsBothDirections(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	log := transcript.New()
	c := newLogConn(a, "alice", log, 10*time.Second)
	go func() {
		buf := make([]byte, 16)
		n, _ := b.Read(buf)
		_, _ = b.Write(append([]byte("re:"), buf[:n]...))
	}()
	_, err := c.Write([]byte("hi"))
	require.NoError(t, err)
	buf := make([]byte, 16)
	n, err := c.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "re:hi", string(buf[:n]))
	seen, around := c.saw("re:hi")
	assert.True(t, seen)
	assert.Contains(t, around, "re:hi")
	entries := log.Entries()
	require.Len(t, entries, 2)
	assert.Equal(t, transcript.Sent, entries[0].Dir)
	assert.Equal(t, transcript.Received, entries[1].Dir)
}
