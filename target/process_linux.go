package target

import "syscall"

// groupAttr puts the shell in a process group of its own and has the kernel
// kill it if chatspec dies first, so no server outlives a crashed run.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
