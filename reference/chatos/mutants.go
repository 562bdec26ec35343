package chatos

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"sync"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// This file holds the pieces of the fault switches that do not fit in one
// line of the code they break. None runs unless its fault is on.

// ErrExited is what Serve returns after an Exit* fault stopped the server:
// from outside it looks like a process that died.
var ErrExited = errors.New("chatos: server exited")

// exit stops the whole server as a crashed process would: the listener and
// every connection close. Serve then returns ErrExited.
func (s *server) exit(why string) {
	s.mu.Lock()
	if s.exited == "" {
		s.exited = why
	}
	ln := s.ln
	s.mu.Unlock()
	s.log.Error("server exiting (fault)", "why", why)
	if ln != nil {
		_ = ln.Close()
	}
}

func (s *server) exitReason() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.exited
}

// exitFault is the Exit* faults on a read error: an unhandled opcode, an
// allocation of an announced length, an unexpected end of stream.
func (s *server) exitFault(err error, src frameSource) {
	f := s.cfg.Faults
	b, ok := src.(interface{ Buffered() []byte })
	inFrame := ok && len(b.Buffered()) > 0 && wire.Token(err) == "other"
	switch {
	case f.ExitOnHalfFrame && inFrame:
		s.exit("connection lost inside a frame: unexpected EOF")
	case f.ExitOnUnknownOpcode && errors.Is(err, wire.ErrUnknownOpcode):
		s.exit("unknown opcode: no case for it")
	case f.ExitOnLongString && errors.Is(err, wire.ErrFrameTooLarge):
		s.exit("string length over the internal limit: allocation failed")
	case f.ExitOnHalfFrame && errors.Is(err, wire.ErrTruncated):
		s.exit("end of stream inside a frame: unexpected EOF")
	}
}

// audience is who receives a public message: every logged-in client but
// except, and with PublicToAnonymous every connection not yet logged in too.
func (c *core) audience(except clientID) []clientID {
	ids := c.memberIDs(except)
	if !c.rules.faults.PublicToAnonymous {
		return ids
	}
	for id, s := range c.sessions {
		if s.nick == "" && s.kind != kindBridge && id != except {
			ids = append(ids, id)
		}
	}
	return ids
}

// answerDropped is AcceptNotForwarded and RefusalNotForwarded.
func (c *core) answerDropped(accept bool) bool {
	f := c.rules.faults
	return accept && f.AcceptNotForwarded || !accept && f.RefusalNotForwarded
}

// strayWaiter is UnknownIDJoinsWaiting and SpentIDJoinsWaiting: an id
// that matches no open ticket is paired with any ticket whose first half is
// waiting, the "look up the pending bridge" shortcut.
func (c *core) strayWaiter(t *ticket, ok bool) (int64, *ticket) {
	f := c.rules.faults
	unknown := f.UnknownIDJoinsWaiting && !ok
	spent := f.SpentIDJoinsWaiting && ok && t.state == ticketBridged
	if !unknown && !spent {
		return 0, nil
	}
	for id, w := range c.tickets {
		if w.state == ticketWaiting {
			return id, w
		}
	}
	return 0, nil
}

// lockedSource is PartialFrameBlocksAll: a server-wide lock is taken when a
// frame's first bytes arrive and released when it is complete, so one
// client holding half a frame stalls every other reader.
type lockedSource struct {
	*wire.Reader
	lr *lockingReader
}

func newLockedSource(src io.Reader, mu *sync.Mutex, maxString int) *lockedSource {
	lr := &lockingReader{src: src, mu: mu}
	return &lockedSource{Reader: wire.NewReader(lr, maxString), lr: lr}
}

func (l *lockedSource) Next() (wire.Packet, []byte, error) {
	l.lr.inNext = true
	defer l.lr.release()
	return l.Reader.Next()
}

// lockingReader takes the lock after the first bytes of a frame are read.
type lockingReader struct {
	src          io.Reader
	mu           *sync.Mutex
	inNext, held bool
}

func (r *lockingReader) Read(p []byte) (int, error) {
	n, err := r.src.Read(p)
	if n > 0 && r.inNext && !r.held {
		r.mu.Lock()
		r.held = true
	}
	return n, err
}

func (r *lockingReader) release() {
	r.inNext = false
	if r.held {
		r.held = false
		r.mu.Unlock()
	}
}

// skippingSource is Opcode12Extension (12 followed by a String is a private
// extension, skipped) and IgnoreUnknownOpcode (an undefined opcode byte is
// skipped): the connection is kept open instead of closed.
type skippingSource struct {
	r         *wire.Reader
	src       io.Reader
	maxString int
	faults    Faults
}

func (k *skippingSource) Next() (wire.Packet, []byte, error) {
	for {
		p, raw, err := k.r.Next()
		var fe *wire.FrameError
		if err == nil || !errors.Is(err, wire.ErrUnknownOpcode) || !errors.As(err, &fe) {
			return p, raw, err
		}
		rest, err := k.skip(fe.Op, k.r.Buffered())
		if err != nil {
			return nil, nil, err
		}
		k.r = wire.NewReader(io.MultiReader(bytes.NewReader(rest), k.src), k.maxString)
	}
}

// skip drops the unknown frame at the start of b, reading more if needed.
func (k *skippingSource) skip(op wire.Opcode, b []byte) ([]byte, error) {
	if op != 12 || !k.faults.Opcode12Extension {
		if !k.faults.IgnoreUnknownOpcode {
			return nil, &wire.FrameError{Op: op, Err: wire.ErrUnknownOpcode}
		}
		return b[1:], nil
	}
	b, err := k.fill(b, 5)
	if err != nil {
		return nil, err
	}
	n := int(int32(binary.BigEndian.Uint32(b[1:])))
	if n < 0 || n > k.maxString {
		return nil, &wire.FrameError{Op: op, Err: wire.ErrFrameTooLarge}
	}
	if b, err = k.fill(b, 5+n); err != nil {
		return nil, err
	}
	return b[5+n:], nil
}

func (k *skippingSource) fill(b []byte, n int) ([]byte, error) {
	if len(b) >= n {
		return b, nil
	}
	more := make([]byte, n-len(b))
	_, err := io.ReadFull(k.src, more)
	return append(b, more...), err
}

func (k *skippingSource) Read(p []byte) (int, error) { return k.r.Read(p) }
