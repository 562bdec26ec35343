package target

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
	"time"
)

// killWait bounds how long Close waits for a SIGKILLed leader to be reaped
// (a process stuck in uninterruptible sleep cannot die sooner).
const killWait = 5 * time.Second

// proc is one run of an --exec command: a /bin/sh leader in its own process group.
type proc struct {
	cmd      *exec.Cmd
	pid      int           // leader pid, also the process group id
	done     chan struct{} // closed once the leader is reaped
	state    *os.ProcessState
	waitErr  error       // from cmd.Wait when there is no state
	selfExit bool        // the leader ended before chatspec asked it to stop
	stopping atomic.Bool // set before chatspec signals the group
}

// startProc runs command through /bin/sh -c in a new process group, copying its
// stdout and stderr into out, and reaps it in the background.
func startProc(command string, env []string, out io.Writer, waitDelay time.Duration) (*proc, error) {
	cmd := exec.Command("/bin/sh", "-c", command)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.WaitDelay = waitDelay // a grandchild holding the pipes open must not block reaping
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, pid: cmd.Process.Pid, done: make(chan struct{})}
	go p.reap()
	return p, nil
}

// reap waits for the leader and records how it ended.
func (p *proc) reap() {
	err := p.cmd.Wait()
	p.state = p.cmd.ProcessState
	if p.state == nil {
		p.waitErr = err
	}
	p.selfExit = !p.stopping.Load()
	close(p.done)
}

// finished reports whether the leader has been reaped.
func (p *proc) finished() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// status describes how the leader ended; call it only once finished.
func (p *proc) status() string {
	if p.state == nil {
		return fmt.Sprintf("wait failed: %v", p.waitErr)
	}
	return describeExit(p.state.Sys())
}

// stop ends the whole process group: SIGTERM, then SIGKILL for whatever is
// still alive after grace, and waits for the leader to be reaped. It also
// cleans up group members left behind by a leader that already exited.
func (p *proc) stop(grace time.Duration) error {
	p.stopping.Store(true)
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if groupAlive(p.pid) {
		_ = syscall.Kill(-p.pid, syscall.SIGTERM)
	}
	select {
	case <-p.done:
	case <-ctx.Done():
	}
	waitGroupGone(ctx, p.pid)
	if groupAlive(p.pid) {
		_ = syscall.Kill(-p.pid, syscall.SIGKILL)
	}
	t := time.NewTimer(killWait)
	defer t.Stop()
	select {
	case <-p.done:
		return nil
	case <-t.C:
		return fmt.Errorf("%w: pid %d not reaped after SIGKILL", ErrStopTimeout, p.pid)
	}
}

// groupAlive reports whether process group pgid has a live (non-zombie) member.
// Zombies count as gone: an orphan whose new parent never reaps it is dead.
func groupAlive(pgid int) bool {
	pids, ok := groupMembers(pgid)
	if ok {
		return len(pids) > 0
	}
	return syscall.Kill(-pgid, 0) == nil
}

// waitGroupGone polls until process group pgid has no live member or ctx ends.
func waitGroupGone(ctx context.Context, pgid int) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for groupAlive(pgid) {
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
}

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
