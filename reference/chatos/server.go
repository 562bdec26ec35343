package chatos

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// server is the network loop around the core: it owns the connections and
// carries out the core's effects under one mutex.
type server struct {
	cfg     Config
	log     *slog.Logger
	mu      sync.Mutex // guards everything below, and the core
	core    *core
	conns   map[clientID]*conn
	lastID  clientID
	closing bool
	wg      sync.WaitGroup // every connection goroutine (readers and writers)
	ln      net.Listener   // closed by exit, the Exit* faults' "process exit"
	exited  string         // why exit was called, guarded by mu
	frameMu sync.Mutex     // PartialFrameBlocksAll fault: held while a frame is incomplete
}

// Serve accepts ChatOS clients on ln until ctx is cancelled or ln fails. On
// return every connection is closed and every goroutine it started has
// ended; ln is closed too. Cancellation is a clean stop and returns nil.
func Serve(ctx context.Context, ln net.Listener, cfg Config) error {
	s, err := newServer(cfg)
	if err != nil {
		ln.Close()
		return err
	}
	return s.serve(ctx, ln)
}

func newServer(cfg Config) (*server, error) {
	cfg = cfg.withDefaults()
	r, err := cfg.rules()
	if err != nil {
		return nil, err
	}
	return &server{
		cfg:   cfg,
		log:   cfg.Logger,
		core:  newCore(r, randomID),
		conns: map[clientID]*conn{},
	}, nil
}

// randomID draws a positive connect id from crypto/rand (COP-3.5-10).
func randomID() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	return int64(binary.BigEndian.Uint64(b[:]) >> 1)
}

func (s *server) serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	s.log.Info("chatos server listening", "addr", ln.Addr().String(), "faults", s.cfg.Faults.Names())
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	err := s.acceptLoop(ln)
	ln.Close()
	s.shutdown()
	if ctx.Err() != nil {
		s.log.Info("chatos server stopped")
		return nil
	}
	if why := s.exitReason(); why != "" {
		return fmt.Errorf("%w: %s", ErrExited, why)
	}
	return fmt.Errorf("chatos: accept: %w", err)
}

func (s *server) acceptLoop(ln net.Listener) error {
	for {
		nc, err := ln.Accept()
		if err != nil {
			return err
		}
		if tc, ok := nc.(interface{ SetWriteBuffer(int) error }); ok {
			_ = tc.SetWriteBuffer(s.cfg.SendBuffer)
		}
		if c := s.admit(nc); c != nil {
			go s.serveConn(c)
		}
	}
}

// admit registers a new connection, or closes it at once when the server is
// full or stopping (the refused client sees the connection closed, with no
// byte sent).
func (s *server) admit(nc net.Conn) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing || (s.cfg.MaxConns > 0 && len(s.conns) >= s.cfg.MaxConns) {
		s.log.Warn("connection refused", "remote", nc.RemoteAddr().String(), "open", len(s.conns))
		nc.Close()
		return nil
	}
	s.lastID++
	c := newConn(s.lastID, nc, s.cfg, s.log)
	c.blocking = s.cfg.Faults.BlockingWrites
	s.conns[c.id] = c
	s.core.open(c.id)
	s.wg.Add(2) // serveConn and its writer
	return c
}

// shutdown closes every connection and waits for their goroutines.
func (s *server) shutdown() {
	s.mu.Lock()
	s.closing = true
	for _, c := range s.conns {
		c.close("server shutting down")
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// serveConn runs one connection: its writer, its read loop, and, when it
// presents a connect id, its half of a bridge. A panic here is recovered and
// closes this connection only.
func (s *server) serveConn(c *conn) {
	defer s.wg.Done()
	defer s.recoverConn(c, "reader")
	defer s.unregister(c)
	go s.writeLoop(c)
	s.readLoop(c, s.newSource(c.nc))
}

// unregister tells the core the connection is gone and applies the result.
func (s *server) unregister(c *conn) {
	if !c.ending() {
		c.close("connection ended")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.core.closed(c.id)
	delete(s.conns, c.id)
	s.applyLocked(e)
}

// recoverConn turns a panic in a connection goroutine into a closed connection.
func (s *server) recoverConn(c *conn, where string) {
	if r := recover(); r != nil {
		s.log.Error("panic in connection goroutine", "conn", c.id, "goroutine", where,
			"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		c.close("internal error")
	}
}

// rawWrite is a frame to write straight to a bridge half, outside the lock.
type rawWrite struct {
	c     *conn
	frame []byte
}

// applyLocked carries out effects: frames to main connections are queued,
// frames to bridge halves are returned for the caller to write after
// unlocking, and connections are closed. s.mu must be held.
func (s *server) applyLocked(e effects) []rawWrite {
	var direct []rawWrite
	for _, d := range e.sends {
		frame := wire.Append(nil, d.pkt)
		for _, id := range d.to {
			switch c := s.conns[id]; {
			case c == nil:
			case c.bridge:
				direct = append(direct, rawWrite{c, frame})
			default:
				c.enqueue(frame)
			}
		}
	}
	for _, cl := range e.closes {
		if c := s.conns[cl.id]; c != nil {
			c.close(cl.reason)
		}
	}
	return direct
}
