package patchat

import (
	"bufio"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFaults(t *testing.T) {
	f, err := ParseFaults(" history-on-join, ,raw-control-bytes")
	require.NoError(t, err)
	assert.Equal(t, Faults{HistoryOnJoin: true, RawControlBytes: true}, f)
	assert.Equal(t, "history-on-join,raw-control-bytes", f.String())
	_, err = ParseFaults("history-on-join,nope")
	assert.ErrorIs(t, err, ErrUnknownFault)
	all, err := ParseFaults(strings.Join(FaultNames(), ","))
	require.NoError(t, err)
	assert.Equal(t, FaultNames(), all.Names(), "every name sets its own switch")
	assert.Len(t, FaultList(), len(FaultNames()))
}

// Each test below turns one fault on and shows the bug over the network; the
// correct behaviour is asserted by the tests in server_test.go.

// aliceAndBob starts the reference with faults f and logs alice and bob in.
func aliceAndBob(t *testing.T, f Faults) (a, b *lineClient) {
	srv := startServer(t, Config{Faults: f})
	return loggedIn(t, srv.addr, "alice"), loggedIn(t, srv.addr, "bob")
}

// inFoo is aliceAndBob with alice in a room foo she created.
func inFoo(t *testing.T, f Faults) (a, b *lineClient) {
	a, b = aliceAndBob(t, f)
	a.do("c foo", "OK created foo")
	return a, b
}

// registered starts the reference with faults f and registers alice (pw)
// on a connection that stays logged out.
func registered(t *testing.T, f Faults) *lineClient {
	a := greeted(t, startServer(t, Config{Faults: f}).addr)
	a.do("register alice pw", "OK registered alice")
	return a
}

func TestFaultHistoryOnJoin(t *testing.T) {
	a, b := inFoo(t, Faults{HistoryOnJoin: true})
	a.do("m old news", "OK sent")
	b.do("j foo", "OK joined foo")
	b.expect("[foo] alice: old news")
}

func TestFaultLeakToOtherRoom(t *testing.T) {
	a, b := inFoo(t, Faults{LeakToOtherRoom: true})
	a.do("secret", "OK sent")
	b.expect("[foo] alice: secret")
}

func TestFaultLeaverStillReceives(t *testing.T) {
	a, b := inFoo(t, Faults{LeaverStillReceives: true})
	b.do("j foo", "OK joined foo")
	b.do("r foo", "OK left foo")
	a.do("still there?", "OK sent")
	b.expect("[foo] alice: still there?")
}

func TestFaultAcceptWrongPassword(t *testing.T) {
	a := registered(t, Faults{AcceptWrongPassword: true})
	a.do("login alice not-the-password", "OK welcome alice")
}

func TestFaultDuplicateUsername(t *testing.T) {
	a := registered(t, Faults{DuplicateUsername: true})
	a.do("register alice pw2", "OK registered alice")
}

func TestFaultSilentDropOverCapacity(t *testing.T) {
	srv := startServer(t, Config{Capacity: 1, Faults: Faults{SilentDropOverCapacity: true}})
	greeted(t, srv.addr)
	over := dialLine(t, srv.addr)
	over.send("l")
	over.quietFor(t, 200*time.Millisecond) // the connection stays open and silent
}

func TestFaultUnlabelledDuplicates(t *testing.T) {
	a, b := inFoo(t, Faults{UnlabelledDuplicates: true})
	b.do("j foo", "OK joined foo")
	a.do("bx foo,Main Room: twice", "OK sent")
	b.expect("[foo] alice: twice")
	b.expect("[foo] alice: twice")
}

func TestFaultRawControlBytes(t *testing.T) {
	a, b := aliceAndBob(t, Faults{RawControlBytes: true})
	a.do("m a\x00b\x1b\xff", "OK sent")
	b.expect("[Main Room] alice: a\x00b\x1b\xff")
}

func TestFaultListAllUsers(t *testing.T) {
	srv := startServer(t, Config{Faults: Faults{ListAllUsers: true}})
	a := loggedIn(t, srv.addr, "alice")
	loggedIn(t, srv.addr, "bob")
	a.do("c foo", "OK created foo")
	a.do("l", "USERS foo: alice bob")
}

func TestFaultVanishedStaysListed(t *testing.T) {
	a, b := inFoo(t, Faults{VanishedStaysListed: true})
	b.do("j foo", "OK joined foo")
	addr := b.nc.RemoteAddr().String()
	require.NoError(t, b.nc.Close())
	b2 := greeted(t, addr)
	b2.until("login bob pw", "OK welcome bob") // the server has seen bob vanish
	a.do("l", "USERS foo: alice bob")
}

// crashEnv makes the test binary run a crashable server instead of the tests.
const crashEnv = "PATCHAT_CRASH_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(crashEnv) == "1" {
		runCrashHelper()
		return
	}
	os.Exit(m.Run())
}

// runCrashHelper serves with PanicOnLongRoomName and prints its address.
func runCrashHelper() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.Exit(3)
	}
	os.Stdout.WriteString(ln.Addr().String() + "\n")
	_ = Serve(contextBackground(), ln, Config{HashCost: 4, Faults: Faults{PanicOnLongRoomName: true}})
}

func TestFaultPanicOnLongRoomNameKillsProcess(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashEnv+"=1")
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	addrc := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		addrc <- strings.TrimSpace(s)
	}()
	var addr string
	select {
	case addr = <-addrc:
	case <-time.After(ioDeadline):
		t.Fatal("helper did not print its address")
	}
	a := loggedIn(t, addr, "alice")
	a.do("c "+strings.Repeat("n", 200), "ERR bad room name") // long but under the trigger
	a.send("c " + strings.Repeat("n", 201))
	waitc := make(chan error, 1)
	go func() { waitc <- cmd.Wait() }()
	select {
	case err = <-waitc:
	case <-time.After(ioDeadline):
		t.Fatal("the process did not die")
	}
	var ee *exec.ExitError
	require.True(t, errors.As(err, &ee), "want a non-zero exit, got %v", err)
	assert.NotEqual(t, 0, ee.ExitCode())
	a.expectClosed()
}
