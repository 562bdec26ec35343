// Package patchat is chatspec's Pat Chat client for servers that may be
// hostile, as client/chatos is for ChatOS: it owns the TCP connection, puts
// a deadline on every read and write, records everything in a transcript,
// and drives the server through a dialect with the engine of wire/patchat.
// Open also reads the greeting, retrying a server that refuses for a while.
package patchat

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

// Errors a caller can test with errors.Is.
var (
	// ErrConnect: the TCP connection could not be made.
	ErrConnect = errors.New("patchat client: could not connect")
	// ErrRefused: the server refused the greeting (e.g. it is full) until the
	// retries ran out; the error is a *RefusedError.
	ErrRefused = errors.New("patchat client: greeting refused")
)

// Options tune a Session: the engine's options, the connection's name in the
// transcript and the transcript itself (nil: none).
type Options struct {
	wire.Options
	Name string
	Log  *transcript.Log
}

// Session is one connection to a Pat Chat server, driven by a dialect. The
// engine's methods (Do, WaitMessage, Messages, SendRaw, WaitClosed, ...)
// are the session's.
type Session struct {
	*wire.Engine
	conn *logConn
}

// NewSession starts reading conn with dialect d. The session owns conn:
// Close closes it.
func NewSession(conn net.Conn, d *wire.Dialect, opts Options) *Session {
	c := newLogConn(conn, opts.Name, opts.Log, timeoutOf(d, opts))
	s := &Session{Engine: wire.NewEngine(c, d, opts.Options), conn: c}
	s.Start()
	return s
}

// Dial connects to addr within the dialect's timeout (or ctx's deadline)
// and starts a session, without reading the greeting.
func Dial(ctx context.Context, addr string, d *wire.Dialect, opts Options) (*Session, error) {
	ctx, cancel := context.WithTimeout(ctx, timeoutOf(d, opts))
	defer cancel()
	var dialer net.Dialer
	nc, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		if opts.Log != nil {
			opts.Log.Notef(opts.Name, "could not connect: %v", err)
		}
		return nil, &ConnectError{Addr: addr, Err: err}
	}
	return NewSession(nc, d, opts), nil
}

// ConnectError says a connection could not be made; it matches ErrConnect
// and unwraps to the network's error.
type ConnectError struct {
	Addr string
	Err  error
}

// Error names the address and the cause.
func (e *ConnectError) Error() string { return fmt.Sprintf("connect %s: %v", e.Addr, e.Err) }

// Unwrap gives the network's error.
func (e *ConnectError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrConnect) true.
func (e *ConnectError) Is(target error) bool { return target == ErrConnect }

// Name is the connection's name in the transcript.
func (s *Session) Name() string { return s.conn.name }

// Saw reports whether token appears anywhere in what the server sent (the
// first 4 MiB), and the received text around it.
func (s *Session) Saw(token string) (bool, string) { return s.conn.saw(token) }

// Problems lists the places where the server sent bytes that are not text
// (invalid UTF-8, NUL, control bytes other than tab, newline and CR).
func (s *Session) Problems() []string { return s.conn.problemList() }

// Notef adds a note to the session's transcript.
func (s *Session) Notef(format string, args ...any) {
	if s.conn.log != nil {
		s.conn.log.Notef(s.conn.name, format, args...)
	}
}

// timeoutOf is the deadline of each read and expect: the options', else the
// dialect's, else the engine's default.
func timeoutOf(d *wire.Dialect, opts Options) time.Duration {
	switch {
	case opts.Timeout > 0:
		return opts.Timeout
	case d.Timeout > 0:
		return d.Timeout
	}
	return wire.DefaultTimeout
}

// CloseWrite half-closes the connection, as a client that has finished
// sending does: the server sees the end of the stream.
func (s *Session) CloseWrite() error {
	if tc, ok := s.conn.Conn.(interface{ CloseWrite() error }); ok {
		return tc.CloseWrite()
	}
	return nil
}
