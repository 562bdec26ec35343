package patchat

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for Options.
const (
	DefaultMaxBuffer = 1 << 20  // unconsumed received text
	DefaultMaxLog    = 16 << 20 // bytes of room messages kept for Messages
	readChunk        = 32 << 10 // bytes asked of one Read
)

// Options tune a Session; zero values mean the defaults.
type Options struct {
	// MaxBuffer caps the received text not yet consumed by an expect or a
	// recogniser; a server that sends more gets ErrBufferFull and reading
	// stops, so memory never grows without bound.
	MaxBuffer int
	// MaxLog caps the bytes of room messages kept for Messages and
	// WaitMessage; beyond it reading stops with ErrBufferFull.
	MaxLog int
	// Timeout overrides the dialect's timeout (deadline of each expect step,
	// of each send, and of WaitMessage when its context has no deadline).
	Timeout time.Duration
}

// Session runs a dialect's actions over one connection. Do is serialised
// (one command at a time, reading P2); WaitMessage, Messages and
// SendRaw may be called from other goroutines.
type Session struct {
	conn    net.Conn
	d       *Dialect
	timeout time.Duration
	maxBuf  int
	maxLog  int

	doMu    sync.Mutex // one action at a time
	writeMu sync.Mutex // one write at a time

	mu       sync.Mutex
	buf      []byte        // received, not yet consumed
	pending  []RoomMessage // recognised, not yet taken by WaitMessage
	log      []RoomMessage // every message recognised so far
	logBytes int
	err      error         // why reading stopped; nil while it goes on
	changed  chan struct{} // closed and replaced whenever the state changes

	closing   atomic.Bool
	closeOnce sync.Once
	closeErr  error
	done      chan struct{} // closed when the reader goroutine ends
}

// NewSession starts reading conn with dialect d. The session owns conn:
// Close closes it.
func NewSession(conn net.Conn, d *Dialect, opts Options) *Session {
	s := &Session{conn: conn, d: d, timeout: d.Timeout, maxBuf: opts.MaxBuffer, maxLog: opts.MaxLog,
		changed: make(chan struct{}), done: make(chan struct{})}
	if opts.Timeout > 0 {
		s.timeout = opts.Timeout
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.maxBuf <= 0 {
		s.maxBuf = DefaultMaxBuffer
	}
	if s.maxLog <= 0 {
		s.maxLog = DefaultMaxLog
	}
	go s.readLoop()
	return s
}

// Dialect returns the session's dialect.
func (s *Session) Dialect() *Dialect { return s.d }

// readLoop is the single reader: every Read has a deadline and asks for at
// most the room left under MaxBuffer.
func (s *Session) readLoop() {
	defer close(s.done)
	chunk := make([]byte, readChunk)
	for {
		room := s.room()
		if room <= 0 {
			s.stop(fmt.Errorf("%w: more than %d bytes received without a match", ErrBufferFull, s.maxBuf))
			return
		}
		_ = s.conn.SetReadDeadline(time.Now().Add(s.timeout))
		n, err := s.conn.Read(chunk[:min(room, len(chunk))])
		if n > 0 {
			s.receive(chunk[:n])
		}
		if err != nil && !(isTimeout(err) && !s.closing.Load()) {
			s.stop(s.readError(err))
			return
		}
	}
}

// readError classifies why reading ended.
func (s *Session) readError(err error) error {
	switch {
	case s.closing.Load():
		return fmt.Errorf("%w: session closed", ErrClosed)
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w: server closed the connection", ErrClosed)
	}
	return fmt.Errorf("%w: %v", ErrClosed, err)
}

// isTimeout tells a read deadline from a real error.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// room is how many more bytes the buffer may take.
func (s *Session) room() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return 0
	}
	return s.maxBuf - len(s.buf)
}

// receive appends text, cuts out room messages and wakes the waiters.
func (s *Session) receive(p []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var msgs []RoomMessage
	s.buf, msgs = cutMessages(append(s.buf, p...), len(s.buf), s.d.Messages)
	for _, m := range msgs {
		s.logBytes += len(m.Raw) + len(m.From) + len(m.Text) + len(m.Room)
		if s.logBytes > s.maxLog && s.err == nil {
			s.err = fmt.Errorf("%w: more than %d bytes of room messages", ErrBufferFull, s.maxLog)
			break
		}
		s.log = append(s.log, m)
		s.pending = append(s.pending, m)
	}
	s.notify()
}

// stop records why reading ended (the first reason wins).
func (s *Session) stop(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = err
	}
	s.notify()
}

// notify wakes every waiter; the caller holds mu.
func (s *Session) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Close closes the connection and waits for the reader to end. It is safe
// to call more than once.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		s.closing.Store(true)
		s.closeErr = s.conn.Close()
		<-s.done
	})
	return s.closeErr
}

// Messages returns a snapshot of every room message received so far, in
// order, including those already taken by WaitMessage.
func (s *Session) Messages() []RoomMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RoomMessage(nil), s.log...)
}

// Unconsumed returns the received text no expect has consumed yet.
func (s *Session) Unconsumed() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return string(s.buf)
}

// Err reports why reading stopped (nil while the connection is open).
func (s *Session) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}
