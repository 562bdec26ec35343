package chatos

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// maxBatch is how many queued bytes the writer gathers into one write.
const maxBatch = 64 << 10

// conn is one TCP connection. Main connections receive frames through out,
// drained by their writer goroutine; bridge halves are written directly.
type conn struct {
	id           clientID
	nc           net.Conn
	out          chan []byte
	done         chan struct{}
	ended        chan struct{} // the client sent its last byte: write what is queued, then close
	once         sync.Once
	log          *slog.Logger
	writeTimeout time.Duration
	wmu          sync.Mutex // serialises writes to nc
	blocking     bool       // BlockingWrites fault: enqueue waits for room

	bridge bool                 // guarded by server.mu: this is a bridge half
	peer   atomic.Pointer[conn] // the other bridge half, set when paired
	ready  chan struct{}        // closed once both halves were sent 11; set before peer
	active atomic.Int64         // unix nanos of the last bridged bytes
}

func newConn(id clientID, nc net.Conn, cfg Config, log *slog.Logger) *conn {
	return &conn{
		id:           id,
		nc:           nc,
		out:          make(chan []byte, cfg.QueueLen),
		done:         make(chan struct{}),
		ended:        make(chan struct{}),
		log:          log,
		writeTimeout: cfg.WriteTimeout,
	}
}

// close closes the connection once, logging why.
func (c *conn) close(reason string) {
	c.once.Do(func() {
		close(c.done)
		c.nc.Close()
		c.log.Info("connection closed", "conn", c.id, "reason", reason)
	})
}

func (c *conn) closed() bool { return isClosed(c.done) }

// end has the writer close the connection once the frames already queued are
// written: the client closed its sending side cleanly and may still be
// reading the answers to what it sent (the Pat Chat reference does the same).
// Only the reader calls it, once, as its loop ends.
func (c *conn) end() { close(c.ended) }

// ending reports whether end was called: the writer closes the connection.
func (c *conn) ending() bool { return isClosed(c.ended) }

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// enqueue queues a frame without blocking. A client whose queue is full is
// too slow: it is disconnected rather than allowed to delay anyone (COP-R-4).
func (c *conn) enqueue(frame []byte) {
	if c.closed() {
		return
	}
	if c.blocking {
		select {
		case c.out <- frame:
		case <-c.done:
		}
		return
	}
	select {
	case c.out <- frame:
	default:
		c.close("outgoing queue full: client too slow")
	}
}

// writeRaw writes b with a deadline.
func (c *conn) writeRaw(b []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.blocking {
		// The hurried server of BlockingWrites has no write deadline either:
		// a client that stops reading holds its writes, and so everyone,
		// for as long as it likes.
		_ = c.nc.SetWriteDeadline(time.Time{})
	} else {
		_ = c.nc.SetWriteDeadline(time.Now().Add(c.writeTimeout))
	}
	_, err := c.nc.Write(b)
	return err
}

// writeLoop drains the outgoing queue, several frames per write when they
// are waiting, until the connection closes, or until the queue is empty
// after end.
func (s *server) writeLoop(c *conn) {
	defer s.wg.Done()
	defer s.recoverConn(c, "writer")
	batch := make([]byte, 0, maxBatch)
	for {
		select {
		case <-c.done:
			return
		case <-c.ended:
			for batch = c.gather(batch[:0]); len(batch) > 0; batch = c.gather(batch[:0]) {
				if err := c.writeRaw(batch); err != nil {
					c.close("write failed: " + describe(err))
					return
				}
			}
			c.close("read: closed by client")
			return
		case f := <-c.out:
			batch = c.gather(append(batch[:0], f...))
			if err := c.writeRaw(batch); err != nil {
				c.close("write failed: " + describe(err))
				return
			}
		}
	}
}

// gather appends queued frames to b without waiting, up to maxBatch bytes.
func (c *conn) gather(b []byte) []byte {
	for len(b) < maxBatch {
		select {
		case f := <-c.out:
			b = append(b, f...)
		default:
			return b
		}
	}
	return b
}

// readLoop reads packets until the connection ends or becomes a bridge half.
func (s *server) readLoop(c *conn, src frameSource) {
	for {
		_ = c.nc.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout))
		p, _, err := src.Next()
		if err != nil {
			s.exitFault(err, src)
			if errors.Is(err, io.EOF) {
				c.end()
			} else {
				c.close("read: " + describe(err))
			}
			return
		}
		s.crashFault(p)
		if s.cfg.onPacket != nil {
			s.cfg.onPacket(p)
		}
		step, peer := s.handle(c, p)
		switch {
		case step == bridgeWait:
			s.awaitPeer(c, src)
			return
		case step == bridgePaired:
			if peer != nil {
				s.relay(c, peer, src, nil)
			}
			return
		case c.closed():
			return
		}
	}
}

// handle runs one packet through the core and carries out the effects.
func (s *server) handle(c *conn, p wire.Packet) (bridgeStep, *conn) {
	s.mu.Lock()
	e := s.core.receive(c.id, p)
	if e.bridge != bridgeNone {
		c.bridge = true
	}
	direct := s.applyLocked(e)
	peer := s.conns[e.peer]
	if e.bridge == bridgePaired {
		s.pairLocked(c, peer)
	}
	s.mu.Unlock()
	if e.exit != "" {
		s.exit(e.exit)
	}
	if e.note != "" {
		s.log.Debug("packet had no effect", "conn", c.id, "packet", p.String(), "why", e.note)
	}
	for _, w := range direct {
		if err := w.c.writeRaw(w.frame); err != nil {
			w.c.close("write failed: " + describe(err))
		}
	}
	if e.bridge == bridgePaired {
		s.opened(c, peer)
	}
	return e.bridge, peer
}

// crashFault is the PanicOnEmptyRecipient fault: a routing helper run in its
// own goroutine, without recover, that indexes the recipient's first byte.
func (s *server) crashFault(p wire.Packet) {
	if !s.cfg.Faults.PanicOnEmptyRecipient {
		return
	}
	if pm, ok := p.(wire.PrivateMessage); ok {
		go func() { _ = stripMention(pm.To) }()
	}
}

// stripMention drops a leading '@' from a recipient. Its unchecked index is
// the bug behind PanicOnEmptyRecipient; only that fault calls it.
func stripMention(to string) string {
	if to[0] == '@' {
		return to[1:]
	}
	return to
}

// describe names a read or write failure for logs.
func describe(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF):
		return "closed by client"
	case errors.Is(err, os.ErrDeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, net.ErrClosed):
		return "closed by server"
	}
	if tok := wire.Token(err); tok != "other" {
		return "bad frame: " + tok
	}
	return err.Error()
}
