package chatos

import (
	"strings"
	"testing"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests drive the pure core: no sockets, no goroutines, no clock.

func newTestCore(t *testing.T, tweak ...func(*Config)) *core {
	t.Helper()
	cfg := DefaultConfig()
	for _, f := range tweak {
		f(&cfg)
	}
	r, err := cfg.withDefaults().rules()
	require.NoError(t, err)
	next := int64(1 << 40)
	return newCore(r, func() int64 { next += 7919; return next })
}

func one(p wire.Packet, to ...clientID) []delivery { return []delivery{{to: to, pkt: p}} }

func loginOK(t *testing.T, c *core, id clientID, nick string) {
	t.Helper()
	c.open(id)
	e := c.receive(id, wire.Login{Nick: nick})
	require.Equal(t, one(wire.LoginAccepted{Nick: nick}, id), e.sends)
}

func TestCoreLogin(t *testing.T) {
	c := newTestCore(t)
	loginOK(t, c, 1, "alice")
	for _, nick := range []string{"alice", "", strings.Repeat("a", 33), "bad nick", "tab\t", "é"} {
		c.open(2)
		e := c.receive(2, wire.Login{Nick: nick})
		assert.Equal(t, one(wire.LoginRefused{Nick: nick}, 2), e.sends, "nick %q", nick)
		assert.Empty(t, e.closes, "a refused login keeps the connection")
	}
	loginOK(t, c, 3, strings.Repeat("b", 32))
}

func TestCoreSecondLoginRefused(t *testing.T) {
	c := newTestCore(t)
	loginOK(t, c, 1, "alice")
	e := c.receive(1, wire.Login{Nick: "other"})
	assert.Equal(t, one(wire.LoginRefused{Nick: "other"}, 1), e.sends)
	assert.Equal(t, clientID(1), c.nicks["alice"])
	assert.NotContains(t, c.nicks, "other")
}

func TestCoreNickCharsConfigurable(t *testing.T) {
	c := newTestCore(t, func(cfg *Config) { cfg.NickChars = `\p{L}`; cfg.MaxNick = 4 })
	loginOK(t, c, 1, "éà")
	c.open(2)
	assert.Equal(t, one(wire.LoginRefused{Nick: "ab1"}, 2), c.receive(2, wire.Login{Nick: "ab1"}).sends)
	assert.Equal(t, one(wire.LoginRefused{Nick: "ééé"}, 2), c.receive(2, wire.Login{Nick: "ééé"}).sends, "6 bytes > 4")
}

func TestCoreBeforeLoginCloses(t *testing.T) {
	for _, p := range []wire.Packet{
		wire.PublicMessage{From: "x", Text: "hi"}, wire.PrivateMessage{From: "x", To: "y", Text: "hi"},
		wire.PrivateRequest{From: "x", To: "y"}, wire.Established{},
	} {
		c := newTestCore(t)
		c.open(1)
		e := c.receive(1, p)
		assert.Empty(t, e.sends, "%v", p)
		require.Len(t, e.closes, 1, "%v", p)
		assert.Equal(t, clientID(1), e.closes[0].id)
	}
}

func TestCorePresentIDAfterFirstPacketCloses(t *testing.T) {
	c := newTestCore(t)
	c.open(1)
	c.receive(1, wire.Login{Nick: "x y"}) // refused, now a main connection
	e := c.receive(1, wire.PresentID{ID: 1})
	require.Len(t, e.closes, 1)
}

func TestCoreServerOnlyPacketsClose(t *testing.T) {
	c := newTestCore(t)
	loginOK(t, c, 1, "alice")
	e := c.receive(1, wire.ConnectID{From: "a", To: "b", ID: 3})
	require.Len(t, e.closes, 1)
}

func TestCorePublicAndSender(t *testing.T) {
	for _, echo := range []bool{true, false} {
		c := newTestCore(t, func(cfg *Config) { cfg.EchoPublic = echo })
		loginOK(t, c, 1, "alice")
		loginOK(t, c, 2, "bob")
		c.open(3) // not logged in: receives nothing
		e := c.receive(1, wire.PublicMessage{From: "mallory", Text: "hi"})
		require.Len(t, e.sends, 1)
		assert.Equal(t, wire.PublicMessage{From: "alice", Text: "hi"}, e.sends[0].pkt)
		want := []clientID{2}
		if echo {
			want = []clientID{1, 2}
		}
		assert.ElementsMatch(t, want, e.sends[0].to, "echo=%v", echo)
	}
}

func TestCoreMessageLength(t *testing.T) {
	c := newTestCore(t)
	loginOK(t, c, 1, "alice")
	loginOK(t, c, 2, "bob")
	ok, long := strings.Repeat("€", 512), strings.Repeat("€", 513)
	assert.Len(t, c.receive(1, wire.PublicMessage{Text: ok}).sends, 1)
	assert.Empty(t, c.receive(1, wire.PublicMessage{Text: long}).sends)
	assert.Len(t, c.receive(1, wire.PrivateMessage{To: "bob", Text: ok}).sends, 1)
	e := c.receive(1, wire.PrivateMessage{To: "bob", Text: long})
	assert.Empty(t, e.sends)
	assert.Empty(t, e.closes)
}

func TestCorePrivateRouting(t *testing.T) {
	c := newTestCore(t)
	loginOK(t, c, 1, "alice")
	loginOK(t, c, 2, "bob")
	loginOK(t, c, 3, "carol")
	e := c.receive(1, wire.PrivateMessage{From: "carol", To: "bob", Text: "psst"})
	assert.Equal(t, one(wire.PrivateMessage{From: "alice", To: "bob", Text: "psst"}, 2), e.sends)
	e = c.receive(1, wire.PrivateMessage{To: "zed", Text: "psst"})
	assert.Equal(t, one(wire.UnknownUser{Name: "zed"}, 1), e.sends)
}

func TestCoreNickReleasedOnClose(t *testing.T) {
	c := newTestCore(t)
	loginOK(t, c, 1, "alice")
	c.closed(1)
	loginOK(t, c, 2, "alice")
	assert.Empty(t, c.closed(99).closes, "closing an unknown connection is harmless")
}
