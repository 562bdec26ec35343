package patchat

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// ioDeadline bounds every read a test makes.
const ioDeadline = 5 * time.Second

// testServer is a server on 127.0.0.1:0 for one test.
type testServer struct {
	addr string
	stop func() error // cancels and waits for Serve; returns its error
}

// startServer runs Serve with cfg (MinCost hashes unless set) until the test ends.
func startServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	if cfg.HashCost == 0 {
		cfg.HashCost = bcrypt.MinCost
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Serve(ctx, ln, cfg) }()
	stopped := false
	var result error
	stop := func() error {
		if stopped {
			return result
		}
		stopped = true
		cancel()
		select {
		case result = <-errc:
		case <-time.After(ioDeadline):
			result = errors.New("Serve did not return after cancel")
		}
		return result
	}
	t.Cleanup(func() { require.NoError(t, stop()) })
	return &testServer{addr: ln.Addr().String(), stop: stop}
}

// lineClient is a line-style test client; every read has a deadline.
type lineClient struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

func dialLine(t *testing.T, addr string) *lineClient {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = nc.Close() })
	return &lineClient{t: t, nc: nc, br: bufio.NewReader(nc)}
}

// greeted dials and reads the greeting.
func greeted(t *testing.T, addr string) *lineClient {
	c := dialLine(t, addr)
	c.expect("HELLO Pat Chat reference server; register USER PASS or login USER PASS")
	return c
}

// loggedIn dials, registers user with password "pw" and logs in.
func loggedIn(t *testing.T, addr, user string) *lineClient {
	c := greeted(t, addr)
	c.do("register "+user+" pw", "OK registered "+user)
	c.do("login "+user+" pw", "OK welcome "+user)
	c.expect("ROOM you are in Main Room")
	return c
}

func (c *lineClient) send(line string) {
	c.t.Helper()
	_ = c.nc.SetWriteDeadline(time.Now().Add(ioDeadline))
	_, err := c.nc.Write([]byte(line + "\n"))
	require.NoError(c.t, err)
}

// line reads one line (without "\n").
func (c *lineClient) line() string {
	c.t.Helper()
	s, err := c.readLine()
	require.NoError(c.t, err)
	return s
}

func (c *lineClient) readLine() (string, error) {
	_ = c.nc.SetReadDeadline(time.Now().Add(ioDeadline))
	s, err := c.br.ReadString('\n')
	return strings.TrimSuffix(s, "\n"), err
}

func (c *lineClient) expect(want string) {
	c.t.Helper()
	require.Equal(c.t, want, c.line())
}

// do sends line and expects the reply want.
func (c *lineClient) do(line, want string) {
	c.t.Helper()
	c.send(line)
	c.expect(want)
}

// expectClosed reads until EOF or reset, failing on a timeout or any line.
func (c *lineClient) expectClosed() {
	c.t.Helper()
	s, err := c.readLine()
	require.Error(c.t, err, "expected the connection to close, got %q", s)
	var ne net.Error
	require.False(c.t, errors.As(err, &ne) && ne.Timeout(), "timed out waiting for close")
}

// until sends line repeatedly until the reply matches want (each round trip
// paced by the server) or ioDeadline passes.
func (c *lineClient) until(line, want string) {
	c.t.Helper()
	end := time.Now().Add(ioDeadline)
	var got string
	for time.Now().Before(end) {
		c.send(line)
		if got = c.line(); got == want {
			return
		}
	}
	require.Equal(c.t, want, got, "never matched before the deadline")
}

// streamClient reads a stream with no line structure (menu style): expect
// accumulates bytes until a pattern matches, then consumes up to the match.
type streamClient struct {
	t   *testing.T
	nc  net.Conn
	buf []byte
}

func dialStream(t *testing.T, addr string) *streamClient {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = nc.Close() })
	return &streamClient{t: t, nc: nc}
}

func (c *streamClient) send(line string) {
	c.t.Helper()
	_ = c.nc.SetWriteDeadline(time.Now().Add(ioDeadline))
	_, err := c.nc.Write([]byte(line + "\n"))
	require.NoError(c.t, err)
}

// expect waits for pattern (a regexp anchored at the start of the unread
// stream) and returns its submatches.
func (c *streamClient) expect(pattern string) []string {
	c.t.Helper()
	re := regexp.MustCompile(`\A(?:` + pattern + `)`)
	_ = c.nc.SetReadDeadline(time.Now().Add(ioDeadline))
	tmp := make([]byte, 4096)
	for {
		if m := re.FindSubmatchIndex(c.buf); m != nil {
			out := make([]string, len(m)/2)
			for i := range out {
				if m[2*i] >= 0 {
					out[i] = string(c.buf[m[2*i]:m[2*i+1]])
				}
			}
			c.buf = c.buf[m[1]:]
			return out
		}
		n, err := c.nc.Read(tmp)
		c.buf = append(c.buf, tmp[:n]...)
		require.NoError(c.t, err, "waiting for %q, have %q", pattern, c.buf)
	}
}

// do sends line and expects pattern.
func (c *streamClient) do(line, pattern string) []string {
	c.t.Helper()
	c.send(line)
	return c.expect(pattern)
}

func contextBackground() context.Context { return context.Background() }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
