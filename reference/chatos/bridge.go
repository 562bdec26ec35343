package chatos

import (
	"io"
	"time"
)

const (
	// maxEarlyBytes bounds what a bridge half may send before its 11; those
	// bytes are kept and relayed once the peer arrives.
	maxEarlyBytes = 64 << 10
	// relayChunk is the relay's read size.
	relayChunk = 32 << 10
)

// awaitPeer holds the first half of a private connection until the second
// presents the same id (opened wakes it), the client leaves, or IdleTimeout
// passes. It keeps reading meanwhile, so a client that hangs up is noticed.
func (s *server) awaitPeer(c *conn, src frameSource) {
	_ = c.nc.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout))
	var early []byte
	buf := make([]byte, 4096)
	for {
		if peer := c.peer.Load(); peer != nil {
			select {
			case <-c.ready:
				s.relay(c, peer, src, early)
			case <-c.done:
			}
			return
		}
		n, err := src.Read(buf)
		if early = append(early, buf[:n]...); len(early) > maxEarlyBytes {
			c.close("too many bytes before 11")
			return
		}
		if err != nil && c.peer.Load() == nil {
			c.close("waiting for bridge peer: " + describe(err))
			return
		}
	}
}

// pairLocked links two bridge halves as soon as the core pairs them, so a
// waiter that sees its client hang up right after 11 still relays what came
// before. Neither half relays until ready is closed by opened. s.mu is held.
func (s *server) pairLocked(c, waiter *conn) {
	ready := make(chan struct{})
	c.ready = ready
	if waiter == nil {
		close(ready)
		c.close("bridge peer vanished")
		return
	}
	waiter.ready = ready
	c.peer.Store(waiter)
	waiter.peer.Store(c)
}

// opened runs once both 11s are written: it lets both halves relay and wakes
// the waiter out of its read by moving its read deadline to now.
func (s *server) opened(c, waiter *conn) {
	close(c.ready)
	if waiter != nil {
		_ = waiter.nc.SetReadDeadline(time.Now())
	}
}

// relay copies raw bytes from c to peer, unparsed (A10), until either side
// closes or the bridge carries nothing either way for IdleTimeout; then it
// closes both halves. Each half runs one direction.
func (s *server) relay(c, peer *conn, src io.Reader, early []byte) {
	if !s.cfg.Faults.BridgeOutlivesPeer {
		defer peer.close("bridge peer closed")
	}
	defer c.close("bridge ended")
	c.touch()
	if len(early) > 0 && !s.forward(c, peer, early) {
		return
	}
	buf := make([]byte, relayChunk)
	for {
		_ = c.nc.SetReadDeadline(time.Now().Add(s.cfg.IdleTimeout))
		n, err := src.Read(buf)
		if n > 0 && !s.forward(c, peer, buf[:n]) {
			return
		}
		if err != nil && !(describe(err) == "timeout" && c.recentlyActive(s.cfg.IdleTimeout)) {
			return
		}
	}
}

// forward writes relayed bytes to the peer, reporting success.
func (s *server) forward(c, peer *conn, b []byte) bool {
	if s.cfg.Faults.BridgeAltersBytes {
		upperASCII(b)
	}
	c.touch()
	peer.touch()
	return peer.writeRaw(b) == nil
}

// upperASCII is the BridgeAltersBytes fault: the relay "normalises" text.
func upperASCII(b []byte) {
	for i, x := range b {
		if 'a' <= x && x <= 'z' {
			b[i] = x - 'a' + 'A'
		}
	}
}

func (c *conn) touch() { c.active.Store(time.Now().UnixNano()) }

// recentlyActive reports whether the bridge moved bytes within d.
func (c *conn) recentlyActive(d time.Duration) bool {
	return time.Since(time.Unix(0, c.active.Load())) < d
}
