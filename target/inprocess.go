package target

import (
	"context"
	"fmt"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// inProcessGrace bounds how long Close and Restart wait for a cancelled
// in-process server function to return.
const inProcessGrace = 5 * time.Second

// ServeFunc is an in-process server: it serves ln until ctx is cancelled. It
// need not close ln; the target does that when it returns, as a process's
// exit closes its sockets, and when stopping it.
type ServeFunc func(ctx context.Context, ln net.Listener) error

// run is one call of a ServeFunc in its goroutine.
type run struct {
	cancel   context.CancelFunc
	ln       net.Listener
	done     chan struct{} // closed when the function returned
	status   string        // how it returned; read after done
	panicLog string        // stack of a panic, if any
	selfExit bool          // returned before chatspec stopped it
	exitAt   time.Time     // when it returned
	stopping atomic.Bool
}

// inProcess is a bundled reference server running in chatspec's own process.
type inProcess struct {
	base  context.Context
	serve ServeFunc
	addr  string
	probe Probe

	ops    sync.Mutex // serialises Restart and Close
	mu     sync.Mutex // guards cur and closed
	cur    *run
	closed bool
}

// InProcess listens on 127.0.0.1:0 and runs serve in a goroutine. The server
// runs until Close, or until ctx is cancelled. A panic in serve is recovered
// and reported by Exited and Log rather than crashing chatspec.
func InProcess(ctx context.Context, serve func(ctx context.Context, ln net.Listener) error, opts ...Option) (Target, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("target: listen for in-process server: %w", err)
	}
	t := &inProcess{base: ctx, serve: serve, addr: ln.Addr().String(), probe: optionsOf(opts).probe}
	t.cur = t.startRun(ln)
	return t, nil
}

// startRun calls serve on ln in a new goroutine with its own cancellable context.
func (t *inProcess) startRun(ln net.Listener) *run {
	ctx, cancel := context.WithCancel(t.base)
	r := &run{cancel: cancel, ln: ln, done: make(chan struct{})}
	go r.exec(ctx, t.serve)
	return r
}

// exec calls serve, recording how it returned, including a panic. The
// listener is closed before the return is told: a server that returned by
// itself refuses connections, like a process that exited, instead of
// leaving them queued on a port that nobody accepts on.
func (r *run) exec(ctx context.Context, serve ServeFunc) {
	defer close(r.done)
	defer func() {
		_ = r.ln.Close()
		if v := recover(); v != nil {
			r.status = fmt.Sprintf("panic: %v", v)
			r.panicLog = fmt.Sprintf("panic: %v\n%s", v, debug.Stack())
		}
		r.selfExit = !r.stopping.Load()
		r.exitAt = time.Now()
	}()
	if err := serve(ctx, r.ln); err != nil {
		r.status = fmt.Sprintf("returned error: %v", err)
	} else {
		r.status = "returned"
	}
}

// finished reports whether the server function has returned.
func (r *run) finished() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// stop cancels the run, closes its listener and waits for the function to return.
func (r *run) stop() error {
	r.stopping.Store(true)
	r.cancel()
	_ = r.ln.Close()
	t := time.NewTimer(inProcessGrace)
	defer t.Stop()
	select {
	case <-r.done:
		return nil
	case <-t.C:
		return fmt.Errorf("%w: in-process server ignored cancellation for %s", ErrStopTimeout, inProcessGrace)
	}
}

func (t *inProcess) Addr() string     { return t.addr }
func (t *inProcess) Mode() string     { return ModeReference }
func (t *inProcess) Dir() string      { return "" }
func (t *inProcess) CanRestart() bool { return true }
func (t *inProcess) RSS() (int64, bool) {
	return 0, false
}

// current returns the current run and whether the target is closed.
func (t *inProcess) current() (*run, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cur, t.closed
}

// Restart stops the server function and runs it again on the same address,
// retrying the listen until ctx ends if the address is briefly held.
func (t *inProcess) Restart(ctx context.Context) error {
	t.ops.Lock()
	defer t.ops.Unlock()
	r, closed := t.current()
	if closed {
		return ErrClosed
	}
	if err := r.stop(); err != nil {
		return err
	}
	ln, err := listenRetry(ctx, t.addr)
	if err != nil {
		return err
	}
	t.mu.Lock()
	t.cur = t.startRun(ln)
	t.mu.Unlock()
	return nil
}

// listenRetry listens on addr, retrying with a backoff until ctx ends.
func listenRetry(ctx context.Context, addr string) (net.Listener, error) {
	b := backoff{next: 5 * time.Millisecond, max: 200 * time.Millisecond}
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil {
			return ln, nil
		}
		if b.wait(ctx) != nil {
			return nil, fmt.Errorf("%w: listen again on %s: %v", ErrStartTimeout, addr, err)
		}
	}
}

// Alive reports ErrExited if the function returned, else dials the address.
func (t *inProcess) Alive(ctx context.Context) error {
	r, closed := t.current()
	if closed {
		return ErrClosed
	}
	if r.finished() {
		return &DownError{Addr: t.addr, Reason: ErrExited, Status: r.status}
	}
	err := check(ctx, t.addr, t.probe)
	if err != nil && endsSoon(ctx, r.done) {
		return &DownError{Addr: t.addr, Reason: ErrExited, Status: r.status, Err: err}
	}
	return err
}

// Exited reports whether the server function returned (or panicked) by itself.
func (t *inProcess) Exited() (string, bool) {
	r, _ := t.current()
	if !r.finished() || !r.selfExit {
		return "", false
	}
	return r.status, true
}

// ExitedAt is when the server function returned by itself, zero otherwise.
func (t *inProcess) ExitedAt() time.Time {
	r, _ := t.current()
	if !r.finished() || !r.selfExit {
		return time.Time{}
	}
	return r.exitAt
}

// LogMark is always 0: the only output kept is the current run's panic.
func (t *inProcess) LogMark() int64 { return 0 }

// LogSince is the stack of a panic of the current run, whatever the mark.
func (t *inProcess) LogSince(int64) string { return t.Log() }

// Log is the stack of a recovered panic in the current run, "" otherwise.
func (t *inProcess) Log() string {
	r, _ := t.current()
	if !r.finished() {
		return ""
	}
	return r.panicLog
}

// Close cancels the server function and waits for it to return.
func (t *inProcess) Close() error {
	t.ops.Lock()
	defer t.ops.Unlock()
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return nil
	}
	t.closed = true
	r := t.cur
	t.mu.Unlock()
	return r.stop()
}
