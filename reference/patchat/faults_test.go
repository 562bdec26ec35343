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

func TestFaultHistoryOnJoin(t *testing.T) {
	srv := startServer(t, Config{Faults: Faults{HistoryOnJoin: true}})
	a := loggedIn(t, srv.addr, "alice")
	b := loggedIn(t, srv.addr, "bob")
	a.do("c foo", "OK created foo")
	a.do("m old news", "OK sent")
	b.do("j foo", "OK joined foo")
	b.expect("[foo] alice: old news")
}

func TestFaultLeakToOtherRoom(t *testing.T) {
	srv := startServer(t, Config{Faults: Faults{LeakToOtherRoom: true}})
	a := loggedIn(t, srv.addr, "alice")
	b := loggedIn(t, srv.addr, "bob")
	a.do("c foo", "OK created foo")
	a.do("secret", "OK sent")
	b.expect("[foo] alice: secret")
}

func TestFaultLeaverStillReceives(t *testing.T) {
	srv := startServer(t, Config{Faults: Faults{LeaverStillReceives: true}})
	a := loggedIn(t, srv.addr, "alice")
	b := loggedIn(t, srv.addr, "bob")
	a.do("c foo", "OK created foo")
	b.do("j foo", "OK joined foo")
	b.do("r foo", "OK left foo")
	a.do("still there?", "OK sent")
	b.expect("[foo] alice: still there?")
}

func TestFaultAcceptWrongPassword(t *testing.T) {
	srv := startServer(t, Config{Faults: Faults{AcceptWrongPassword: true}})
	a := greeted(t, srv.addr)
	a.do("register alice pw", "OK registered alice")
	a.do("login alice not-the-password", "OK welcome alice")
}

func TestFaultDuplicateUsername(t *testing.T) {
	srv := startServer(t, Config{Faults: Faults{DuplicateUsername: true}})
	a := greeted(t, srv.addr)
	a.do("register alice pw", "OK registered alice")
	a.do("register alice pw2", "OK registered alice")
}

func TestFaultSilentDropOverCapacity(t *testing.T) {
	srv := startServer(t, Config{Capacity: 1, Faults: Faults{SilentDropOverCapacity: true}})
	greeted(t, srv.addr)
	over := dialLine(t, srv.addr)
	over.send("l")
	require.NoError(t, over.nc.SetReadDeadline(time.Now().Add(200*time.Millisecond)))
	_, err := over.br.ReadString('\n')
	var ne net.Error
	require.ErrorAs(t, err, &ne, "expected silence, got %v", err)
	assert.True(t, ne.Timeout(), "the connection stays open and silent")
}

func TestFaultUnlabelledDuplicates(t *testing.T) {
	srv := startServer(t, Config{Faults: Faults{UnlabelledDuplicates: true}})
	a := loggedIn(t, srv.addr, "alice")
	b := loggedIn(t, srv.addr, "bob")
	a.do("c foo", "OK created foo")
	b.do("j foo", "OK joined foo")
	a.do("bx foo,Main Room: twice", "OK sent")
	b.expect("[foo] alice: twice")
	b.expect("[foo] alice: twice")
}

func TestFaultRawControlBytes(t *testing.T) {
	srv := startServer(t, Config{Faults: Faults{RawControlBytes: true}})
	a := loggedIn(t, srv.addr, "alice")
	b := loggedIn(t, srv.addr, "bob")
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
	srv := startServer(t, Config{Faults: Faults{VanishedStaysListed: true}})
	a := loggedIn(t, srv.addr, "alice")
	b := loggedIn(t, srv.addr, "bob")
	a.do("c foo", "OK created foo")
	b.do("j foo", "OK joined foo")
	require.NoError(t, b.nc.Close())
	b2 := greeted(t, srv.addr)
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
