package patchat

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// greetDialect greets with "HELLO\n" and refuses with "FULL\n".
func greetDialect(t *testing.T) *wire.Dialect {
	t.Helper()
	src := "timeout: 2s\nmessages: [{pattern: '(?P<from>\\w+): (?P<text>[^\\n]*)\\n'}]\nactions:\n" +
		"  greeting: [{expect: 'HELLO\\n', refuse: 'FULL\\n'}]\n"
	for _, a := range wire.RequiredActions[1:] {
		src += "  " + a + ": [{send: 'x'}]\n"
	}
	d, err := wire.Parse([]byte(src), "greet.yaml")
	require.NoError(t, err)
	return d
}

// serveGreetings accepts connections and answers the first refusals ones
// with "FULL\n", the rest with "HELLO\n"; it counts the connections.
func serveGreetings(t *testing.T, refusals int32) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	addr := listen(t, func(c net.Conn) {
		reply := "HELLO\n"
		if n.Add(1) <= refusals {
			reply = "FULL\n"
		}
		_, _ = c.Write([]byte(reply))
	})
	return addr, &n
}

// listen runs a test server: each connection is handed to serve and left
// open until the test ends.
func listen(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	conns := make(chan net.Conn, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns <- c
			serve(c)
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		close(conns)
		for c := range conns {
			_ = c.Close()
		}
	})
	return ln.Addr().String()
}

func TestOpenRetriesARefusedGreeting(t *testing.T) {
	addr, n := serveGreetings(t, 2)
	log := transcript.New()
	s, err := Open(context.Background(), addr, greetDialect(t), Options{Name: "alice", Log: log}, 10*time.Second)
	require.NoError(t, err)
	defer s.Close()
	assert.Equal(t, int32(3), n.Load(), "two refusals, then the greeting")
	assert.Equal(t, "alice", s.Name())
}

func TestOpenGivesUpOnAServerThatAlwaysRefuses(t *testing.T) {
	addr, n := serveGreetings(t, 1<<30)
	_, err := Open(context.Background(), addr, greetDialect(t), Options{}, 50*time.Millisecond)
	var re *RefusedError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "FULL\n", re.Result.Text)
	assert.Equal(t, n.Load(), int32(re.Tries), "every try is one connection")
	assert.ErrorIs(t, err, ErrRefused)
}

func TestDialNamesTheAddressThatRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	_, err = Dial(context.Background(), addr, greetDialect(t), Options{})
	require.ErrorIs(t, err, ErrConnect)
	assert.Contains(t, err.Error(), addr)
	var ne net.Error
	assert.True(t, errors.As(err, &ne), "the network's error is kept: %v", err)
}

func TestSilentServerTimesOutWithoutSleeping(t *testing.T) {
	addr := listen(t, func(net.Conn) {})                                    // accepts, never says a word
	opts := Options{Options: wire.Options{Timeout: 250 * time.Millisecond}} // the dial has the same deadline
	_, err := Open(context.Background(), addr, greetDialect(t), opts, time.Second)
	var ee *wire.ExpectError
	require.ErrorAs(t, err, &ee)
	assert.ErrorIs(t, err, wire.ErrTimeout)
	assert.Equal(t, wire.ActionGreeting, ee.Action)
}
