package chatos

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// probeSeq makes every probe's nicknames and text unique within a process.
var probeSeq atomic.Uint64

// probeConn is one logged-in probe client.
type probeConn struct {
	nc   net.Conn
	rd   *wire.Reader
	nick string
}

// probe: two fresh clients log in; the first sends a public message, which
// the second must receive (COP-3.6-1) before ctx ends. Both logins go out
// before either answer is awaited: one round trip fewer, and a probe's
// connections are counted among the run's.
func probe(ctx context.Context, addr string) error {
	n := probeSeq.Add(1)
	salt := uint32(time.Now().UnixNano())
	a, err := probeLogin(ctx, addr, fmt.Sprintf("pa%x%x", salt, n))
	if err != nil {
		return err
	}
	defer a.nc.Close()
	b, err := probeLogin(ctx, addr, fmt.Sprintf("pb%x%x", salt, n))
	if err != nil {
		return err
	}
	defer b.nc.Close()
	for _, c := range []*probeConn{a, b} {
		if err := c.await("login answer", isAccepted); err != nil {
			return err
		}
	}
	text := fmt.Sprintf("probe %d", n)
	if _, err := a.nc.Write(wire.MustEncode(wire.PublicMessage{From: a.nick, Text: text})); err != nil {
		return fuzz.ProbeNetError("send public message", err)
	}
	return b.await("public message", func(p wire.Packet) bool {
		m, ok := p.(wire.PublicMessage)
		return ok && m.Text == text
	})
}

// isAccepted matches the login answer a probe waits for.
func isAccepted(p wire.Packet) bool {
	_, ok := p.(wire.LoginAccepted)
	return ok
}

// probeLogin connects and sends a login with nick; the answer is awaited by the caller.
func probeLogin(ctx context.Context, addr, nick string) (*probeConn, error) {
	d := net.Dialer{KeepAlive: -1} // a probe lasts milliseconds
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fuzz.ProbeNetError("connect", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = nc.SetDeadline(dl)
	}
	c := &probeConn{nc: nc, rd: wire.NewReader(nc, maxServerString), nick: nick}
	if _, err := nc.Write(wire.MustEncode(wire.Login{Nick: nick})); err != nil {
		nc.Close()
		return nil, fuzz.ProbeNetError("send login", err)
	}
	return c, nil
}

// await reads frames until want matches one; a login refusal, a bad frame,
// the end of the stream or the deadline is an error.
func (c *probeConn) await(what string, want func(wire.Packet) bool) error {
	for {
		p, _, err := c.rd.Next()
		var fe *wire.FrameError
		switch {
		case errors.As(err, &fe):
			return fmt.Errorf("%w: waiting for %s: %v", fuzz.ErrProbeReply, what, err)
		case err != nil:
			return fuzz.ProbeNetError("waiting for "+what, err)
		case want(p):
			return nil
		}
		if r, ok := p.(wire.LoginRefused); ok && r.Nick == c.nick {
			return fmt.Errorf("%w: fresh nickname %q refused", fuzz.ErrProbeReply, c.nick)
		}
	}
}
