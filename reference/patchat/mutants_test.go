package patchat

import (
	"errors"
	"net"
	"testing"
	"time"
)

// Each test below shows one fault of mutants.go over the network; the
// correct behaviour is asserted by the tests in server_test.go.

func TestFaultAccountsTrailingSpace(t *testing.T) {
	a := registered(t, Faults{AccountsTrailingSpace: true})
	a.send("login alice pw")
	if got := a.line(); got == "OK welcome alice" {
		t.Fatalf("the new account logged in: %q", got)
	}
}

func TestFaultControlBytesRelayed(t *testing.T) {
	a, b := aliceAndBob(t, Faults{ControlBytesRelayed: true})
	a.send("m bad \xff") // dropped whole: no answer
	a.do("m bel \x07", "OK sent")
	b.expect("[Main Room] alice: bel \x07")
}

func TestFaultExitCommandKeepsSocket(t *testing.T) {
	srv := startServer(t, Config{Faults: Faults{ExitCommandKeepsSocket: true}})
	a := loggedIn(t, srv.addr, "alice")
	a.send("exit")
	bye := a.line()
	if bye == "" {
		t.Fatal("no goodbye")
	}
	a.quietFor(t, 200*time.Millisecond) // neither a close nor a line
}

// quietFor fails if a line arrives or the connection closes within d.
func (c *lineClient) quietFor(t *testing.T, d time.Duration) {
	t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(d))
	s, err := c.br.ReadString('\n')
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("expected silence for %v, got %q (%v)", d, s, err)
	}
}

func TestFaultRejoinListedTwice(t *testing.T) {
	a, b := inFoo(t, Faults{RejoinListedTwice: true})
	b.do("j foo", "OK joined foo")
	b.do("r foo", "OK left foo")
	b.do("j foo", "OK joined foo")
	a.do("l", "USERS foo: alice bob bob")
}

func TestFaultSerialLogins(t *testing.T) {
	srv := startServer(t, Config{Faults: Faults{SerialLogins: true}})
	silent := greeted(t, srv.addr)
	late := dialLine(t, srv.addr)
	late.quietFor(t, 200*time.Millisecond) // no greeting while silent has not logged in
	silent.do("register alice pw", "OK registered alice")
	silent.do("login alice pw", "OK welcome alice")
	late.expect("HELLO Pat Chat reference server; register USER PASS or login USER PASS")
}
