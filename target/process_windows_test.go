package target

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDescribeExitWindows(t *testing.T) {
	cases := map[uint32]string{
		0:          "exit status 0",
		2:          "exit status 2",
		0xC0000005: "exit status 0xC0000005 (access violation)",
		0xC00000FD: "exit status 0xC00000FD (stack overflow)",
	}
	for code, want := range cases {
		assert.Equal(t, want, describeExit(syscall.WaitStatus{ExitCode: code}))
	}
}
