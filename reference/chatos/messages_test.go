package chatos

import (
	"strings"
	"testing"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// COP-2.5-1, COP-3.6-1, COP-3.6-2: a public message reaches every logged-in
// client (the sender too: EchoPublic); a connection not logged in gets nothing.
func TestPublicReachesEveryLoggedInClient(t *testing.T) {
	ts := start(t)
	alice, bob, carol := ts.login(t, "alice"), ts.login(t, "bob"), ts.login(t, "carol")
	anon := ts.dial(t, "anon")
	want := wire.PublicMessage{From: "alice", Text: "hello all"}
	alice.send(want)
	for _, c := range []*client{alice, bob, carol} {
		c.expect("public message", equal(want))
	}
	// The anonymous connection is closed on its first non-login packet; what
	// it received before must be nothing at all.
	anon.send(wire.PublicMessage{Text: "x"})
	anon.expectSilentClose()
}

// A9: with EchoPublic off the sender gets no copy.
func TestPublicWithoutEcho(t *testing.T) {
	ts := start(t, func(c *Config) { c.EchoPublic = false })
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	alice.send(wire.PublicMessage{Text: "first"})
	bob.expect("first", equal(wire.PublicMessage{From: "alice", Text: "first"}))
	bob.send(wire.PublicMessage{Text: "reply"})
	alice.expectBefore("reply", equal(wire.PublicMessage{From: "bob", Text: "reply"}),
		is[wire.PublicMessage](func(p wire.PublicMessage) bool { return p.From == "alice" }))
}

// COP-2.3-1: a forged from field is corrected to the connection's login.
func TestForgedFromCorrected(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	mallory := ts.login(t, "mallory")
	mallory.send(wire.PublicMessage{From: "alice", Text: "I am alice"})
	bob.expect("public", equal(wire.PublicMessage{From: "mallory", Text: "I am alice"}))
	mallory.send(wire.PrivateMessage{From: "alice", To: "bob", Text: "trust me"})
	bob.expect("private", equal(wire.PrivateMessage{From: "mallory", To: "bob", Text: "trust me"}))
	mallory.send(wire.PrivateRequest{From: "alice", To: "bob"})
	bob.expect("request", equal(wire.PrivateRequest{From: "mallory", To: "bob"}))
	_ = alice
}

// COP-2.3-2 (A8): 512 code points are delivered intact, 513 to no one.
func TestMessageLengthCodePoints(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	for _, r := range []string{"a", "é", "€", "😀"} {
		ok, long := strings.Repeat(r, 512), strings.Repeat(r, 513)
		alice.send(wire.PublicMessage{Text: ok})
		bob.expect("512 "+r, equal(wire.PublicMessage{From: "alice", Text: ok}))
		alice.send(wire.PublicMessage{Text: long})
		alice.send(wire.PrivateMessage{To: "bob", Text: long})
		mark := wire.PublicMessage{From: "alice", Text: "after 513"}
		alice.send(mark)
		tooLong := func(p wire.Packet) bool {
			return p == wire.Packet(wire.PublicMessage{From: "alice", Text: long}) ||
				p == wire.Packet(wire.PrivateMessage{From: "alice", To: "bob", Text: long})
		}
		bob.expectBefore("marker after 513 "+r, equal(mark), tooLong)
		alice.expectBefore("own marker", equal(mark), tooLong)
	}
}

// COP-2.4-1, COP-3.7-1: a private message reaches its recipient and no one else.
func TestPrivateRouting(t *testing.T) {
	ts := start(t)
	alice, bob, carol := ts.login(t, "alice"), ts.login(t, "bob"), ts.login(t, "carol")
	secret := wire.PrivateMessage{From: "alice", To: "bob", Text: "just for you"}
	alice.send(secret)
	bob.expect("private", equal(secret))
	alice.marker("after secret", alice, carol)
	isSecret := is[wire.PrivateMessage](nil)
	carol.send(wire.PublicMessage{Text: "check"})
	carol.expectBefore("check", equal(wire.PublicMessage{From: "carol", Text: "check"}), isSecret)
	alice.expectBefore("check", equal(wire.PublicMessage{From: "carol", Text: "check"}), isSecret)
}

// COP-3.7-2 (A6): a private message to an absent nickname gets 6 carrying that
// nickname, and reaches no one.
func TestPrivateUnknownUser(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	alice.send(wire.PrivateMessage{To: "zed", Text: "hello?"})
	alice.expect("unknown user", equal(wire.UnknownUser{Name: "zed"}))
	alice.marker("after", bob)
	bob.send(wire.PublicMessage{Text: "check"})
	bob.expectBefore("check", equal(wire.PublicMessage{From: "bob", Text: "check"}), is[wire.PrivateMessage](nil))
}
