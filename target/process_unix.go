//go:build unix

package target

import (
	"fmt"
	"os/exec"
	"strings"
	"syscall"
)

// shellCommand runs command through /bin/sh -c in a new process group.
func shellCommand(command string) *exec.Cmd {
	cmd := exec.Command("/bin/sh", "-c", command)
	cmd.SysProcAttr = groupAttr()
	return cmd
}

// CommandLine joins argv into an Exec command for /bin/sh: each argument in
// single quotes, after exec so that the program itself leads the group.
// Placeholders such as {addr} inside an argument are still filled in.
func CommandLine(argv ...string) string {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return "exec " + strings.Join(quoted, " ")
}

// procGroup is the process group led by the --exec shell (pgid = leader pid).
type procGroup struct{ pgid int }

// joinGroup names the process group the leader created at start.
func joinGroup(cmd *exec.Cmd) procGroup { return procGroup{pgid: cmd.Process.Pid} }

// alive reports whether the group has a live (non-zombie) member. Zombies
// count as gone: an orphan whose new parent never reaps it is dead.
func (g procGroup) alive() bool {
	pids, ok := groupMembers(g.pgid)
	if ok {
		return len(pids) > 0
	}
	return syscall.Kill(-g.pgid, 0) == nil
}

// terminate sends SIGTERM to every member of the group.
func (g procGroup) terminate() { _ = syscall.Kill(-g.pgid, syscall.SIGTERM) }

// kill sends SIGKILL to every member of the group.
func (g procGroup) kill() { _ = syscall.Kill(-g.pgid, syscall.SIGKILL) }

// release does nothing: a process group needs no handle.
func (g procGroup) release() {}

// rss sums VmRSS over the live members of the group, where the platform can tell.
func (g procGroup) rss() (int64, bool) { return groupRSS(g.pgid) }

// signalNames gives the conventional names of the signals a crashing server
// is likely to die from.
var signalNames = map[syscall.Signal]string{
	syscall.SIGHUP: "SIGHUP", syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT",
	syscall.SIGILL: "SIGILL", syscall.SIGTRAP: "SIGTRAP", syscall.SIGABRT: "SIGABRT",
	syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE", syscall.SIGKILL: "SIGKILL",
	syscall.SIGUSR1: "SIGUSR1", syscall.SIGSEGV: "SIGSEGV", syscall.SIGUSR2: "SIGUSR2",
	syscall.SIGPIPE: "SIGPIPE", syscall.SIGALRM: "SIGALRM", syscall.SIGTERM: "SIGTERM",
	syscall.SIGXCPU: "SIGXCPU", syscall.SIGXFSZ: "SIGXFSZ", syscall.SIGSYS: "SIGSYS",
}

// signalName returns "SIGSEGV (segmentation fault)", or "signal 40" for unknown ones.
func signalName(s syscall.Signal) string {
	if name, ok := signalNames[s]; ok {
		return fmt.Sprintf("%s (%v)", name, s)
	}
	return s.String()
}

// describeExit turns a wait status into "exit status 2", "signal SIGSEGV
// (segmentation fault)" or similar. A shell reports a child killed by signal N
// as exit status 128+N, so such codes name the likely signal.
func describeExit(sys any) string {
	ws, ok := sys.(syscall.WaitStatus)
	if !ok {
		return fmt.Sprintf("ended (%v)", sys)
	}
	switch {
	case ws.Signaled():
		s := "signal " + signalName(ws.Signal())
		if ws.CoreDump() {
			s += ", core dumped"
		}
		return s
	case ws.Exited():
		code := ws.ExitStatus()
		if sig := syscall.Signal(code - 128); code > 128 && signalNames[sig] != "" {
			return fmt.Sprintf("exit status %d (shell's child likely died of signal %s)", code, signalName(sig))
		}
		return fmt.Sprintf("exit status %d", code)
	default:
		return fmt.Sprintf("ended (wait status %#x)", uint32(ws))
	}
}
