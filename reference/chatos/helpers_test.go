package chatos

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitFor is the deadline of one whole expectation: generous, since it is
// only reached when a test is about to fail.
const waitFor = 5 * time.Second

// testServer is a real server on 127.0.0.1:0.
type testServer struct {
	addr   string
	cancel context.CancelFunc
	done   chan error
}

// start runs Serve with DefaultConfig changed by tweaks; it stops at cleanup.
func start(t *testing.T, tweaks ...func(*Config)) *testServer {
	t.Helper()
	cfg := DefaultConfig()
	for _, f := range tweaks {
		f(&cfg)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{addr: ln.Addr().String(), cancel: cancel, done: make(chan error, 1)}
	go func() { ts.done <- Serve(ctx, ln, cfg) }()
	t.Cleanup(func() { assert.NoError(t, ts.stop()) })
	return ts
}

// stop cancels the server and waits for Serve to return.
func (ts *testServer) stop() error {
	ts.cancel()
	select {
	case err := <-ts.done:
		ts.done <- err // a second stop sees the same result
		return err
	case <-time.After(waitFor):
		return errors.New("Serve did not return after cancel")
	}
}

func withFaults(f Faults) func(*Config) { return func(c *Config) { c.Faults = f } }

// client is one test connection with a frame reader on it.
type client struct {
	t    *testing.T
	name string
	nc   net.Conn
	r    *wire.Reader
}

func (ts *testServer) dial(t *testing.T, name string) *client {
	t.Helper()
	nc, err := net.DialTimeout("tcp", ts.addr, waitFor)
	require.NoError(t, err)
	t.Cleanup(func() { nc.Close() })
	return &client{t: t, name: name, nc: nc, r: wire.NewReader(nc, 1<<20)}
}

// login dials and logs in as nick, failing the test unless 1 comes back.
func (ts *testServer) login(t *testing.T, nick string) *client {
	t.Helper()
	c := ts.dial(t, nick)
	c.send(wire.Login{Nick: nick})
	c.expect("login accepted", equal(wire.LoginAccepted{Nick: nick}))
	return c
}

func (c *client) send(p wire.Packet) { c.t.Helper(); c.write(wire.Append(nil, p)) }

func (c *client) write(b []byte) {
	c.t.Helper()
	require.NoError(c.t, c.nc.SetWriteDeadline(time.Now().Add(waitFor)))
	_, err := c.nc.Write(b)
	require.NoError(c.t, err, "%s: write", c.name)
}

// matcher selects the packet an expectation waits for.
type matcher func(wire.Packet) bool

func equal(want wire.Packet) matcher { return func(p wire.Packet) bool { return p == want } }

// is matches any packet of type T that satisfies ok (nil: any of type T).
func is[T wire.Packet](ok func(T) bool) matcher {
	return func(p wire.Packet) bool {
		v, typed := p.(T)
		return typed && (ok == nil || ok(v))
	}
}

// next reads one packet before the deadline.
func (c *client) next(deadline time.Time) (wire.Packet, error) {
	_ = c.nc.SetReadDeadline(deadline)
	p, _, err := c.r.Next()
	return p, err
}

// expect receives until a packet matches or the deadline passes, skipping
// unrelated packets; it fails the test with what it saw otherwise.
func (c *client) expect(what string, m matcher) wire.Packet {
	c.t.Helper()
	deadline := time.Now().Add(waitFor)
	var seen []string
	for {
		p, err := c.next(deadline)
		if err != nil {
			c.t.Fatalf("%s: waiting for %s: %v (skipped: %s)", c.name, what, err, strings.Join(seen, "; "))
		}
		if m(p) {
			return p
		}
		seen = append(seen, p.String())
	}
}

// expectBefore receives until marker matches, failing if forbidden matches first.
func (c *client) expectBefore(what string, marker, forbidden matcher) {
	c.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		p, err := c.next(deadline)
		require.NoError(c.t, err, "%s: waiting for %s", c.name, what)
		require.False(c.t, forbidden(p), "%s: got %v before %s", c.name, p, what)
		if marker(p) {
			return
		}
	}
}

// expectClosed receives (skipping packets) until the server closes the
// connection; still being open at the deadline fails the test.
func (c *client) expectClosed() {
	c.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		_, err := c.next(deadline)
		if err == nil {
			continue
		}
		require.False(c.t, errors.Is(err, os.ErrDeadlineExceeded), "%s: still open after %v", c.name, waitFor)
		return
	}
}

// expectSilentClose is expectClosed for a connection that must receive
// nothing at all before it is closed.
func (c *client) expectSilentClose() {
	c.t.Helper()
	p, err := c.next(time.Now().Add(waitFor))
	require.Error(c.t, err, "%s: received %v", c.name, p)
	require.False(c.t, errors.Is(err, os.ErrDeadlineExceeded), "%s: still open after %v", c.name, waitFor)
}

// closedOrRefused is expectClosed that also accepts a 2 for nick.
func (c *client) closedOrRefused(nick string) bool {
	c.t.Helper()
	p, err := c.next(time.Now().Add(waitFor))
	if err == nil {
		require.Equal(c.t, wire.LoginRefused{Nick: nick}, p)
		return false
	}
	require.False(c.t, errors.Is(err, os.ErrDeadlineExceeded), "%s: neither refused nor closed", c.name)
	return true
}

// readRaw reads exactly n raw bytes (a bridge), before the deadline.
func (c *client) readRaw(n int) []byte {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(waitFor))
	buf := make([]byte, n)
	_, err := io.ReadFull(c.r, buf)
	require.NoError(c.t, err, "%s: reading %d raw bytes", c.name, n)
	return buf
}

// marker sends a public message from c and waits for each observer to see
// it: what was sent before it has been handled.
func (c *client) marker(text string, observers ...*client) {
	c.t.Helper()
	c.send(wire.PublicMessage{From: c.name, Text: text})
	for _, o := range observers {
		o.expect("marker "+text, equal(wire.PublicMessage{From: c.name, Text: text}))
	}
}

// negotiate has a ask b for a private connection, b accept it, and returns
// the id both received in 9.
func negotiate(t *testing.T, a, b *client) int64 {
	t.Helper()
	a.send(wire.PrivateRequest{From: a.name, To: b.name})
	b.expect("request", equal(wire.PrivateRequest{From: a.name, To: b.name}))
	b.send(wire.PrivateAccept{From: a.name, To: b.name})
	a.expect("acceptance", equal(wire.PrivateAccept{From: a.name, To: b.name}))
	ida := a.expect("connect id", is[wire.ConnectID](nil)).(wire.ConnectID)
	idb := b.expect("connect id", is[wire.ConnectID](nil)).(wire.ConnectID)
	require.Equal(t, ida, idb)
	require.Equal(t, wire.ConnectID{From: a.name, To: b.name, ID: ida.ID}, ida)
	return ida.ID
}

// present dials a new connection that presents id (10).
func (ts *testServer) present(t *testing.T, name string, id int64) *client {
	t.Helper()
	c := ts.dial(t, name)
	c.send(wire.PresentID{ID: id})
	return c
}

// bridged logs in two users, negotiates, and opens both bridge halves.
func bridged(t *testing.T, ts *testServer, a, b string) (x, y *client) {
	t.Helper()
	ca, cb := ts.login(t, a), ts.login(t, b)
	id := negotiate(t, ca, cb)
	x = ts.present(t, a+"-bridge", id)
	y = ts.present(t, b+"-bridge", id)
	x.expect("established", equal(wire.Established{}))
	y.expect("established", equal(wire.Established{}))
	return x, y
}

// waitLogin logs in as nick on a new connection, retrying the login while it
// is refused (a nickname is released asynchronously after a disconnect).
func waitLogin(t *testing.T, ts *testServer, nick string) *client {
	t.Helper()
	c := ts.dial(t, nick)
	for deadline := time.Now().Add(waitFor); time.Now().Before(deadline); {
		c.send(wire.Login{Nick: nick})
		p := c.expect("answer to login", is[wire.Packet](nil))
		if p == (wire.LoginAccepted{Nick: nick}) {
			return c
		}
		require.Equal(t, wire.LoginRefused{Nick: nick}, p)
	}
	t.Fatalf("nickname %q never released", nick)
	return nil
}
