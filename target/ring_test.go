package target

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRingKeepsTail(t *testing.T) {
	r := newRing(8)
	_, _ = r.Write([]byte("abc"))
	assert.Equal(t, "abc", r.String())
	_, _ = r.Write([]byte("defgh"))
	assert.Equal(t, "abcdefgh", r.String(), "exactly full drops nothing")
	_, _ = r.Write([]byte("ij"))
	assert.Equal(t, "[... earlier output dropped ...]\ncdefghij", r.String())
	n, err := r.Write([]byte("0123456789xyz"))
	assert.NoError(t, err)
	assert.Equal(t, 13, n, "Write reports the whole input as written")
	assert.Equal(t, "[... earlier output dropped ...]\n56789xyz", r.String())
}

func TestTailCutsAtLine(t *testing.T) {
	assert.Equal(t, "short", tail("short", 10))
	s := strings.Repeat("x", 20) + "\nlast line\n"
	assert.Equal(t, "...last line\n", tail(s, 14))
}

func TestRingSinceMark(t *testing.T) {
	r := newRing(8)
	_, _ = r.Write([]byte("abc"))
	m := r.Mark()
	assert.Equal(t, "", r.Since(m), "nothing written since")
	_, _ = r.Write([]byte("de"))
	assert.Equal(t, "de", r.Since(m))
	_, _ = r.Write([]byte("fghij"))
	assert.Equal(t, "defghij", r.Since(m), "still held after the ring wrapped")
	_, _ = r.Write([]byte("klm"))
	assert.Equal(t, "[... earlier output dropped ...]\nfghijklm", r.Since(m), "the start is gone: say so")
	assert.Equal(t, "", r.Since(r.Mark()))
}
