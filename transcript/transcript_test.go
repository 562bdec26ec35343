package transcript

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLogRendersHexAndText(t *testing.T) {
	l := New()
	l.Add("alice", Sent, []byte{0, 0, 0, 0, 3, 'b', 'o', 'b'}, `LOGIN(0) nick="bob"`)
	l.Notef("alice", "closed by server")
	out := l.String()
	assert.Contains(t, out, `alice          -> LOGIN(0) nick="bob"`)
	assert.Contains(t, out, "00000000 03626f62")
	assert.Contains(t, out, "-- closed by server")
}

func TestLogIsBounded(t *testing.T) {
	l := New()
	big := make([]byte, 10*MaxEntryBytes)
	for i := 0; i < MaxEntries+5; i++ {
		l.Add("x", Received, big, "junk")
	}
	assert.Len(t, l.Entries(), MaxEntries)
	assert.Len(t, l.Entries()[0].Bytes, MaxEntryBytes)
	assert.Equal(t, 9*MaxEntryBytes, l.Entries()[0].Omitted)
	assert.True(t, strings.HasSuffix(l.String(), "... 5 later entries not kept\n"))
}

func TestNilLogIsSafe(t *testing.T) {
	var l *Log
	l.Add("x", Sent, []byte("a"), "a")
	assert.Equal(t, "", l.String())
}
