package chatos

import (
	"testing"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
)

// COP-3.5-1, COP-3.5-4, COP-3.5-5: 3 forwarded, 7 forwarded, 9 to both.
func TestPrivateConnectionNegotiated(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	negotiate(t, alice, bob)
}

// COP-3.5-2 (A6): a request to an absent nickname gets 6 carrying it.
func TestPrivateRequestUnknownUser(t *testing.T) {
	ts := start(t)
	alice := ts.login(t, "alice")
	alice.send(wire.PrivateRequest{From: "alice", To: "ghost"})
	alice.expect("unknown user", equal(wire.UnknownUser{Name: "ghost"}))
}

// COP-3.5-3: a refusal 8 is forwarded; no id is issued.
func TestPrivateConnectionRefused(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	alice.send(wire.PrivateRequest{From: "alice", To: "bob"})
	bob.expect("request", equal(wire.PrivateRequest{From: "alice", To: "bob"}))
	bob.send(wire.PrivateRefuse{From: "alice", To: "bob"})
	alice.expect("refusal", equal(wire.PrivateRefuse{From: "alice", To: "bob"}))
	bob.marker("after refusal", alice, bob)
	noID := is[wire.ConnectID](nil)
	alice.send(wire.PublicMessage{Text: "check"})
	alice.expectBefore("check", equal(wire.PublicMessage{From: "alice", Text: "check"}), noID)
	bob.expectBefore("check", equal(wire.PublicMessage{From: "alice", Text: "check"}), noID)
}

// COP-3.5-11: a 7 or 8 with no pending request is ignored.
func TestPrivateAnswerWithoutRequestIgnored(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	bob.send(wire.PrivateAccept{From: "alice", To: "bob"})
	bob.send(wire.PrivateRefuse{From: "alice", To: "bob"})
	bob.send(wire.PublicMessage{Text: "check"})
	check := equal(wire.PublicMessage{From: "bob", Text: "check"})
	stray := func(p wire.Packet) bool {
		op := p.Opcode()
		return op == wire.OpPrivateAccept || op == wire.OpPrivateRefuse || op == wire.OpConnectID
	}
	alice.expectBefore("check", check, stray)
	bob.expectBefore("check", check, stray)
}

// A11: with AnswerOrder "reversed", 7/8 carry (answerer, requester).
func TestPrivateAnswerOrderReversed(t *testing.T) {
	ts := start(t, func(c *Config) { c.AnswerOrder = AnswerReversed })
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	alice.send(wire.PrivateRequest{From: "alice", To: "bob"})
	bob.expect("request", equal(wire.PrivateRequest{From: "alice", To: "bob"}))
	bob.send(wire.PrivateAccept{From: "bob", To: "alice"})
	alice.expect("acceptance", equal(wire.PrivateAccept{From: "bob", To: "alice"}))
	alice.expect("connect id", is[wire.ConnectID](func(p wire.ConnectID) bool { return p.From == "alice" && p.To == "bob" }))
}

// COP-3.5-7, COP-3.5-10: every negotiation gets a fresh, non-sequential, large id.
func TestPrivateFreshUnguessableIDs(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	ids := map[int64]bool{}
	var prev int64
	for range 5 {
		id := negotiate(t, alice, bob)
		assert.False(t, ids[id], "id %d issued twice", id)
		assert.Greater(t, id, int64(1<<32), "small id")
		assert.NotContains(t, []int64{prev - 1, prev + 1}, id, "sequential ids")
		ids[id], prev = true, id
	}
}

// COP-4-1: when a requester leaves, its pending request is dropped: a late 7
// issues nothing.
func TestPrivatePendingDroppedOnDisconnect(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	alice.send(wire.PrivateRequest{From: "alice", To: "bob"})
	bob.expect("request", equal(wire.PrivateRequest{From: "alice", To: "bob"}))
	alice.nc.Close()
	alice2 := waitLogin(t, ts, "alice")
	bob.send(wire.PrivateAccept{From: "alice", To: "bob"})
	bob.marker("after late accept", bob, alice2)
	alice2.send(wire.PublicMessage{Text: "check"})
	check := equal(wire.PublicMessage{From: "alice", Text: "check"})
	alice2.expectBefore("check", check, is[wire.ConnectID](nil))
	bob.expectBefore("check", check, is[wire.ConnectID](nil))
}
