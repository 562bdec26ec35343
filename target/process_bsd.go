//go:build unix && !linux

package target

import "syscall"

// groupAttr puts the shell in a process group of its own. These systems have
// no parent-death signal, so a server outlives a chatspec killed with SIGKILL;
// every ordinary exit of chatspec still stops it through Close.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
