package patchat

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

func TestAccountsOverNetwork(t *testing.T) {
	srv := startServer(t, Config{})
	a := greeted(t, srv.addr)
	a.do("l", "ERR login first")
	a.do("hello", "ERR login first")
	a.do("login alice pw", "ERR wrong username or password")
	a.do("register alice pw", "OK registered alice")
	a.do("register alice other", "ERR user alice exists")
	a.do("register bad!name pw", "ERR bad username")
	a.do("register "+strings.Repeat("x", 33)+" pw", "ERR bad username")
	a.do("register bob "+strings.Repeat("p", 73), "ERR bad password")
	a.do("register onlyname", "ERR usage: register USER PASS")
	a.do("login alice wrong", "ERR wrong username or password")
	a.do("login alice pw", "OK welcome alice")
	a.expect("ROOM you are in Main Room")
	a.do("login alice pw", "ERR already logged in")

	b := greeted(t, srv.addr)
	b.do("login alice pw", "ERR alice is already logged in")
	a.do("exit", "BYE")
	a.expectClosed()
	b.until("login alice pw", "OK welcome alice")
}

func TestRoomsOverNetwork(t *testing.T) {
	srv := startServer(t, Config{})
	a := loggedIn(t, srv.addr, "alice")
	b := loggedIn(t, srv.addr, "bob")
	c := loggedIn(t, srv.addr, "carol")

	a.do("l", "USERS Main Room: alice bob carol")
	a.do("c foo", "OK created foo")
	b.do("c foo", "ERR room foo exists")
	b.do("c a:b", "ERR bad room name")
	b.do("c", "ERR usage: c NAME")
	b.do("c "+strings.Repeat("n", 201), "ERR bad room name") // the crash fault's trigger is harmless when off
	b.do("j nope", "ERR no room nope")
	a.do("l", "USERS foo: alice")
	a.do("rooms", "ROOMS Main Room,foo")

	a.do("m before bob joined", "OK sent")
	b.do("j foo", "OK joined foo")
	b.do("l", "USERS foo: alice bob") // no history: the reply comes first

	a.do("hello foo", "OK sent")
	b.expect("[foo] alice: hello foo")
	c.do("in main", "OK sent") // carol is in Main Room only
	a.expect("[Main Room] carol: in main")
	b.expect("[Main Room] carol: in main")

	b.do("s Main Room", "OK current Main Room")
	b.do("s nope", "ERR not in nope")
	b.do("m to main", "OK sent")
	a.expect("[Main Room] bob: to main")
	c.expect("[Main Room] bob: to main")

	b.do("r foo", "OK left foo")
	b.do("r foo", "ERR not in foo")
	a.do("only me", "OK sent") // nobody else in foo now
	c.do("l", "USERS Main Room: alice bob carol")
	a.do("l", "USERS foo: alice")
}

func TestBroadcastOverNetwork(t *testing.T) {
	srv := startServer(t, Config{})
	a := loggedIn(t, srv.addr, "alice")
	b := loggedIn(t, srv.addr, "bob")
	c := loggedIn(t, srv.addr, "carol")
	a.do("c x", "OK created x")
	a.do("c y", "OK created y")
	b.do("j x", "OK joined x")
	b.do("j y", "OK joined y")
	c.do("r Main Room", "OK left Main Room")
	c.do("rooms", "ROOMS Main Room,x,y")

	a.do("b x, Main Room: hi all", "OK sent") // current room y + x + Main Room
	b.expect("[y] alice: hi all")
	b.expect("[x] alice: hi all")
	b.expect("[Main Room] alice: hi all")

	a.do("bx x: only x", "OK sent")
	b.expect("[x] alice: only x")
	a.do("b nope: x", "ERR not in nope")
	a.do("bx no colon", "ERR usage: bx ROOM1,ROOM2: TEXT")
	b.do("l", "USERS y: alice bob") // nothing else was queued for bob
	c.do("l", "ERR no current room")
	c.do("hello?", "ERR no current room")
}

func TestHundredUsersAndRefusal(t *testing.T) {
	srv := startServer(t, Config{})
	clients := make([]*lineClient, DefaultCapacity)
	for i := range clients {
		clients[i] = loggedIn(t, srv.addr, fmt.Sprintf("u%03d", i))
	}
	over := dialLine(t, srv.addr)
	over.expect("ERR server full (capacity 100)")
	over.expectClosed()

	clients[0].do("hello everyone", "OK sent")
	for _, c := range clients[1:] {
		c.expect("[Main Room] u000: hello everyone")
	}
	clients[1].do("exit", "BYE") // the place is freed before BYE is sent
	greeted(t, srv.addr)
}

func TestLongLineRefusedServerKeepsServing(t *testing.T) {
	srv := startServer(t, Config{})
	a := loggedIn(t, srv.addr, "alice")
	b := loggedIn(t, srv.addr, "bob")
	huge := strings.Repeat("A", 1<<20)
	go func() { _, _ = a.nc.Write([]byte(huge)) }() // no newline yet
	a.expect("ERR line too long")                   // refused before the line ends
	b.do("m still here", "OK sent")
	a.expect("[Main Room] bob: still here")
	exact := strings.Repeat("B", DefaultMaxLine)
	a.do("tail of the long line\n"+exact, "OK sent") // the tail is discarded, not sent
	b.expect("[Main Room] alice: " + exact)
	a.do(exact+"C", "ERR line too long")
	a.do("l", "USERS Main Room: alice bob")
}

func TestControlBytesAndInvalidUTF8Filtered(t *testing.T) {
	srv := startServer(t, Config{})
	a := loggedIn(t, srv.addr, "alice")
	b := loggedIn(t, srv.addr, "bob")
	a.do("m a\x00b\x1bc\x7fd\xff\xfee\tf\r", "OK sent")
	b.expect("[Main Room] alice: abcd\uFFFDe\tf")
}

func TestVanishedClientRemoved(t *testing.T) {
	srv := startServer(t, Config{})
	a := loggedIn(t, srv.addr, "alice")
	b := loggedIn(t, srv.addr, "bob")
	a.do("c foo", "OK created foo")
	b.do("j foo", "OK joined foo")
	a.do("l", "USERS foo: alice bob")
	require.NoError(t, b.nc.Close())
	a.until("l", "USERS foo: alice")
	a.do("s Main Room", "OK current Main Room")
	a.do("l", "USERS Main Room: alice")
	b2 := greeted(t, srv.addr)
	b2.do("login bob pw", "OK welcome bob")
}

func TestAccountsSurviveRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "accounts.txt")
	srv := startServer(t, Config{AccountsFile: file})
	a := greeted(t, srv.addr)
	a.do("register alice s3cret", "OK registered alice")
	require.NoError(t, srv.stop())

	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Regexp(t, `\Aalice\t\$2a\$04\$[./A-Za-z0-9]{53}\n\z`, string(data))
	assert.NotContains(t, string(data), "s3cret")

	srv2 := startServer(t, Config{AccountsFile: file})
	b := greeted(t, srv2.addr)
	b.do("login alice wrong", "ERR wrong username or password")
	b.do("login alice s3cret", "OK welcome alice")
	b.expect("ROOM you are in Main Room")
	b.do("register alice x", "ERR user alice exists")
}

func TestConcurrentRegistrations(t *testing.T) {
	file := filepath.Join(t.TempDir(), "accounts.txt")
	srv := startServer(t, Config{AccountsFile: file})
	const n = 50
	var wg sync.WaitGroup
	replies := make([]string, n)
	for i := range n {
		wg.Go(func() {
			c := greeted(t, srv.addr)
			c.send(fmt.Sprintf("register user%02d pw%d", i, i))
			replies[i], _ = c.readLine()
		})
	}
	wg.Wait()
	for i, r := range replies {
		assert.Equal(t, fmt.Sprintf("OK registered user%02d", i), r)
	}
	acc, err := LoadAccounts(file, bcrypt.MinCost)
	require.NoError(t, err)
	assert.Equal(t, n, acc.Len())
	assert.True(t, acc.Verify("user07", "pw7", false))
	left, err := filepath.Glob(filepath.Join(filepath.Dir(file), ".*tmp"))
	require.NoError(t, err)
	assert.Empty(t, left, "no temporary files left behind")
}

func TestAddressFileWritten(t *testing.T) {
	file := filepath.Join(t.TempDir(), "addr.txt")
	srv := startServer(t, Config{AddressFile: file})
	greeted(t, srv.addr) // Serve writes the file before it accepts
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, srv.addr+"\n", string(data))
}

// TestAddressFileMeansListening: the address file is the server's "ready"
// signal, so the moment it exists, one dial to the address in it succeeds.
func TestAddressFileMeansListening(t *testing.T) {
	file := filepath.Join(t.TempDir(), "addr.txt")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ListenAndServe(ctx, Config{Addr: "127.0.0.1:0", AddressFile: file}) }()
	defer func() { cancel(); require.NoError(t, <-done) }()
	var data []byte
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(file)
		data = b
		return err == nil
	}, 10*time.Second, time.Millisecond)
	c, err := net.DialTimeout("tcp", strings.TrimSpace(string(data)), 5*time.Second)
	require.NoError(t, err, "the address file appeared before the server listened")
	_ = c.Close()
}

func TestListenAndServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := ListenAndServe(ctx, Config{Addr: "127.0.0.1:0"})
	assert.NoError(t, err, "a cancelled context stops it cleanly")
	err = ListenAndServe(context.Background(), Config{Addr: "no-such-host.invalid:x"})
	assert.ErrorContains(t, err, "listen")
	err = Serve(context.Background(), mustListen(t), Config{Style: "fancy"})
	assert.ErrorIs(t, err, ErrUnknownStyle)
}

func mustListen(t *testing.T) net.Listener {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	return ln
}

func TestNonReadingClientDisconnected(t *testing.T) {
	srv := startServer(t, Config{WriteQueue: 4})
	a := loggedIn(t, srv.addr, "alice")
	sleepy := loggedIn(t, srv.addr, "zed")
	require.NoError(t, sleepy.nc.(*net.TCPConn).SetReadBuffer(4096))
	big := strings.Repeat("x", 4000)
	end := time.Now().Add(30 * time.Second)
	for i := 0; ; i++ {
		a.do("m "+big, "OK sent") // each reply has its own deadline: alice is never held up
		if i%50 == 49 {
			a.send("l")
			if a.line() == "USERS Main Room: alice" {
				break
			}
		}
		require.True(t, time.Now().Before(end), "the non-reading client was never disconnected")
	}
}

func TestGracefulShutdown(t *testing.T) {
	srv := startServer(t, Config{})
	a := loggedIn(t, srv.addr, "alice")
	b := greeted(t, srv.addr)
	require.NoError(t, srv.stop())
	a.expectClosed()
	b.expectClosed()
	_, err := net.Dial("tcp", srv.addr)
	assert.Error(t, err, "the listener is closed")
}

func TestIdleTimeout(t *testing.T) {
	srv := startServer(t, Config{IdleTimeout: 50 * time.Millisecond})
	a := greeted(t, srv.addr)
	a.expectClosed()
}
