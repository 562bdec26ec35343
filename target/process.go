package target

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync/atomic"
	"time"
)

// killWait bounds how long Close waits for a killed leader to be reaped
// (a process stuck in uninterruptible sleep cannot die sooner).
const killWait = 5 * time.Second

// proc is one run of an --exec command: a shell leader and everything it
// starts, kept together as one group (a process group on Unix, a job object
// on Windows) so that stop reaches the whole tree.
type proc struct {
	cmd      *exec.Cmd
	pid      int           // leader pid, also the process group id on Unix
	group    procGroup     // the platform's handle on the leader and its descendants
	done     chan struct{} // closed once the leader is reaped
	state    *os.ProcessState
	waitErr  error       // from cmd.Wait when there is no state
	selfExit bool        // the leader ended before chatspec asked it to stop
	exitAt   time.Time   // when the leader was reaped
	stopping atomic.Bool // set before chatspec signals the group
}

// startProc runs command through the platform's shell in a group of its own,
// copying its stdout and stderr into out, and reaps it in the background.
func startProc(command string, env []string, out io.Writer, waitDelay time.Duration) (*proc, error) {
	cmd := shellCommand(command)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = waitDelay // a grandchild holding the pipes open must not block reaping
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &proc{cmd: cmd, pid: cmd.Process.Pid, done: make(chan struct{})}
	p.group = joinGroup(cmd)
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
	p.exitAt = time.Now()
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

// stop ends the whole group: a polite request (SIGTERM on Unix, CTRL_BREAK on
// Windows), then a kill for whatever is still alive after grace, and waits for
// the leader to be reaped. It also cleans up group members left behind by a
// leader that already exited.
func (p *proc) stop(grace time.Duration) error {
	p.stopping.Store(true)
	defer p.group.release()
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if p.group.alive() {
		p.group.terminate()
	}
	select {
	case <-p.done:
	case <-ctx.Done():
	}
	p.waitGroupGone(ctx)
	if p.group.alive() {
		p.group.kill()
	}
	t := time.NewTimer(killWait)
	defer t.Stop()
	select {
	case <-p.done:
		return nil
	case <-t.C:
		return fmt.Errorf("%w: pid %d not reaped after kill", ErrStopTimeout, p.pid)
	}
}

// waitGroupGone polls until the group has no live member or ctx ends.
func (p *proc) waitGroupGone(ctx context.Context) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for p.group.alive() {
		select {
		case <-tick.C:
		case <-ctx.Done():
			return
		}
	}
}
