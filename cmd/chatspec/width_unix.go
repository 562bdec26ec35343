//go:build unix

package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// ttyWidth is the terminal's width in columns, or 0 when f is no terminal.
func ttyWidth(f *os.File) int {
	ws, err := unix.IoctlGetWinsize(int(f.Fd()), unix.TIOCGWINSZ)
	if err != nil {
		return 0
	}
	return int(ws.Col)
}
