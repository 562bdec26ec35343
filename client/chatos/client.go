// Package chatos is chatspec's scripted ChatOS client for servers that may be
// hostile: every read has a deadline and a byte cap, every frame in or out is
// written to a transcript, and waits are "receive until matched or deadline",
// never sleeps.
package chatos

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// Errors a step can test with errors.Is.
var (
	// ErrNoMatch: nothing matching arrived before the deadline.
	ErrNoMatch = errors.New("expected packet did not arrive")
	// ErrClosed: the server closed the connection.
	ErrClosed = errors.New("connection closed by the server")
	// ErrBadFrame: the server sent bytes that do not decode (COP-3.1-1).
	ErrBadFrame = errors.New("server sent an undecodable frame")
	// ErrByteCap: the server sent more than the client's byte cap.
	ErrByteCap = errors.New("server sent more bytes than the cap")
	// ErrStillOpen: the connection was expected to close but stayed open.
	ErrStillOpen = errors.New("connection still open")
)

// DefaultByteCap bounds what one connection may receive in a scenario.
const DefaultByteCap = 64 << 20

// DefaultMaxFrame bounds one frame the server sends. It is far above the
// largest frame chatspec itself sends (a 64 KiB nickname, COP-2.1-2), so any
// reply that carries back what chatspec sent decodes: chatspec's own limits
// never fail a server.
const DefaultMaxFrame = 1 << 20

// Options tune a client.
type Options struct {
	MaxFrame int           // cap on one received frame (DefaultMaxFrame when 0)
	ByteCap  int64         // cap on bytes received (DefaultByteCap when 0)
	Timeout  time.Duration // default wait for Expect (2 s when 0)
	// Unrelated tells other scenarios' traffic (a public message between
	// two other clients) from this one's: a failure lists only the rest and
	// counts these. Nil: every packet is listed.
	Unrelated func(wire.Packet) bool
}

// Client is one TCP connection to the server under test.
type Client struct {
	Name string
	conn net.Conn
	log  *transcript.Log
	opts Options
	in   *wire.Reader
	cnt  *countingConn

	mu      sync.Mutex
	backlog []wire.Packet // received, not yet claimed by an Expect
	all     []wire.Packet // everything received, for reports
	err     error         // sticky: closed, bad frame, cap
	bridge  *presented    // the connect id this connection presented, if any
}

// Dial connects to addr. name labels the connection in the transcript.
func Dial(ctx context.Context, addr, name string, log *transcript.Log, opts Options) (*Client, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Second
	}
	if opts.ByteCap <= 0 {
		opts.ByteCap = DefaultByteCap
	}
	if opts.MaxFrame <= 0 {
		opts.MaxFrame = DefaultMaxFrame
	}
	d := net.Dialer{Timeout: opts.Timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		log.Notef(name, "connect to %s failed: %v", addr, err)
		return nil, fmt.Errorf("connect %s: %w", addr, err)
	}
	log.Notef(name, "connected to %s", addr)
	cnt := &countingConn{Conn: conn, cap: opts.ByteCap}
	return &Client{Name: name, conn: conn, log: log, opts: opts, cnt: cnt,
		in: wire.NewReader(cnt, opts.MaxFrame)}, nil
}

// Timeout is the client's default wait.
func (c *Client) Timeout() time.Duration { return c.opts.Timeout }

// Send encodes and writes one packet. Messages and logins also go into the
// transcript's typed events, for the history checker.
func (c *Client) Send(p wire.Packet) error {
	recordSend(c.log, c.Name, p)
	return c.write(wire.Append(nil, p), p.String())
}

// SendRaw writes bytes as they are; desc says what they are in the transcript.
func (c *Client) SendRaw(b []byte, desc string) error {
	c.log.Raw(c.Name, b)
	return c.write(b, desc)
}

// write sends bytes and logs them.
func (c *Client) write(b []byte, desc string) error {
	c.log.Add(c.Name, transcript.Sent, b, desc)
	_ = c.conn.SetWriteDeadline(time.Now().Add(c.opts.Timeout))
	if _, err := c.conn.Write(b); err != nil {
		c.log.Notef(c.Name, "write failed: %v", err)
		return fmt.Errorf("%s: write: %w", c.Name, err)
	}
	return nil
}

// SendBytewise writes b one byte per Write call, so the server sees the frame
// split at every boundary (COP-3.1-2).
func (c *Client) SendBytewise(b []byte, desc string) error {
	c.log.Raw(c.Name, b)
	c.log.Add(c.Name, transcript.Sent, b, desc+" (one byte per write)")
	for i := range b {
		_ = c.conn.SetWriteDeadline(time.Now().Add(c.opts.Timeout))
		if _, err := c.conn.Write(b[i : i+1]); err != nil {
			c.log.Notef(c.Name, "write of byte %d failed: %v", i, err)
			return fmt.Errorf("%s: write: %w", c.Name, err)
		}
	}
	return nil
}

// Close closes the connection.
func (c *Client) Close() error {
	c.drain()
	c.log.Notef(c.Name, "closed by chatspec")
	c.log.Identity(c.Name, transcript.EvEnd, "", "")
	err := c.conn.Close()
	c.log.Identity(c.Name, transcript.EvEnded, "", "")
	return err
}

// drainWait bounds how long Close reads what the server already sent.
const drainWait = 10 * time.Millisecond

// maxDrained bounds the packets Close reads.
const maxDrained = 256

// drain reads the packets that have already arrived (briefly, bounded), so
// the transcript and the history checker see a copy sent after the one a
// step waited for.
func (c *Client) drain() {
	deadline := time.Now().Add(drainWait)
	for range maxDrained {
		if _, err := c.readOne(deadline); err != nil {
			return
		}
	}
}

// Conn exposes the raw connection, for a bridged private connection.
func (c *Client) Conn() net.Conn { return c.conn }

// Received returns every packet received so far, claimed or not.
func (c *Client) Received() []wire.Packet {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]wire.Packet(nil), c.all...)
}

// readOne reads one packet before deadline and files it in the backlog.
func (c *Client) readOne(deadline time.Time) (wire.Packet, error) {
	c.mu.Lock()
	err := c.err
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	_ = c.conn.SetReadDeadline(deadline)
	p, raw, err := c.in.Next()
	if err == nil && len(raw) > c.opts.MaxFrame {
		err = fmt.Errorf("%w: a %d-byte frame, above the client's %d", wire.ErrFrameTooLarge, len(raw), c.opts.MaxFrame)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case err == nil:
		c.log.AddDecoded(c.Name, transcript.Received, raw, p)
		recordReceive(c.log, c.Name, p)
		c.recordEstablished(p)
		c.backlog = append(c.backlog, p)
		c.all = append(c.all, p)
		return p, nil
	case errors.Is(err, os.ErrDeadlineExceeded):
		return nil, err
	case errors.Is(err, errCap):
		c.err = fmt.Errorf("%w (%d bytes)", ErrByteCap, c.opts.ByteCap)
	case errors.Is(err, io.EOF) || isReset(err):
		c.err = ErrClosed
		c.log.Identity(c.Name, transcript.EvEnded, "", "")
	default:
		c.err = fmt.Errorf("%w: %v", ErrBadFrame, err)
		c.log.Add(c.Name, transcript.Received, c.in.Buffered(), "undecodable: "+err.Error())
		return nil, c.err
	}
	c.log.Notef(c.Name, "%v", c.err)
	return nil, c.err
}

func isReset(err error) bool {
	return errors.Is(err, net.ErrClosed) || strings.Contains(err.Error(), "connection reset")
}

// Err returns the connection's sticky error: closed, bad frame or byte cap.
func (c *Client) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// LocalAddr is the client side of the connection, as the server sees it.
func (c *Client) LocalAddr() net.Addr { return c.conn.LocalAddr() }
