package target

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults for ExecOptions fields left zero.
const (
	DefaultStartTimeout = 10 * time.Second
	DefaultStopGrace    = 3 * time.Second
	DefaultLogLimit     = 64 << 10
)

// Tuning of the wait for the port; not options because no user has needed them.
const (
	dialAttempt     = 500 * time.Millisecond // one connection attempt while waiting
	exitGrace       = 200 * time.Millisecond // how long Alive waits to see a dying process reaped
	errTailBytes    = 4 << 10                // server output quoted in an error
	restartAttempts = 5                      // starts tried by Restart when the server exits at once
	// readyStep is the interval of the readiness polls that cost the server
	// nothing: a dial the kernel refuses (nothing listens yet), a look for
	// the ready file, a bind to see the old port free. A poll the server
	// itself answers, and fails, backs off from here to readyBackoff.
	readyStep    = 10 * time.Millisecond
	readyBackoff = 200 * time.Millisecond
)

// ExecOptions tunes Exec. Zero fields take the defaults above.
type ExecOptions struct {
	StartTimeout time.Duration // how long to wait for the port to accept connections
	StopGrace    time.Duration // how long after SIGTERM before SIGKILL
	Env          []string      // extra KEY=VALUE entries added to chatspec's environment
	LogLimit     int           // bytes of stdout+stderr kept (the tail)
	// Probe speaks the server's protocol for readiness and Alive; nil means
	// a bare connect-and-close.
	Probe Probe
	// Ready, if set, must match a line of the server's output before it is
	// ready (then the probe must pass too).
	Ready *regexp.Regexp
	// ReadyFile, if set, must exist before the server is ready; {dir} is
	// substituted.
	ReadyFile string
	// InDir starts the command with {dir} as its working directory.
	InDir bool
}

// withDefaults fills zero fields.
func (o ExecOptions) withDefaults() ExecOptions {
	if o.StartTimeout <= 0 {
		o.StartTimeout = DefaultStartTimeout
	}
	if o.StopGrace <= 0 {
		o.StopGrace = DefaultStopGrace
	}
	if o.LogLimit <= 0 {
		o.LogLimit = DefaultLogLimit
	}
	return o
}

// execTarget is a server chatspec starts from a shell command.
type execTarget struct {
	command string // with placeholders substituted
	addr    string
	dir     string
	opts    ExecOptions
	log     *ring

	ops    sync.Mutex // serialises Restart and Close
	mu     sync.Mutex // guards cur and closed
	cur    *proc
	closed bool
}

// Exec starts command through /bin/sh -c in its own process group and waits
// until it accepts TCP connections. In command, {port} becomes a free loopback
// port, {addr} becomes 127.0.0.1:PORT and {dir} a fresh temporary directory
// (substituted verbatim, removed at Close). ctx bounds the start only; the
// server runs until Close. A command without {port} or {addr} is refused with
// ErrNoPortPlaceholder.
func Exec(ctx context.Context, command string, opts ExecOptions) (Target, error) {
	if !strings.Contains(command, "{port}") && !strings.Contains(command, "{addr}") {
		return nil, fmt.Errorf("%w: %q", ErrNoPortPlaceholder, command)
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "chatspec-target-")
	if err != nil {
		return nil, fmt.Errorf("target: temporary directory: %w", err)
	}
	opts = opts.withDefaults()
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	fill := strings.NewReplacer("{port}", strconv.Itoa(port), "{addr}", addr, "{dir}", dir)
	opts.ReadyFile = fill.Replace(opts.ReadyFile)
	command = fill.Replace(command)
	if opts.InDir {
		command = inDir(dir, command)
	}
	t := &execTarget{
		command: command,
		addr:    addr,
		dir:     dir,
		opts:    opts,
		log:     newRing(opts.LogLimit),
	}
	if err := t.launch(ctx); err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	return t, nil
}

func (t *execTarget) Addr() string     { return t.addr }
func (t *execTarget) Mode() string     { return ModeExec }
func (t *execTarget) Dir() string      { return t.dir }
func (t *execTarget) CanRestart() bool { return true }
func (t *execTarget) Log() string      { return t.log.String() }

// LogMark is the ring's offset; it keeps growing across restarts.
func (t *execTarget) LogMark() int64 { return t.log.Mark() }

// LogSince is the output of every run of the command since mark.
func (t *execTarget) LogSince(mark int64) string { return t.log.Since(mark) }

// current returns the running (or last) process, nil once closed.
func (t *execTarget) current() *proc {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cur
}

// launch starts the command and waits for its port; on failure the process
// group is stopped and the error carries the output tail.
func (t *execTarget) launch(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, t.opts.StartTimeout)
	defer cancel()
	var out io.Writer = t.log
	var lines *lineWatch
	if t.opts.Ready != nil {
		lines = newLineWatch(t.opts.Ready)
		out = io.MultiWriter(t.log, lines)
	}
	p, err := startProc(t.command, t.opts.Env, out, t.opts.StopGrace)
	if err != nil {
		return fmt.Errorf("target: start %q: %w", t.command, err)
	}
	t.mu.Lock()
	t.cur = p
	t.mu.Unlock()
	if err := t.waitSignals(ctx, p, lines); err != nil {
		_ = p.stop(t.opts.StopGrace)
		return err
	}
	if err := t.waitReady(ctx, p); err != nil {
		_ = p.stop(t.opts.StopGrace)
		return err
	}
	return nil
}

// waitReady polls the server until check passes, the process exits, or ctx
// ends: every readyStep while the port refuses, with a growing backoff once
// the server accepts but fails the check (so a slow starter is not hammered).
func (t *execTarget) waitReady(ctx context.Context, p *proc) error {
	b := backoff{next: readyStep, max: readyBackoff}
	for {
		dctx, cancel := context.WithTimeout(ctx, dialAttempt)
		err := check(dctx, t.addr, t.opts.Probe)
		cancel()
		if err == nil {
			return nil
		}
		if p.finished() {
			return t.exitedAtStart(p)
		}
		timer := time.NewTimer(pollStep(err, &b))
		select {
		case <-timer.C:
		case <-p.done:
			timer.Stop()
			return t.exitedAtStart(p)
		case <-ctx.Done():
			timer.Stop()
			return t.startCancelled(ctx, err)
		}
	}
}

// pollStep is how long waitReady waits after a check failed with err: a
// refused dial the server never saw is retried at readyStep, anything the
// server answered backs off.
func pollStep(err error, b *backoff) time.Duration {
	if errors.Is(err, ErrRefused) {
		return readyStep
	}
	return b.grow()
}

// exitedAtStart is the error for a command that ended before accepting connections.
func (t *execTarget) exitedAtStart(p *proc) error {
	return fmt.Errorf("%w before accepting connections on %s: %s\ncommand: %s\noutput tail:\n%s",
		ErrExited, t.addr, p.status(), t.command, tail(t.log.String(), errTailBytes))
}

// startCancelled is the error when the wait for the port ran out.
func (t *execTarget) startCancelled(ctx context.Context, last error) error {
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("target: start %q: %w", t.command, ctx.Err())
	}
	return fmt.Errorf("%w: %s not accepting after %s (last attempt: %v)\ncommand: %s\noutput tail:\n%s",
		ErrStartTimeout, t.addr, t.opts.StartTimeout, last, t.command, tail(t.log.String(), errTailBytes))
}

// Restart stops the process group and starts the command again on the same
// port. It waits for the port to be free, and retries a few times if the new
// process exits at once (e.g. the port was still held), all within
// StartTimeout (or ctx, whichever ends first).
func (t *execTarget) Restart(ctx context.Context) error {
	t.ops.Lock()
	defer t.ops.Unlock()
	if t.isClosed() {
		return ErrClosed
	}
	if p := t.current(); p != nil {
		if err := p.stop(t.opts.StopGrace); err != nil {
			return err
		}
	}
	_, _ = fmt.Fprintf(t.log, "\n--- chatspec: restarting server on %s ---\n", t.addr)
	ctx, cancel := context.WithTimeout(ctx, t.opts.StartTimeout)
	defer cancel()
	if err := waitPortFree(ctx, t.addr); err != nil {
		return err
	}
	b := backoff{next: 50 * time.Millisecond, max: 500 * time.Millisecond}
	var err error
	for range restartAttempts {
		if err = t.launch(ctx); !errors.Is(err, ErrExited) {
			return err
		}
		if b.wait(ctx) != nil {
			break
		}
	}
	return fmt.Errorf("target: restart: %w", err)
}

// isClosed reports whether Close has been called.
func (t *execTarget) isClosed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.closed
}

// waitPortFree polls until addr can be bound (the old server let go of it) or ctx ends.
func waitPortFree(ctx context.Context, addr string) error {
	b := backoff{next: readyStep, max: readyStep}
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			return ln.Close()
		}
		if b.wait(ctx) != nil {
			return fmt.Errorf("%w: port %s still in use: %v", ErrStartTimeout, addr, err)
		}
	}
}

// Alive dials the port. When the process has exited, or is found dying right
// after a failed dial, the error says so with the exit status.
func (t *execTarget) Alive(ctx context.Context) error {
	p := t.current()
	if p == nil || t.isClosed() {
		return ErrClosed
	}
	if p.finished() {
		return &DownError{Addr: t.addr, Reason: ErrExited, Status: p.status()}
	}
	err := check(ctx, t.addr, t.opts.Probe)
	if err != nil && endsSoon(ctx, p.done) {
		return &DownError{Addr: t.addr, Reason: ErrExited, Status: p.status(), Err: err}
	}
	return err
}

// endsSoon waits up to exitGrace for done: a server that stopped answering
// may be on its way out (a process not reaped yet, a server function that
// closed its listener and has not returned), and its exit is what it is.
func endsSoon(ctx context.Context, done <-chan struct{}) bool {
	timer := time.NewTimer(exitGrace)
	defer timer.Stop()
	select {
	case <-done:
		return true
	case <-timer.C:
	case <-ctx.Done():
	}
	return false
}

// Exited reports whether the current process ended by itself, and how.
func (t *execTarget) Exited() (string, bool) {
	p := t.current()
	if p == nil || !p.finished() || !p.selfExit {
		return "", false
	}
	return p.status(), true
}

// ExitedAt is when the current process was reaped after ending by itself.
func (t *execTarget) ExitedAt() time.Time {
	p := t.current()
	if p == nil || !p.finished() || !p.selfExit {
		return time.Time{}
	}
	return p.exitAt
}

// RSS sums VmRSS over the live members of the process group.
func (t *execTarget) RSS() (int64, bool) {
	p := t.current()
	if p == nil || p.finished() {
		return 0, false
	}
	return p.group.rss()
}

// Close stops the process group (SIGTERM, then SIGKILL after StopGrace),
// reaps it and removes the {dir} directory. A second Close does nothing.
func (t *execTarget) Close() error {
	t.ops.Lock()
	defer t.ops.Unlock()
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.closed = true
	p := t.cur
	t.mu.Unlock()
	var err error
	if p != nil {
		err = p.stop(t.opts.StopGrace)
	}
	return errors.Join(err, os.RemoveAll(t.dir))
}

// waitSignals waits for the readiness the user asked for besides the probe:
// a line of output matching Ready, and the file ReadyFile.
func (t *execTarget) waitSignals(ctx context.Context, p *proc, lines *lineWatch) error {
	if lines != nil {
		select {
		case <-lines.matched:
		case <-p.done:
			return t.exitedAtStart(p)
		case <-ctx.Done():
			return t.startCancelled(ctx, fmt.Errorf("no line of its output matched %q", t.opts.Ready))
		}
	}
	if t.opts.ReadyFile == "" {
		return nil
	}
	b := backoff{next: readyStep, max: readyStep}
	for {
		if _, err := os.Stat(t.opts.ReadyFile); err == nil {
			return nil
		}
		if p.finished() {
			return t.exitedAtStart(p)
		}
		if b.wait(ctx) != nil {
			return t.startCancelled(ctx, fmt.Errorf("the file %s did not appear", t.opts.ReadyFile))
		}
	}
}

// inDir prefixes a shell command so that it runs in dir (a temporary
// directory chatspec made: no quote in its name).
func inDir(dir, command string) string {
	if runtime.GOOS == "windows" {
		return `cd /d "` + dir + `" && ` + command
	}
	return "cd '" + dir + "' && " + command
}
