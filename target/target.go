// Package target gives chatspec one handle on "the server under test": a server
// that is already running (--target), a command chatspec starts and stops itself
// (--exec), or a bundled reference server run in-process. It knows nothing of the
// protocols; it only starts, restarts, probes and stops the thing listening on a
// TCP port, and keeps what it printed.
package target

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Mode names, as returned by Target.Mode and shown in reports.
const (
	ModeTarget    = "target"    // an already-running server given with --target
	ModeExec      = "exec"      // a command chatspec starts with --exec
	ModeReference = "reference" // a bundled reference server run in-process
)

// Sentinel errors. Functions wrap them with %w to add context; match them with errors.Is.
var (
	// ErrBadAddress means a --target address is not host:port with a numeric port 1..65535.
	ErrBadAddress = errors.New("target: bad address, want host:port")
	// ErrNoPortPlaceholder means an --exec command has neither {port} nor {addr} in it.
	ErrNoPortPlaceholder = errors.New("target: command has no {port} or {addr} placeholder")
	// ErrCannotRestart means the target was not started by chatspec (--target), so it cannot be restarted.
	ErrCannotRestart = errors.New("target: cannot restart a server chatspec did not start")
	// ErrStartTimeout means the started server did not accept a TCP connection in time.
	ErrStartTimeout = errors.New("target: server did not accept connections in time")
	// ErrStopTimeout means an in-process server did not return after its context was cancelled.
	ErrStopTimeout = errors.New("target: server did not stop in time")
	// ErrExited means the server process (or in-process server function) ended by itself.
	ErrExited = errors.New("target: server exited")
	// ErrUnreachable means a TCP connection to the server could not be made; every
	// *DownError matches it, whatever the reason.
	ErrUnreachable = errors.New("target: server unreachable")
	// ErrRefused means the connection was actively refused (nothing listening).
	ErrRefused = errors.New("target: connection refused")
	// ErrDialTimeout means the connection attempt did not complete before the deadline.
	ErrDialTimeout = errors.New("target: connection attempt timed out")
	// ErrClosed means the target was already closed.
	ErrClosed = errors.New("target: closed")
)

// Target is the server under test, however it is run.
type Target interface {
	// Addr is the host:port to dial. It stays the same across restarts.
	Addr() string
	// Mode is ModeTarget, ModeExec or ModeReference.
	Mode() string
	// Dir is the temporary directory substituted for {dir} (exec mode), "" otherwise.
	Dir() string
	// CanRestart reports whether Restart can work (false for --target).
	CanRestart() bool
	// Restart stops the server and starts it again on the same address.
	// It returns ErrCannotRestart for --target.
	Restart(ctx context.Context) error
	// Alive is nil if a TCP connection succeeds within ctx; otherwise a *DownError
	// saying whether the connection was refused, timed out, or the server exited.
	Alive(ctx context.Context) error
	// Exited reports whether the server ended by itself (not by Close or Restart),
	// and how, e.g. "exit status 2" or "signal SIGSEGV (segmentation fault)".
	Exited() (status string, exited bool)
	// ExitedAt is when the server was seen to end by itself, zero if it has
	// not: the primary evidence of which scenarios it died during.
	ExitedAt() time.Time
	// Log is the tail of the server's stdout and stderr (exec mode), "" otherwise.
	Log() string
	// LogMark is the offset of the server's next byte of output, for LogSince.
	LogMark() int64
	// LogSince is the output written after LogMark returned mark (exec mode;
	// the stack of a panic for the in-process reference), "" otherwise: what a
	// crashing server printed while one scenario ran.
	LogSince(mark int64) string
	// RSS is the resident memory of the server's process group (exec mode).
	RSS() (bytes int64, ok bool)
	// Close stops the server if chatspec started it and releases its resources.
	Close() error
}

// DownError says why Alive found the server down. It matches ErrUnreachable and
// the specific reason (ErrRefused, ErrDialTimeout or ErrExited) with errors.Is.
type DownError struct {
	Addr   string // address dialled
	Reason error  // ErrRefused, ErrDialTimeout, ErrExited or ErrUnreachable
	Status string // exit status when Reason is ErrExited
	Err    error  // the underlying dial error, if any
}

// Error describes the failure in one line.
func (e *DownError) Error() string {
	switch {
	case e.Status != "":
		return fmt.Sprintf("%s: %v (%s)", e.Addr, e.Reason, e.Status)
	case e.Err != nil:
		return fmt.Sprintf("%s: %v: %v", e.Addr, e.Reason, e.Err)
	default:
		return fmt.Sprintf("%s: %v", e.Addr, e.Reason)
	}
}

// Unwrap exposes ErrUnreachable, the reason and the dial error to errors.Is.
func (e *DownError) Unwrap() []error {
	errs := []error{ErrUnreachable, e.Reason}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// Probe checks, in the server's own protocol, that the server at addr
// answers: a login and its reply, a greeting and a goodbye. The target knows
// no protocol; the caller supplies one. A bare connect-and-close kills some
// servers, so it is only the fallback when no probe is given.
type Probe func(ctx context.Context, addr string) error

// Option tunes Remote and InProcess targets.
type Option func(*options)

type options struct{ probe Probe }

// WithProbe makes Alive speak the protocol through p instead of connecting
// and closing.
func WithProbe(p Probe) Option { return func(o *options) { o.probe = p } }

func optionsOf(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return o
}

// check runs probe (a bare dial when nil) against addr within ctx and
// returns nil or a *DownError with the reason classified.
func check(ctx context.Context, addr string, probe Probe) error {
	if probe == nil {
		return dial(ctx, addr)
	}
	if err := probe(ctx, addr); err != nil {
		return &DownError{Addr: addr, Reason: classify(ctx, err), Err: err}
	}
	return nil
}

// dial tries one TCP connection to addr within ctx and closes it at once.
// It returns nil or a *DownError with the reason classified.
func dial(ctx context.Context, addr string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err == nil {
		return conn.Close()
	}
	return &DownError{Addr: addr, Reason: classify(ctx, err), Err: err}
}

// classify turns a dial error into ErrRefused, ErrDialTimeout or ErrUnreachable.
func classify(ctx context.Context, err error) error {
	var ne net.Error
	switch {
	case Refused(err):
		return ErrRefused
	case errors.Is(err, context.DeadlineExceeded), ctx.Err() != nil,
		errors.As(err, &ne) && ne.Timeout():
		return ErrDialTimeout
	default:
		return ErrUnreachable
	}
}

// FreePort asks the kernel for a TCP port on 127.0.0.1 that is free right now.
// Another process could take it before it is used; callers that start a server
// on it detect that as a start failure.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("target: reserve a free port: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return 0, fmt.Errorf("target: release free port: %w", err)
	}
	return port, nil
}

// parseAddr checks host:port syntax and fills an empty host with 127.0.0.1.
func parseAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(strings.TrimSpace(addr))
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrBadAddress, addr, err)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("%w: %q: port must be a number 1..65535", ErrBadAddress, addr)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	if strings.ContainsAny(host, " /\t") {
		return "", fmt.Errorf("%w: %q: bad host", ErrBadAddress, addr)
	}
	return net.JoinHostPort(host, port), nil
}

// remote is a server chatspec did not start.
type remote struct {
	addr  string
	probe Probe
}

// Remote returns a Target for an already-running server at addr (host:port).
// It checks the syntax only (ErrBadAddress); it does not dial. ":8083" means 127.0.0.1:8083.
func Remote(addr string, opts ...Option) (Target, error) {
	a, err := parseAddr(addr)
	if err != nil {
		return nil, err
	}
	return &remote{addr: a, probe: optionsOf(opts).probe}, nil
}

func (r *remote) Addr() string                    { return r.addr }
func (r *remote) Mode() string                    { return ModeTarget }
func (r *remote) Dir() string                     { return "" }
func (r *remote) CanRestart() bool                { return false }
func (r *remote) Restart(context.Context) error   { return ErrCannotRestart }
func (r *remote) Alive(ctx context.Context) error { return check(ctx, r.addr, r.probe) }
func (r *remote) Exited() (string, bool)          { return "", false }
func (r *remote) ExitedAt() time.Time             { return time.Time{} }
func (r *remote) Log() string                     { return "" }
func (r *remote) LogMark() int64                  { return 0 }
func (r *remote) LogSince(int64) string           { return "" }
func (r *remote) RSS() (int64, bool)              { return 0, false }
func (r *remote) Close() error                    { return nil }

// backoff is a growing delay for polling loops: it starts small and doubles up to max.
type backoff struct{ next, max time.Duration }

// grow returns the current delay and doubles it for next time.
func (b *backoff) grow() time.Duration {
	d := b.next
	b.next = min(b.next*2, b.max)
	return d
}

// wait blocks for the current delay or until ctx ends, then grows the delay.
func (b *backoff) wait(ctx context.Context) error {
	t := time.NewTimer(b.grow())
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
