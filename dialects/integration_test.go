package dialects_test

import (
	"context"
	pclient "github.com/chatspec/chatspec/client/patchat"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/chatspec/chatspec/dialects"
	refpat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/wire/patchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// startServer runs the reference server in-process on 127.0.0.1:0.
func startServer(t *testing.T, style string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- refpat.Serve(ctx, ln, refpat.Config{Style: style, HashCost: bcrypt.MinCost}) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	return ln.Addr().String()
}

// client is one connection driven by a dialect.
type client struct {
	t *testing.T
	s *pclient.Session
}

// connect dials the server and reads the greeting.
func connect(t *testing.T, addr string, d *patchat.Dialect) *client {
	t.Helper()
	s, err := pclient.Dial(context.Background(), addr, d, pclient.Options{Options: patchat.Options{Timeout: 5 * time.Second}})
	require.NoError(t, err)
	c := &client{t: t, s: s}
	t.Cleanup(func() { _ = c.s.Close() })
	c.ok(patchat.ActionGreeting, nil)
	return c
}

// do runs an action that must not fail at the wire level.
func (c *client) do(action string, vars patchat.Vars) patchat.Result {
	c.t.Helper()
	res, err := c.s.Do(context.Background(), action, vars)
	require.NoError(c.t, err, action)
	return res
}

// ok runs an action that the server must accept.
func (c *client) ok(action string, vars patchat.Vars) patchat.Result {
	c.t.Helper()
	res := c.do(action, vars)
	require.False(c.t, res.Refused, "%s refused: %q", action, res.Text)
	return res
}

// refused runs an action that the server must refuse.
func (c *client) refused(action string, vars patchat.Vars) {
	c.t.Helper()
	res := c.do(action, vars)
	require.True(c.t, res.Refused, "%s accepted: %q", action, res.Text)
}

// receive waits for a room message with this text in this room.
func (c *client) receive(from, room, text string) {
	c.t.Helper()
	m, err := c.s.WaitMessage(context.Background(), func(m patchat.RoomMessage) bool {
		return m.Text == text && m.Room == room
	})
	require.NoError(c.t, err, "waiting for %q in %q", text, room)
	assert.Equal(c.t, from, m.From)
}

// never says that no message with this text arrived (call after a barrier).
func (c *client) never(text string) {
	c.t.Helper()
	for _, m := range c.s.Messages() {
		assert.NotEqual(c.t, text, m.Text, "unexpected %q", m.Raw)
	}
}

func room(name string) patchat.Vars { return patchat.Vars{patchat.VarRoom: name} }
func text(s string) patchat.Vars    { return patchat.Vars{patchat.VarText: s} }
func user(name string) patchat.Vars {
	return patchat.Vars{patchat.VarUser: name, patchat.VarPassword: "pw-" + name}
}

// TestDialectsAgainstReferenceServer runs every action of each bundled
// dialect against the reference server in the matching style.
func TestDialectsAgainstReferenceServer(t *testing.T) {
	for name, style := range map[string]string{"reference": refpat.StyleLine, "menu": refpat.StyleMenu} {
		t.Run(name, func(t *testing.T) {
			b, err := dialects.Get(name)
			require.NoError(t, err)
			d, err := patchat.Parse(b, name+".yaml")
			require.NoError(t, err)
			runAllActions(t, startServer(t, style), d)
		})
	}
}

func runAllActions(t *testing.T, addr string, d *patchat.Dialect) {
	const odd = "a.b (x)+" // regex metacharacters: picked by number in the menu style
	alice, bob := connect(t, addr, d), connect(t, addr, d)
	alice.ok(patchat.ActionRegister, user("alice"))
	bob.ok(patchat.ActionRegister, user("bob"))
	bob.refused(patchat.ActionRegister, user("alice"))

	stranger := connect(t, addr, d)
	stranger.refused(patchat.ActionLogin, patchat.Vars{patchat.VarUser: "alice", patchat.VarPassword: "wrong"})
	assert.Equal(t, "Main Room", alice.ok(patchat.ActionLogin, user("alice")).Vars[patchat.VarRoom])
	bob.ok(patchat.ActionLogin, user("bob"))

	alice.ok(patchat.ActionCreate, room(odd))
	alice.refused(patchat.ActionCreate, room(odd))
	bob.ok(patchat.ActionJoin, room(odd))
	bob.refused(patchat.ActionJoin, room("no such room"))
	assert.Equal(t, []string{"alice", "bob"}, bob.ok(patchat.ActionListUsers, nil).Items)
	rooms := bob.ok(patchat.ActionListRooms, nil).Items
	assert.True(t, slices.Contains(rooms, "Main Room") && slices.Contains(rooms, odd), "rooms: %q", rooms)

	alice.ok(patchat.ActionCreate, room("foo"))
	alice.ok(patchat.ActionSwitch, room(odd))
	alice.refused(patchat.ActionSwitch, room("Nowhere"))
	alice.ok(patchat.ActionSay, text("hello 1"))
	bob.receive("alice", odd, "hello 1")

	// broadcast: current room (odd) and Main Room: bob is in both, one labelled copy each.
	alice.ok(patchat.ActionBroadcast, patchat.Vars{patchat.VarRooms: d.JoinRooms("Main Room"), patchat.VarText: "bc 1"})
	bob.receive("alice", odd, "bc 1")
	bob.receive("alice", "Main Room", "bc 1")

	// broadcast_others: Main Room only, not the current room.
	alice.ok(patchat.ActionBroadcastOthers, patchat.Vars{patchat.VarRooms: d.JoinRooms("Main Room"), patchat.VarText: "bo 1"})
	bob.receive("alice", "Main Room", "bo 1")
	alice.ok(patchat.ActionSay, text("barrier 1"))
	bob.receive("alice", odd, "barrier 1")
	for _, m := range bob.s.Messages() {
		assert.False(t, m.Text == "bo 1" && m.Room == odd, "bo 1 reached the current room")
	}

	bob.ok(patchat.ActionLeave, room(odd))
	bob.refused(patchat.ActionLeave, room(odd))
	alice.ok(patchat.ActionSay, text("after leave"))
	alice.ok(patchat.ActionBroadcastOthers, patchat.Vars{patchat.VarRooms: "Main Room", patchat.VarText: "barrier 2"})
	bob.receive("alice", "Main Room", "barrier 2")
	bob.never("after leave")
	alice.never("hello 1") // no echo of one's own messages (echo_own_messages: false)

	alice.ok(patchat.ActionExit, nil)
	require.NoError(t, alice.s.WaitClosed(context.Background()))
	assert.Equal(t, []string{"bob"}, bob.ok(patchat.ActionListUsers, nil).Items)
	bob.ok(patchat.ActionExit, nil)
}
