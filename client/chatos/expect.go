package chatos

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// Matcher describes a packet a step waits for.
type Matcher struct {
	Want  []string // every form the check would accept, for the report
	Match func(wire.Packet) bool
}

// ExpectError is a wait that ended without a match: what was accepted, what
// arrived instead, and how long it waited.
type ExpectError struct {
	Conn   string
	Want   []string
	Got    []string
	Wait   time.Duration
	Reason error // ErrNoMatch, ErrClosed, ErrBadFrame, ErrByteCap
}

func (e *ExpectError) Error() string {
	got := "nothing"
	if len(e.Got) > 0 {
		got = strings.Join(e.Got, "; ")
	}
	return fmt.Sprintf("%s: expected %s; got %s (%v after %v)",
		e.Conn, strings.Join(e.Want, " or "), got, e.Reason, e.Wait.Round(time.Millisecond))
}

func (e *ExpectError) Unwrap() error { return e.Reason }

// Expect receives until a packet satisfies m or the wait runs out. Packets
// that do not match stay in the backlog for later waits, so concurrent
// traffic never makes a step miss its own packet.
func (c *Client) Expect(m Matcher, wait time.Duration) (wire.Packet, error) {
	if wait <= 0 {
		wait = c.opts.Timeout
	}
	start := time.Now()
	deadline := start.Add(wait)
	if p, ok := c.claim(m); ok {
		return p, nil
	}
	for {
		p, err := c.readOne(deadline)
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				err = ErrNoMatch
			}
			return nil, &ExpectError{Conn: c.Name, Want: shortened(m.Want), Got: c.unclaimed(), Wait: time.Since(start), Reason: err}
		}
		if m.Match(p) {
			c.unfile(p)
			return p, nil
		}
	}
}

// Take claims a packet already received that satisfies m, without reading
// or waiting: a check on the side of a long stream of other packets.
func (c *Client) Take(m Matcher) (wire.Packet, bool) { return c.claim(m) }

// ExpectNone receives for the whole wait and fails if a packet satisfying m
// arrives (or already arrived unclaimed). A close is not a failure here.
func (c *Client) ExpectNone(m Matcher, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	found := func(p wire.Packet) error {
		return fmt.Errorf("%s: received %s, which must not be delivered (it matches %s)",
			c.Name, transcript.Shorten(p.String()), strings.Join(shortened(m.Want), " or "))
	}
	if p, ok := c.claim(m); ok {
		return found(p)
	}
	for {
		p, err := c.readOne(deadline)
		if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, ErrClosed) {
			return nil
		}
		if err != nil {
			return err
		}
		if m.Match(p) {
			c.unfile(p)
			return found(p)
		}
	}
}

// ExpectClosed receives until the server closes the connection, ignoring
// packets, and fails if it is still open after wait.
func (c *Client) ExpectClosed(wait time.Duration) error {
	start := time.Now()
	deadline := start.Add(wait)
	for {
		_, err := c.readOne(deadline)
		switch {
		case errors.Is(err, ErrClosed):
			return nil
		case errors.Is(err, os.ErrDeadlineExceeded):
			return &ExpectError{Conn: c.Name, Want: []string{"the server closes the connection"},
				Got: c.unclaimed(), Wait: time.Since(start), Reason: ErrStillOpen}
		case err != nil:
			return c.closedAfterBadFrame(err, start, deadline)
		}
	}
}

// closedAfterBadFrame goes on waiting for the close once frames no longer
// decode, reading raw bytes: the connection closed if the server closes it
// before the deadline, and is still open if the wait or the byte cap runs
// out first (a cap is chatspec giving up, never a close).
func (c *Client) closedAfterBadFrame(frameErr error, start, deadline time.Time) error {
	if errors.Is(frameErr, ErrBadFrame) {
		err := c.WaitRawClosed(time.Until(deadline))
		if err == nil {
			c.markClosed()
			return nil
		}
		frameErr = err
	}
	return &ExpectError{Conn: c.Name, Want: []string{"the server closes the connection"},
		Got: append(c.unclaimed(), frameErr.Error()), Wait: time.Since(start), Reason: ErrStillOpen}
}

// markClosed records that the server closed the connection after a frame
// that did not decode.
func (c *Client) markClosed() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.err = fmt.Errorf("%w after %w", ErrClosed, c.err)
}

// Closed reports whether the server has closed the connection (as seen so far).
func (c *Client) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return errors.Is(c.err, ErrClosed)
}

// unfile removes the newest backlog entry, p, which a wait has just claimed.
func (c *Client) unfile(p wire.Packet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := len(c.backlog); n > 0 && c.backlog[n-1] == p {
		c.backlog = c.backlog[:n-1]
	}
}

func (c *Client) claim(m Matcher) (wire.Packet, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, p := range c.backlog {
		if m.Match(p) {
			c.backlog = append(c.backlog[:i], c.backlog[i+1:]...)
			return p, true
		}
	}
	return nil, false
}

// maxShown bounds how many unclaimed packets a failure lists.
const maxShown = 12

// unclaimed lists, bounded, what arrived and no wait claimed: the
// scenario's own packets (each shortened), then a count of the unrelated
// ones, then any bytes that did not decode.
func (c *Client) unclaimed() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, maxShown+3)
	own, unrelated := 0, 0
	for _, p := range c.backlog {
		switch {
		case c.opts.Unrelated != nil && c.opts.Unrelated(p):
			unrelated++
		case own < maxShown:
			out = append(out, transcript.Shorten(p.String()))
			own++
		default:
			own++
		}
	}
	if own > maxShown {
		out = append(out, fmt.Sprintf("... and %d more packets", own-maxShown))
	}
	if unrelated > 0 {
		out = append(out, fmt.Sprintf("and %d unrelated frames", unrelated))
	}
	if b := c.in.Buffered(); len(b) > 0 {
		out = append(out, fmt.Sprintf("%d undecoded bytes % x", len(b), b[:min(len(b), 64)]))
	}
	return out
}

// shortened bounds each of the forms a wait accepts (a refusal quoting a
// 64 KiB nickname) for a report.
func shortened(want []string) []string {
	out := make([]string, len(want))
	for i, w := range want {
		out[i] = transcript.Shorten(w)
	}
	return out
}
