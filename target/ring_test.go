package target

import (
	"strings"
	"syscall"
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

func TestDescribeExit(t *testing.T) {
	cases := map[syscall.WaitStatus]string{
		2 << 8:          "exit status 2",
		0:               "exit status 0",
		11:              "signal SIGSEGV (segmentation fault)",
		11 | 0x80:       "signal SIGSEGV (segmentation fault), core dumped",
		9:               "signal SIGKILL (killed)",
		139 << 8:        "exit status 139 (shell's child likely died of signal SIGSEGV (segmentation fault))",
		(128 + 99) << 8: "exit status 227",
	}
	for ws, want := range cases {
		assert.Equal(t, want, describeExit(ws))
	}
}
