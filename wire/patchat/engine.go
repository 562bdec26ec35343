package patchat

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Defaults for Options.
const (
	DefaultMaxBuffer = 1 << 20  // unconsumed received text
	DefaultMaxLog    = 16 << 20 // bytes of room messages kept for Messages
	readChunk        = 32 << 10 // bytes asked of one Read
)

// Options tune an Engine; zero values mean the defaults.
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

// Engine runs a dialect's actions over one byte stream: it writes to an
// io.ReadWriter and matches what ReadLoop reads from it. It knows no network:
// the caller (client/patchat) owns the connection, its deadlines and its
// transcript. Do is serialised (one command at a time, reading P2);
// WaitMessage, Messages and SendRaw may be called from other goroutines.
type Engine struct {
	rw      io.ReadWriter
	d       *Dialect
	timeout time.Duration
	maxBuf  int
	maxLog  int

	doMu    sync.Mutex // one action at a time
	writeMu sync.Mutex // one write at a time

	mu         sync.Mutex
	buf        []byte        // received, not yet consumed
	pending    []RoomMessage // recognised, not yet taken by WaitMessage
	log        []RoomMessage // every message recognised so far
	logBytes   int
	last       time.Time                    // when text last arrived (for quiet steps)
	current    string                       // the current room as far as the engine knows
	unanswered bool                         // a line was sent since the last reply or quiet period
	tables     map[string]map[string]string // filled by splits with a table
	err        error                        // why reading stopped; nil while it goes on
	changed    chan struct{}                // closed and replaced whenever the state changes

	closeOnce sync.Once
	closeErr  error
	started   bool          // Start was called (guarded by mu)
	done      chan struct{} // closed when the reader ends
}

// NewEngine prepares an engine for dialect d over rw; nothing is read until
// Start.
func NewEngine(rw io.ReadWriter, d *Dialect, opts Options) *Engine {
	e := &Engine{rw: rw, d: d, timeout: d.Timeout, maxBuf: opts.MaxBuffer, maxLog: opts.MaxLog,
		changed: make(chan struct{}), done: make(chan struct{})}
	if opts.Timeout > 0 {
		e.timeout = opts.Timeout
	}
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
	if e.maxBuf <= 0 {
		e.maxBuf = DefaultMaxBuffer
	}
	if e.maxLog <= 0 {
		e.maxLog = DefaultMaxLog
	}
	return e
}

// Dialect returns the engine's dialect.
func (e *Engine) Dialect() *Dialect { return e.d }

// Timeout is the deadline of each expect step.
func (e *Engine) Timeout() time.Duration { return e.timeout }

// Start runs the single reader in its own goroutine; call it once.
func (e *Engine) Start() {
	e.mu.Lock()
	e.started = true
	e.mu.Unlock()
	go e.readLoop()
}

// readLoop reads until the stream ends, asking at most for the room left
// under MaxBuffer. A read that fails with a deadline error (the owner's read
// deadline) is tried again while the engine is open.
func (e *Engine) readLoop() {
	defer close(e.done)
	chunk := make([]byte, readChunk)
	for {
		room := e.room()
		if room <= 0 {
			e.stop(fmt.Errorf("%w: more than %d bytes received without a match", ErrBufferFull, e.maxBuf))
			return
		}
		n, err := e.rw.Read(chunk[:min(room, len(chunk))])
		if n > 0 {
			e.receive(chunk[:n])
		}
		if err != nil && !(isTimeout(err) && e.Err() == nil) {
			e.stop(readError(err))
			return
		}
	}
}

// readError classifies why reading ended.
func readError(err error) error {
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: server closed the connection", ErrClosed)
	}
	return fmt.Errorf("%w: %v", ErrClosed, err)
}

// isTimeout tells a read or write deadline from a real error.
func isTimeout(err error) bool {
	var te interface{ Timeout() bool }
	return errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &te) && te.Timeout())
}

// room is how many more bytes the buffer may take.
func (e *Engine) room() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err != nil {
		return 0
	}
	return e.maxBuf - len(e.buf)
}

// receive appends text, cuts out room messages and wakes the waiters.
func (e *Engine) receive(p []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var msgs []RoomMessage
	e.last = time.Now()
	e.buf, msgs = cutMessages(append(e.buf, p...), len(e.buf), e.d.Messages)
	for _, m := range msgs {
		e.logBytes += len(m.Raw) + len(m.From) + len(m.Text) + len(m.Room)
		if e.logBytes > e.maxLog && e.err == nil {
			e.err = fmt.Errorf("%w: more than %d bytes of room messages", ErrBufferFull, e.maxLog)
			break
		}
		e.log = append(e.log, m)
		e.pending = append(e.pending, m)
	}
	e.notify()
}

// stop records why reading ended (the first reason wins).
func (e *Engine) stop(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.err == nil {
		e.err = err
	}
	e.notify()
}

// notify wakes every waiter; the caller holds mu.
func (e *Engine) notify() {
	close(e.changed)
	e.changed = make(chan struct{})
}

// Close ends the engine: reading stops with ErrClosed, rw is closed when
// it is an io.Closer, and Close waits for a running ReadLoop to end. It is
// safe to call more than once.
func (e *Engine) Close() error {
	e.closeOnce.Do(func() {
		e.stop(fmt.Errorf("%w: session closed", ErrClosed))
		if c, ok := e.rw.(io.Closer); ok {
			e.closeErr = c.Close()
		}
		e.mu.Lock()
		started := e.started
		e.mu.Unlock()
		if started {
			<-e.done
		}
	})
	return e.closeErr
}

// Messages returns a snapshot of every room message received so far, in
// order, including those already taken by WaitMessage.
func (e *Engine) Messages() []RoomMessage {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]RoomMessage(nil), e.log...)
}

// Unconsumed returns the received text no expect has consumed yet.
func (e *Engine) Unconsumed() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return string(e.buf)
}

// Err reports why reading stopped (nil while the connection is open).
func (e *Engine) Err() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.err
}
