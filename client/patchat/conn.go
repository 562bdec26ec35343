package patchat

import (
	"bytes"
	"fmt"
	"net"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chatspec/chatspec/transcript"
)

// maxKept bounds the received bytes a connection keeps for "does not
// receive" checks, so a chatty server cannot grow a scenario without bound.
const maxKept = 4 << 20

// maxProblems bounds the text problems (PAT-3-3) a connection remembers.
const maxProblems = 5

// logConn wraps a connection so that every read has a deadline, every byte
// sent and received goes into the transcript (when there is one), the
// received bytes are kept (bounded) for negative checks, and the server's
// text is checked as it arrives: valid UTF-8, no NUL, no control byte other
// than tab, newline and carriage return (PAT-3-3, PAT-R-2 as read in P9).
type logConn struct {
	net.Conn
	name    string
	log     *transcript.Log // nil: no transcript
	timeout time.Duration   // deadline of each read

	mu       sync.Mutex
	received []byte // the first maxKept bytes received
	total    int    // bytes received in all
	carry    []byte // an incomplete UTF-8 sequence at the end of the last read
	problems []string
	found    int // problems found, including those not kept
}

func newLogConn(c net.Conn, name string, log *transcript.Log, timeout time.Duration) *logConn {
	return &logConn{Conn: c, name: name, log: log, timeout: timeout}
}

// Read waits at most the timeout and records what the server sent.
func (c *logConn) Read(p []byte) (int, error) {
	_ = c.Conn.SetReadDeadline(time.Now().Add(c.timeout))
	n, err := c.Conn.Read(p)
	if n > 0 {
		if c.log != nil {
			c.log.Add(c.name, transcript.Received, p[:n], quote(p[:n]))
		}
		c.keep(p[:n])
	}
	return n, err
}

// Write records what chatspec sends, before sending it, so the transcript
// never shows a reply ahead of its request.
func (c *logConn) Write(p []byte) (int, error) {
	if c.log == nil {
		return c.Conn.Write(p)
	}
	c.log.Add(c.name, transcript.Sent, p, quote(p))
	c.log.Raw(c.name, p)
	n, err := c.Conn.Write(p)
	if err != nil {
		c.log.Notef(c.name, "write failed after %d of %d bytes: %v", n, len(p), err)
	}
	return n, err
}

// quote renders bytes for the transcript, cutting long writes short.
func quote(b []byte) string {
	const head = 200
	if len(b) <= head {
		return transcript.Quote(b)
	}
	return fmt.Sprintf("%s... (%d bytes)", transcript.Quote(b[:head]), len(b))
}

// keep stores received bytes and checks that they are text.
func (c *logConn) keep(p []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := maxKept - len(c.received); room > 0 {
		c.received = append(c.received, p[:min(room, len(p))]...)
	}
	buf := append(c.carry, p...)
	c.carry = nil
	for i := 0; i < len(buf); {
		r, size := utf8.DecodeRune(buf[i:])
		switch {
		case r == utf8.RuneError && size <= 1 && !utf8.FullRune(buf[i:]):
			c.carry = append([]byte(nil), buf[i:]...) // finished by the next read
			i = len(buf)
			continue
		case r == utf8.RuneError && size <= 1:
			c.problem(c.total+i-len(buf)+len(p), "invalid UTF-8 byte 0x%02x", buf[i])
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7f:
			c.problem(c.total+i-len(buf)+len(p), "control byte 0x%02x", r)
		}
		i += size
	}
	c.total += len(p)
}

// problem records one text problem at a stream offset; the caller holds mu.
func (c *logConn) problem(at int, format string, args ...any) {
	c.found++
	if len(c.problems) < maxProblems {
		c.problems = append(c.problems, fmt.Sprintf("byte %d: %s", max(at, 0), fmt.Sprintf(format, args...)))
	}
}

// problemList returns the text problems found so far.
func (c *logConn) problemList() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append([]string(nil), c.problems...)
	if c.found > len(out) {
		out = append(out, fmt.Sprintf("and %d more", c.found-len(out)))
	}
	return out
}

// saw reports whether token appears anywhere in what was received, and the
// received text around it.
func (c *logConn) saw(token string) (bool, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := bytes.Index(c.received, []byte(token))
	if i < 0 {
		return false, ""
	}
	from, to := max(i-60, 0), min(i+len(token)+60, len(c.received))
	return true, transcript.Quote(c.received[from:to])
}
