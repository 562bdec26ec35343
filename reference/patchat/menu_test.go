package patchat

import (
	"context"
	"io"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

const menuGreetingRE = `Welcome to Pat Chat!  \[1\] log in  \[2\] new user  > `

// menuUser dials a menu-style server, creates user and logs in.
func menuUser(t *testing.T, addr, user string) *streamClient {
	c := dialStream(t, addr)
	c.expect(menuGreetingRE)
	c.do("2", `choose a username: `)
	c.do(user, `choose a password: `)
	c.do("pw", `Account created\.  > `)
	c.do("1", `username: `)
	c.do(user, `password: `)
	c.do("pw", `Logged in\. You are now in the Main Room\.  > `)
	return c
}

// pickNumber runs a listing command and picks room by the number shown next to it.
func pickNumber(c *streamClient, cmd, room string) {
	c.t.Helper()
	m := c.do(cmd, `(?:\d+\) [^\n]*?  )*?(\d+)\) `+regexp.QuoteMeta(room)+`  (?:\d+\) [^\n]*?  )*pick: `)
	c.send(m[1])
}

func TestMenuStyleEndToEnd(t *testing.T) {
	srv := startServer(t, Config{Style: StyleMenu})
	a := menuUser(t, srv.addr, "alice")

	b := dialStream(t, srv.addr)
	b.expect(menuGreetingRE)
	b.do("9", `Pick 1 or 2\.  > `)
	b.do("2", `choose a username: `)
	b.do("alice", `choose a password: `)
	b.do("x", `That name is taken\.  > `)
	b.do("1", `username: `)
	b.do("alice", `password: `)
	b.do("wrong", `Login failed\.  > `)
	b.do("2", `choose a username: `)
	b.do("bob", `choose a password: `)
	b.do("pw", `Account created\.  > `)
	b.do("1", `username: `)
	b.do("bob", `password: `)
	b.do("pw", `Logged in\. You are now in the Main Room\.  > `)

	a.do("/create", `name: `)
	a.do("foo", `Created foo\.  > `)
	a.do("/create", `name: `)
	a.do("foo", `Exists\.  > `)
	a.do("/rooms", `Rooms: Main Room; foo  > `)
	pickNumber(b, "/join", "foo")
	b.expect(`Joined foo\.  > `)
	b.do("/who", `In foo: alice, bob  > `)

	a.do("hello foo", `> `)
	b.expect(`\(foo\) <alice> hello foo\n`)
	pickNumber(b, "/switch", "Main Room")
	b.expect(`Now in Main Room\.  > `)
	b.do("/join", `1\) Main Room  2\) foo  pick: `)
	b.do("7", `No\.  > `)

	a.do("/multi", `rooms \(comma separated\): `)
	a.do("Main Room", `include current room\? \(y/n\): `)
	a.do("y", `message: `)
	a.do("to both", `Sent\.  > `)
	b.expect(`\(foo\) <alice> to both\n\(Main Room\) <alice> to both\n`)

	pickNumber(b, "/leave", "foo")
	b.expect(`Left foo\.  > `)
	a.do("after leave", `> `)
	b.do("/who", `In Main Room: alice, bob  > `) // nothing from foo arrived first
	b.do("", `> `)
	b.do("/quit", `Goodbye\.`)
	_ = b.nc.SetReadDeadline(time.Now().Add(ioDeadline))
	n, err := b.nc.Read(make([]byte, 1))
	assert.Equal(t, 0, n)
	assert.ErrorIs(t, err, io.EOF)
}

func TestMenuStyleServerFull(t *testing.T) {
	srv := startServer(t, Config{Style: StyleMenu, Capacity: 1})
	a := dialStream(t, srv.addr)
	a.expect(menuGreetingRE)
	b := dialStream(t, srv.addr)
	b.expect(`Server full\.\z`)
	_, err := b.nc.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF)
}

// pipeHub runs one connection handler over net.Pipe so each server write
// arrives as its own Read: the test can see how replies are split into writes.
func pipeHub(t *testing.T, cfg Config) (client net.Conn, done <-chan struct{}) {
	t.Helper()
	cfg = cfg.withDefaults()
	cfg.HashCost = bcrypt.MinCost
	st, err := lookupStyle(cfg.Style)
	require.NoError(t, err)
	acc, err := LoadAccounts("", cfg.HashCost)
	require.NoError(t, err)
	h := newHub(cfg, st, acc)
	cli, srv := net.Pipe()
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		h.handle(context.Background(), srv)
	}()
	return cli, ch
}

// writes reads n server writes from a pipe.
func writes(t *testing.T, c net.Conn, n int) []string {
	t.Helper()
	var out []string
	buf := make([]byte, 1<<16)
	for range n {
		require.NoError(t, c.SetReadDeadline(time.Now().Add(ioDeadline)))
		k, err := c.Read(buf)
		require.NoError(t, err)
		out = append(out, string(buf[:k]))
	}
	return out
}

func TestMenuStyleSplitsReplies(t *testing.T) {
	cli, done := pipeHub(t, Config{Style: StyleMenu})
	assert.Equal(t, []string{menuGreeting}, writes(t, cli, 1))
	for _, l := range []string{"2", "ann", "pw", "1", "ann"} {
		_, err := cli.Write([]byte(l + "\n"))
		require.NoError(t, err)
		writes(t, cli, 1)
	}
	_, err := cli.Write([]byte("pw\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"Lo", "gged in. You are now in the Main Room.  > "}, writes(t, cli, 2))
	require.NoError(t, cli.Close())
	<-done
}

func TestSplitInWord(t *testing.T) {
	assert.Equal(t, []chunk{{data: []byte("1) Ma"), flush: true}, {data: []byte("in Room  pick: ")}},
		splitInWord("1) Main Room  pick: "))
	assert.Equal(t, text("No.  > "), splitInWord("No.  > "))
}

func TestWriterCoalescesQueuedChunksAndHonoursFlush(t *testing.T) {
	cli, srv := net.Pipe()
	defer cli.Close()
	c := &conn{nc: srv, log: discardLogger(), out: make(chan chunk, 8), finish: make(chan struct{}),
		done: make(chan struct{}), wtimeout: ioDeadline}
	c.send([]chunk{{data: []byte("(a) <x> one\n")}, {data: []byte("Lo"), flush: true}, {data: []byte("gged in.  > ")}})
	c.send(text("(a) <x> two\n"))
	go c.writeLoop()
	assert.Equal(t, []string{"(a) <x> one\nLo", "gged in.  > (a) <x> two\n"}, writes(t, cli, 2))
	close(c.finish)
	<-c.done
}

func TestSlowClientQueueOverflowCloses(t *testing.T) {
	cli, srv := net.Pipe()
	defer cli.Close()
	c := &conn{nc: srv, log: discardLogger(), out: make(chan chunk, 1), wtimeout: ioDeadline}
	c.enqueue(chunk{data: []byte("a")})
	c.enqueue(chunk{data: []byte("b")}) // no writer: the queue is full
	assert.True(t, c.dropped.Load())
	_, err := srv.Write([]byte("x"))
	assert.ErrorIs(t, err, io.ErrClosedPipe)
}
