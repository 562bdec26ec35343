//go:build linux || darwin

package main

import (
	"os"
	"syscall"
	"unsafe"
)

// winsize is the kernel's struct winsize (TIOCGWINSZ).
type winsize struct{ row, col, xpixel, ypixel uint16 }

// ttyWidth is the terminal's width in columns, or 0 when f is no terminal.
// The standard library's syscall asks it, so the CLI needs no x/sys.
func ttyWidth(f *os.File) int {
	var ws winsize
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), uintptr(syscall.TIOCGWINSZ), uintptr(unsafe.Pointer(&ws)))
	if errno != 0 {
		return 0
	}
	return int(ws.col)
}
