//go:build unix

package target

import (
	"os/exec"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

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

// TestCommandLineSurvivesTheShell: arguments with spaces, quotes and shell
// characters reach the program as they were.
func TestCommandLineSurvivesTheShell(t *testing.T) {
	argv := []string{"printf", "%s|", "it's", "a b", "$HOME", "{x}", ";&"}
	out, err := exec.Command("/bin/sh", "-c", CommandLine(argv...)).Output()
	assert.NoError(t, err)
	assert.Equal(t, "it's|a b|$HOME|{x}|;&|", string(out))
}
