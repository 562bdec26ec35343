package fuzz

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"

	"github.com/chatspec/chatspec/target"
	"time"
)

// ExecOptions bounds one case's execution. Zero fields take the defaults.
type ExecOptions struct {
	DialTimeout  time.Duration // a case's connection attempts, all made at its start (default 2s)
	WriteTimeout time.Duration // one write (default 2s; each write gets between half of it and all of it, see liveConn.write)
	FillWait     time.Duration // wait for a fill's run-time value (default 300ms)
	Drain        time.Duration // read after the last round, until the server closes (default 250ms)
	MaxRead      int           // bytes fed to a connection's Watch (default 1 MiB; the rest is read and dropped)

	clock *fillClock // set by the engine: fills wait what this server needs (see fillClock)
}

func (o ExecOptions) withDefaults() ExecOptions {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.DialTimeout, 2*time.Second)
	def(&o.WriteTimeout, 2*time.Second)
	def(&o.FillWait, 300*time.Millisecond)
	def(&o.Drain, 250*time.Millisecond)
	if o.MaxRead <= 0 {
		o.MaxRead = 1 << 20
	}
	return o
}

// Result is what one execution of a case observed on its own connections.
type Result struct {
	Violation *Violation // first protocol violation, in connection order
	ViolConn  int        // its connection
	Refused   bool       // a connection was refused: the server is not listening
	DialErr   error      // the first connection error, if any
	Received  int64      // bytes received over all connections
	Conns     int        // connections attempted
}

// Execute runs c against addr (see Case for the order of events) and
// reports what its own connections saw. It never blocks past its deadlines.
func Execute(ctx context.Context, addr string, c Case, p Protocol, o ExecOptions) Result {
	o = o.withDefaults()
	var res Result
	conns := make([]*liveConn, len(c.Conns))
	res.Conns = len(c.Conns)
	// One deadline for all the dials: a timer per dial was a tenth of the
	// fuzzer's own cost of a connection.
	dialCtx, cancel := context.WithTimeout(ctx, o.DialTimeout)
	early := c.Size() > inlineLimit
	for i := range c.Conns {
		conns[i] = dialLive(dialCtx, addr, p.NewWatch(), o, &res)
		if conns[i] != nil && early {
			conns[i].start()
		}
	}
	cancel()
	var w writer
	for k := range c.Rounds() {
		for i, cs := range c.Conns {
			if k < len(cs.Steps) && conns[i] != nil {
				w.send(ctx, conns[i], cs.Steps[k], conns, o)
			}
		}
	}
	w.flush(o)
	for _, lc := range conns {
		if lc != nil {
			lc.finish(o.Drain)
		}
	}
	for i, lc := range conns {
		if lc == nil {
			continue
		}
		if lc.started {
			<-lc.done
		} else {
			lc.read() // the drain, on this goroutine (see inlineLimit)
		}
		_ = lc.conn.Close()
		res.Received += lc.received
		if res.Violation == nil && lc.viol != nil {
			res.Violation, res.ViolConn = lc.viol, i
		}
	}
	return res
}

// liveConn is one case connection with its reader goroutine.
type liveConn struct {
	conn     *net.TCPConn
	watch    Watch
	max      int
	mu       sync.Mutex // guards watch, viol, received
	viol     *Violation
	received int64
	notify   chan struct{} // a value may have arrived (made by start: an inline read has no one to tell)
	done     chan struct{} // the reader goroutine stopped (made by start)
	dead     bool          // a write failed: send nothing more
	started  bool          // the reader runs on its own goroutine
	over     bool          // an inline read saw the end of the stream or an error: nothing more to read
	wdl      time.Time     // the write deadline set last
}

// dialLive connects before ctx's deadline; nil when the dial failed. The
// reader is started by start, or run by Execute after the last step.
func dialLive(ctx context.Context, addr string, w Watch, o ExecOptions, res *Result) *liveConn {
	// No timeout of its own: ctx's deadline bounds it, and a Timeout would be
	// a timer per dial. No keep-alive: a case lasts milliseconds, and turning
	// it on is four system calls per connection.
	d := net.Dialer{KeepAlive: -1}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		if res.DialErr == nil {
			res.DialErr = err
		}
		res.Refused = res.Refused || target.Refused(err)
		return nil
	}
	return &liveConn{conn: c.(*net.TCPConn), watch: w, max: o.MaxRead}
}

// start runs the reader on its own goroutine, once. Its deadline is moved
// closer by finish; until then a generous bound. (A reader run after the
// last step has only finish's; a fill's inline read, its wait.)
func (lc *liveConn) start() {
	if !lc.started {
		lc.started = true
		lc.notify, lc.done = make(chan struct{}, 1), make(chan struct{})
		_ = lc.conn.SetReadDeadline(time.Now().Add(time.Minute))
		go func() {
			defer close(lc.done)
			lc.read()
		}()
	}
}

// inlineLimit is the most bytes a case may send for its connections to be
// read on the case's own goroutine, like a plain client's: by a fill that
// waits for a value (see awaitInline), and after the last step until the
// server closes. The watch sees the same bytes in the same order either way,
// and a connection costs no goroutine, channel or timer of its own. A case
// that sends more starts a reader per connection at once, so that what the
// server answers cannot fill the socket buffers while nobody reads (a server
// blocked writing to one of them might stop reading what the case writes).
const inlineLimit = 8 << 10

// readBufs recycles the readers' buffers: a case opens connections by the
// thousand per second, and a fresh buffer each is work for the collector.
var readBufs = sync.Pool{New: func() any { return new([16 << 10]byte) }}

// read feeds received bytes to the watch until EOF, error or deadline.
func (lc *liveConn) read() { lc.readUntil("") }

// readUntil feeds received bytes to the watch until the watch offers the
// value name (when name is not ""), or EOF, an error or the read deadline
// ends the read; it reports whether the value came. EOF and errors other
// than the deadline end the stream for good (over).
func (lc *liveConn) readUntil(name string) bool {
	if lc.over {
		return false
	}
	arr := readBufs.Get().(*[16 << 10]byte)
	defer readBufs.Put(arr)
	buf := arr[:]
	for {
		n, err := lc.conn.Read(buf)
		if n > 0 {
			lc.feed(buf[:n])
			if name != "" {
				if _, ok := lc.value(name); ok {
					return true
				}
			}
		}
		if err != nil {
			lc.over = !errors.Is(err, os.ErrDeadlineExceeded)
			if errors.Is(err, io.EOF) {
				lc.end()
			}
			if lc.over && name != "" {
				_, ok := lc.value(name) // the end may complete it, as a reader goroutine's would
				return ok
			}
			return false
		}
	}
}

func (lc *liveConn) feed(b []byte) {
	lc.mu.Lock()
	room := lc.max - int(lc.received)
	lc.received += int64(len(b))
	if lc.viol == nil && room > 0 {
		lc.viol = lc.watch.Feed(b[:min(len(b), room)])
	}
	lc.mu.Unlock()
	if lc.notify != nil {
		select {
		case lc.notify <- struct{}{}:
		default:
		}
	}
}

func (lc *liveConn) end() {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if lc.viol == nil && int(lc.received) <= lc.max {
		lc.viol = lc.watch.End()
	}
}

// value reads a run-time value from the watch.
func (lc *liveConn) value(name string) ([]byte, bool) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	return lc.watch.Value(name)
}

// writer performs a case's steps in order, coalescing: the bytes of
// consecutive plain steps of one connection (no pause, no fill, no drip,
// no split, nothing sent on another connection in between) go in one write.
// TCP is a byte stream, so the server may read them together either way, and
// the order of writes across connections is kept; what must arrive in pieces
// says so (Chunks, Split, or a fill that waits for the server's answer) and
// still does. A walk's steps are mostly such runs, one write each instead of
// one per step on both sides of the connection.
type writer struct {
	held *liveConn // the connection whose bytes are held, nil when none are
	buf  []byte
}

// send performs one step: pause, fill, write (in pieces for a drip, byte by byte when split).
func (w *writer) send(ctx context.Context, lc *liveConn, s Step, conns []*liveConn, o ExecOptions) {
	if lc.dead || (s.Pause <= 0 && len(s.Data) == 0) {
		return
	}
	plain := s.Pause <= 0 && s.Fill == nil && len(s.Chunks) == 0 && !s.Split
	if !plain || w.held != lc {
		w.flush(o) // everything before this step is on its way first
	}
	if s.Pause > 0 && !pause(ctx, s.Pause) {
		lc.dead = true
		return
	}
	data := s.Data
	if s.Fill != nil {
		data = fill(ctx, s, conns, o.FillWait, o.clock)
	}
	chunks := s.Chunks
	if s.Split {
		chunks = everyByte(len(data))
	}
	if len(chunks) == 0 {
		w.held, w.buf = lc, append(w.buf, data...) // written by the next flush
		return
	}
	lc.dead = pieces(data, chunks, func(b []byte) error { return lc.write(b, o.WriteTimeout) }) != nil
}

// flush writes the held bytes.
func (w *writer) flush(o ExecOptions) {
	if w.held != nil && len(w.buf) > 0 {
		w.held.dead = w.held.write(w.buf, o.WriteTimeout) != nil
	}
	w.held, w.buf = nil, w.buf[:0]
}

// write writes b, with a deadline between timeout/2 and timeout from now:
// the deadline is moved only when less than half of it is left, so a
// connection's many writes in quick succession set it once.
func (lc *liveConn) write(b []byte, timeout time.Duration) error {
	if now := time.Now(); lc.wdl.Sub(now) < timeout/2 {
		lc.wdl = now.Add(timeout)
		_ = lc.conn.SetWriteDeadline(lc.wdl)
	}
	_, err := lc.conn.Write(b)
	return err
}

// everyByte is the cuts of a one-byte-per-write delivery of n bytes.
func everyByte(n int) []int {
	cuts := make([]int, max(n-1, 0))
	for i := range cuts {
		cuts[i] = i + 1
	}
	return cuts
}

// pause waits d unless ctx ends first (then false).
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// fill waits (bounded) for the step's run-time value and writes it over a
// copy of the data; without the value the data goes unchanged.
func fill(ctx context.Context, s Step, conns []*liveConn, wait time.Duration, clock *fillClock) []byte {
	f := s.Fill
	if f.Conn < 0 || f.Conn >= len(conns) || conns[f.Conn] == nil {
		return s.Data
	}
	src := conns[f.Conn]
	if v, ok := src.value(f.Var); ok {
		return overwrite(s.Data, f.Offset, v)
	}
	start := time.Now()
	if !src.started {
		if !src.awaitInline(ctx, f.Var, clock.wait(wait)) {
			return s.Data
		}
		clock.arrived(time.Since(start))
		v, _ := src.value(f.Var)
		return overwrite(s.Data, f.Offset, v)
	}
	deadline := time.NewTimer(clock.wait(wait))
	defer deadline.Stop()
	for {
		select {
		case <-src.notify:
		case <-src.done:
		case <-deadline.C:
			return s.Data
		case <-ctx.Done():
			return s.Data
		}
		if v, ok := src.value(f.Var); ok {
			clock.arrived(time.Since(start))
			return overwrite(s.Data, f.Offset, v)
		}
		if isDone(src.done) {
			return s.Data
		}
	}
}

// awaitInline reads src on the case's goroutine until the value name
// arrives, within wait (and ctx's deadline); the read deadline is the
// wait's only timer. Whatever else arrives meanwhile is fed to the watch as
// the read after the last step would have.
func (lc *liveConn) awaitInline(ctx context.Context, name string, wait time.Duration) bool {
	deadline := time.Now().Add(wait)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	_ = lc.conn.SetReadDeadline(deadline)
	return lc.readUntil(name)
}

// isDone reports whether ch is closed.
func isDone(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// overwrite returns a copy of data with v written at off (clipped to data).
func overwrite(data []byte, off int, v []byte) []byte {
	out := append([]byte(nil), data...)
	if off >= 0 && off < len(out) {
		copy(out[off:], v)
	}
	return out
}

// finish half-closes the sending side, so a well-behaved server sees EOF and
// closes, and bounds the remaining read by drain.
func (lc *liveConn) finish(drain time.Duration) {
	_ = lc.conn.CloseWrite()
	_ = lc.conn.SetReadDeadline(time.Now().Add(drain))
}
