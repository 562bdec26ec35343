package chatos

import (
	"context"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The connection limit: the next connection is closed at once, with no byte;
// once a slot frees, a new client gets in.
func TestConnectionLimit(t *testing.T) {
	ts := start(t, func(c *Config) { c.MaxConns = 2 })
	alice := ts.login(t, "alice")
	ts.login(t, "bob")
	ts.dial(t, "third").expectSilentClose()
	alice.nc.Close()
	for deadline := time.Now().Add(waitFor); time.Now().Before(deadline); {
		c := ts.dial(t, "carol")
		c.send(wire.Login{Nick: "carol"})
		if p, err := c.next(time.Now().Add(waitFor)); err == nil {
			require.Equal(t, wire.LoginAccepted{Nick: "carol"}, p)
			return
		}
		c.nc.Close()
	}
	t.Fatal("no slot freed after a client left")
}

// COP-5-2: idle connections are disconnected: logged in, not logged in, and
// a bridge half waiting for its peer.
func TestIdleTimeout(t *testing.T) {
	ts := start(t, func(c *Config) { c.IdleTimeout = 200 * time.Millisecond })
	ts.login(t, "idle").expectClosed()
	ts.dial(t, "silent").expectSilentClose()
	// A partial frame does not count as activity.
	partial := ts.dial(t, "partial")
	partial.write([]byte{0, 0, 0})
	partial.expectSilentClose()
}

// pipeServer is a server with two owners that live only in the core (no
// sockets, so they never time out) and one connect id issued to them.
func pipeServer(t *testing.T, idle time.Duration) (*server, int64) {
	t.Helper()
	cfg := DefaultConfig()
	cfg.IdleTimeout = idle
	s, err := newServer(cfg)
	require.NoError(t, err)
	t.Cleanup(s.shutdown)
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, nick := range map[clientID]string{1001: "alice", 1002: "bob"} {
		s.core.open(id)
		s.core.receive(id, wire.Login{Nick: nick})
	}
	s.core.receive(1001, wire.PrivateRequest{To: "bob"})
	e := s.core.receive(1002, wire.PrivateAccept{From: "alice", To: "bob"})
	require.Len(t, e.sends, 2)
	return s, e.sends[1].pkt.(wire.ConnectID).ID
}

// presentPipe connects a net.Pipe half to s and presents id on it.
func presentPipe(t *testing.T, s *server, id int64) net.Conn {
	t.Helper()
	cli, srv := net.Pipe()
	t.Cleanup(func() { cli.Close() })
	c := s.admit(srv)
	require.NotNil(t, c)
	go s.serveConn(c)
	require.NoError(t, cli.SetDeadline(time.Now().Add(waitFor)))
	_, err := cli.Write(wire.Append(nil, wire.PresentID{ID: id}))
	require.NoError(t, err)
	return cli
}

// expectPipeEOF reads until the server closes the pipe; our own deadline
// firing first fails the test.
func expectPipeEOF(t *testing.T, cli net.Conn) {
	t.Helper()
	_, err := io.Copy(io.Discard, cli)
	if err == nil {
		return
	}
	assert.ErrorIs(t, err, io.ErrClosedPipe, "closed by the server, not by our deadline")
}

// A bridge half waiting for its peer is closed after IdleTimeout.
func TestIdleTimeoutBridgeWaiter(t *testing.T) {
	s, id := pipeServer(t, 200*time.Millisecond)
	expectPipeEOF(t, presentPipe(t, s, id))
}

// An established bridge that carries nothing for IdleTimeout is closed.
func TestIdleTimeoutBridgeEstablished(t *testing.T) {
	s, id := pipeServer(t, 200*time.Millisecond)
	x, y := presentPipe(t, s, id), presentPipe(t, s, id)
	// net.Pipe writes block until read, and either half may be the waiter
	// (which gets its 11 first): read both at once.
	got := make(chan []byte, 2)
	for _, half := range []net.Conn{x, y} {
		go func() {
			b := make([]byte, 1)
			_, _ = io.ReadFull(half, b)
			got <- b
		}()
	}
	for range 2 {
		assert.Equal(t, []byte{byte(wire.OpEstablished)}, <-got)
	}
	expectPipeEOF(t, x)
	expectPipeEOF(t, y)
}

// Graceful shutdown: cancelling the context closes main connections, waiting
// halves and bridges, and Serve returns nil.
func TestGracefulShutdown(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	x, y := bridged(t, ts, "carol", "dave")
	id := negotiate(t, alice, bob)
	waiter := ts.present(t, "waiter", id)
	anon := ts.dial(t, "anon")
	require.NoError(t, ts.stop())
	for _, c := range []*client{alice, bob, x, y, waiter, anon} {
		c.expectClosed()
	}
	_, err := net.DialTimeout("tcp", ts.addr, waitFor)
	assert.Error(t, err, "listener closed")
}

// Serve rejects an invalid configuration and closes the listener.
func TestServeInvalidConfig(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	err = Serve(context.Background(), ln, Config{AnswerOrder: "sideways"})
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, err = ln.Accept()
	assert.Error(t, err)
}

// A panic while handling one client closes that client only.
func TestPanicInHandlerIsContained(t *testing.T) {
	ts := start(t, func(c *Config) {
		c.onPacket = func(p wire.Packet) {
			if pm, ok := p.(wire.PublicMessage); ok && pm.Text == "boom" {
				panic("handler bug")
			}
		}
	})
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	bomber := ts.login(t, "bomber")
	bomber.send(wire.PublicMessage{Text: "boom"})
	bomber.expectClosed()
	alice.marker("still alive", alice, bob)
}

// A client that sends its requests and closes its sending side still gets
// every answer, then the close: 300 private messages to nobody, each
// answered 6, sent in one write with the LOGIN and the end of the stream, by
// five clients one after the other. (Before, the end closed the connection
// at once and dropped what was still queued: in each of 10 runs the first
// client got 0 or 297 of its 301 answers.)
func TestAnswersQueuedAtTheClientsEndAreWritten(t *testing.T) {
	ts := start(t)
	const n = 300
	for k := range 5 {
		nick := fmt.Sprint("ender", k)
		c := ts.dial(t, nick)
		b := wire.Append(nil, wire.Login{Nick: nick})
		want := []wire.Packet{wire.LoginAccepted{Nick: nick}}
		for i := range n {
			b = wire.Append(b, wire.PrivateMessage{From: nick, To: "nobody", Text: fmt.Sprint(i)})
			want = append(want, wire.UnknownUser{Name: "nobody"})
		}
		c.write(b)
		require.NoError(t, c.nc.(*net.TCPConn).CloseWrite())
		var got []wire.Packet
		deadline := time.Now().Add(waitFor)
		for {
			p, err := c.next(deadline)
			if err != nil {
				require.ErrorIs(t, err, io.EOF, "%s: after %d packets", nick, len(got))
				break
			}
			got = append(got, p)
		}
		require.Equal(t, len(want), len(got), "%s: packets before the close", nick)
		assert.Equal(t, want, got)
	}
}
