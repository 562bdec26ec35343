package chatos

import (
	"testing"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// negotiateCore runs 3 from 1 (alice) to 2 (bob) and 7 back; it returns the id.
func negotiateCore(t *testing.T, c *core) int64 {
	t.Helper()
	e := c.receive(1, wire.PrivateRequest{From: "alice", To: "bob"})
	require.Equal(t, one(wire.PrivateRequest{From: "alice", To: "bob"}, 2), e.sends)
	e = c.receive(2, wire.PrivateAccept{From: "alice", To: "bob"})
	require.Len(t, e.sends, 2)
	assert.Equal(t, delivery{to: []clientID{1}, pkt: wire.PrivateAccept{From: "alice", To: "bob"}}, e.sends[0])
	id9, ok := e.sends[1].pkt.(wire.ConnectID)
	require.True(t, ok)
	assert.Equal(t, []clientID{1, 2}, e.sends[1].to)
	assert.Equal(t, "alice", id9.From)
	assert.Equal(t, "bob", id9.To)
	return id9.ID
}

func twoUsers(t *testing.T, tweak ...func(*Config)) *core {
	c := newTestCore(t, tweak...)
	loginOK(t, c, 1, "alice")
	loginOK(t, c, 2, "bob")
	return c
}

func TestCoreRequestUnknown(t *testing.T) {
	c := twoUsers(t)
	e := c.receive(1, wire.PrivateRequest{From: "alice", To: "zed"})
	assert.Equal(t, one(wire.UnknownUser{Name: "zed"}, 1), e.sends)
	assert.Empty(t, c.pending)
}

func TestCoreRefusal(t *testing.T) {
	c := twoUsers(t)
	c.receive(1, wire.PrivateRequest{To: "bob"})
	e := c.receive(2, wire.PrivateRefuse{From: "alice", To: "bob"})
	assert.Equal(t, one(wire.PrivateRefuse{From: "alice", To: "bob"}, 1), e.sends)
	assert.Empty(t, c.tickets)
	assert.Empty(t, c.receive(2, wire.PrivateAccept{From: "alice", To: "bob"}).sends, "request already answered")
}

func TestCoreAnswerWithoutRequestIgnored(t *testing.T) {
	c := twoUsers(t)
	assert.Empty(t, c.receive(2, wire.PrivateAccept{From: "alice", To: "bob"}).sends)
	assert.Empty(t, c.receive(2, wire.PrivateRefuse{From: "alice", To: "bob"}).sends)
	c.receive(1, wire.PrivateRequest{To: "bob"})
	assert.Empty(t, c.receive(1, wire.PrivateAccept{From: "alice", To: "bob"}).sends, "the requester cannot accept its own request")
	assert.Empty(t, c.tickets)
}

func TestCoreReversedAnswerOrder(t *testing.T) {
	c := twoUsers(t, func(cfg *Config) { cfg.AnswerOrder = AnswerReversed })
	c.receive(1, wire.PrivateRequest{To: "bob"})
	assert.Empty(t, c.receive(2, wire.PrivateAccept{From: "alice", To: "bob"}).sends, "request order ignored")
	e := c.receive(2, wire.PrivateAccept{From: "bob", To: "alice"})
	require.Len(t, e.sends, 2)
	assert.Equal(t, wire.PrivateAccept{From: "bob", To: "alice"}, e.sends[0].pkt)
	assert.IsType(t, wire.ConnectID{}, e.sends[1].pkt)
}

func TestCoreBridgeLifecycle(t *testing.T) {
	c := twoUsers(t)
	id := negotiateCore(t, c)
	c.open(10)
	e := c.receive(10, wire.PresentID{ID: id})
	assert.Equal(t, bridgeWait, e.bridge)
	assert.Empty(t, e.sends, "no 11 before both presented")
	c.open(11)
	e = c.receive(11, wire.PresentID{ID: id})
	assert.Equal(t, bridgePaired, e.bridge)
	assert.Equal(t, clientID(10), e.peer)
	assert.Equal(t, []delivery{{to: []clientID{10}, pkt: wire.Established{}}, {to: []clientID{11}, pkt: wire.Established{}}}, e.sends)
	c.open(12)
	e = c.receive(12, wire.PresentID{ID: id})
	assert.Equal(t, bridgeNone, e.bridge)
	require.Len(t, e.closes, 1, "a third presenter is closed")
	assert.Equal(t, clientID(12), e.closes[0].id)
	e = c.closed(10)
	assert.Equal(t, []closing{{id: 11, reason: "bridge peer closed"}}, e.closes)
}

func TestCoreUnknownIDCloses(t *testing.T) {
	c := twoUsers(t)
	c.open(10)
	e := c.receive(10, wire.PresentID{ID: 42})
	require.Len(t, e.closes, 1)
	assert.Equal(t, clientID(10), e.closes[0].id)
}

func TestCoreFreshIDs(t *testing.T) {
	c := twoUsers(t)
	a, b := negotiateCore(t, c), negotiateCore(t, c)
	assert.NotEqual(t, a, b)
	assert.Greater(t, a, int64(1<<32))
}

func TestCoreOwnerLeavingDropsEverything(t *testing.T) {
	c := twoUsers(t)
	id := negotiateCore(t, c)
	c.receive(1, wire.PrivateRequest{To: "bob"})
	c.open(10)
	c.receive(10, wire.PresentID{ID: id})
	e := c.closed(2)
	assert.Equal(t, []closing{{id: 10, reason: "owner of the connect id left"}}, e.closes)
	assert.Empty(t, c.pending)
	assert.Empty(t, c.tickets)
	assert.NotContains(t, c.nicks, "bob")
}

func TestCoreOpenTicketsBounded(t *testing.T) {
	c := twoUsers(t)
	first := negotiateCore(t, c)
	for range maxOpenTickets {
		negotiateCore(t, c)
	}
	assert.Len(t, c.tickets, maxOpenTickets)
	assert.NotContains(t, c.tickets, first)
	assert.Len(t, c.sessions[1].tickets, maxOpenTickets)
}

func TestCoreSelfRequest(t *testing.T) {
	c := twoUsers(t)
	c.receive(1, wire.PrivateRequest{To: "alice"})
	e := c.receive(1, wire.PrivateAccept{From: "alice", To: "alice"})
	require.Len(t, e.sends, 2)
	assert.Equal(t, []clientID{1}, e.sends[1].to, "one 9 for a client that asked itself")
}
