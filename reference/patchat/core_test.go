package patchat

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// coreWith returns a Core with users u1..un connected and logged in as
// sessions 1..n.
func coreWith(t *testing.T, f Faults, users ...string) *Core {
	t.Helper()
	c := NewCore(100, f)
	for i, u := range users {
		id := SessionID(i + 1)
		require.Equal(t, KindGreeting, c.Step(id, Connect{})[0].Event.Kind)
		require.Equal(t, KindWelcome, c.Step(id, Login{User: u, PasswordOK: true})[0].Event.Kind)
	}
	require.NoError(t, c.check())
	return c
}

// one runs cmd and returns the single event for the sender.
func one(t *testing.T, c *Core, id SessionID, cmd Command) Event {
	t.Helper()
	outs := c.Step(id, cmd)
	require.Len(t, outs, 1, "outputs: %v", outs)
	require.Equal(t, id, outs[0].To)
	require.NoError(t, c.check())
	return outs[0].Event
}

func msg(to SessionID, room, from, text string) Output {
	return Output{To: to, Event: Event{Kind: KindMessage, Room: room, User: from, Text: text}}
}

func sent(to SessionID) Output { return Output{To: to, Event: Event{Kind: KindSent}} }

func TestCoreLogin(t *testing.T) {
	c := NewCore(2, Faults{})
	assert.Equal(t, []Output{{To: 1, Event: Event{Kind: KindGreeting}}}, c.Step(1, Connect{}))
	assert.Equal(t, KindLoginFirst, one(t, c, 1, ListUsers{}).Kind)
	assert.Equal(t, KindLoginFirst, one(t, c, 1, Say{Text: "hi"}).Kind)
	assert.Equal(t, KindWrongLogin, one(t, c, 1, Login{User: "ann", PasswordOK: false}).Kind)
	assert.Equal(t, Event{Kind: KindWelcome, User: "ann", Room: MainRoom}, one(t, c, 1, Login{User: "ann", PasswordOK: true}))
	assert.Equal(t, KindAlreadyIn, one(t, c, 1, Login{User: "ann", PasswordOK: true}).Kind)

	c.Step(2, Connect{})
	assert.Equal(t, Event{Kind: KindUserBusy, User: "ann"}, one(t, c, 2, Login{User: "ann", PasswordOK: true}))
	assert.Equal(t, []Output{{To: 3, Event: Event{Kind: KindFull, N: 2}}}, c.Step(3, Connect{}))

	assert.Equal(t, Event{Kind: KindBye}, one(t, c, 1, Exit{}))
	assert.Nil(t, c.Step(1, ListUsers{}), "a gone session gets nothing")
	assert.Equal(t, KindWelcome, c.Step(2, Login{User: "ann", PasswordOK: true})[0].Event.Kind, "account free after exit")
	assert.Equal(t, KindGreeting, c.Step(3, Connect{})[0].Event.Kind, "a place is free after exit")
}

func TestCoreRooms(t *testing.T) {
	c := coreWith(t, Faults{}, "ann", "bob")
	assert.Equal(t, Event{Kind: KindUsers, Room: MainRoom, Items: []string{"ann", "bob"}}, one(t, c, 1, ListUsers{}))
	assert.Equal(t, Event{Kind: KindCreated, Room: "foo"}, one(t, c, 1, Create{Room: "  foo "}))
	assert.Equal(t, Event{Kind: KindRoomExists, Room: "foo"}, one(t, c, 2, Create{Room: "foo"}))
	for _, bad := range []string{"", "a,b", "a:b", "[x]", "tab\there", string(make([]byte, 65))} {
		assert.Equal(t, KindBadRoomName, one(t, c, 2, Create{Room: bad}).Kind, "%q", bad)
	}
	assert.Equal(t, Event{Kind: KindUsers, Room: "foo", Items: []string{"ann"}}, one(t, c, 1, ListUsers{}))
	assert.Equal(t, Event{Kind: KindNoRoom, Room: "nope"}, one(t, c, 2, Join{Room: "nope"}))
	assert.Equal(t, Event{Kind: KindJoined, Room: "foo"}, one(t, c, 2, Join{Room: "foo"}))
	assert.Equal(t, Event{Kind: KindRooms, Items: []string{MainRoom, "foo"}}, one(t, c, 2, ListRooms{}))
	assert.Equal(t, Event{Kind: KindMyRooms, Items: []string{MainRoom, "foo"}}, one(t, c, 2, ListMyRooms{}))

	assert.Equal(t, []Output{sent(1), msg(2, "foo", "ann", "hi")}, c.Step(1, Say{Text: "hi"}))
	assert.Equal(t, Event{Kind: KindCurrent, Room: MainRoom}, one(t, c, 2, Switch{Room: MainRoom}))
	assert.Equal(t, Event{Kind: KindNotIn, Room: "bar"}, one(t, c, 2, Switch{Room: "bar"}))
	assert.Equal(t, []Output{sent(2), msg(1, MainRoom, "bob", "yo")}, c.Step(2, Say{Text: "yo"}))

	assert.Equal(t, Event{Kind: KindLeft, Room: "foo"}, one(t, c, 2, Leave{Room: "foo"}))
	assert.Equal(t, Event{Kind: KindNotIn, Room: "foo"}, one(t, c, 2, Leave{Room: "foo"}))
	assert.Equal(t, []Output{sent(1)}, c.Step(1, Say{Text: "alone"}), "the leaver receives nothing")
}

func TestCoreLeaveCurrentPicksNext(t *testing.T) {
	c := coreWith(t, Faults{}, "ann")
	one(t, c, 1, Create{Room: "b"})
	one(t, c, 1, Create{Room: "a"})
	one(t, c, 1, Leave{Room: "a"})
	assert.Equal(t, MainRoom, c.sessions[1].current, "Main Room first")
	one(t, c, 1, Leave{Room: MainRoom})
	assert.Equal(t, "b", c.sessions[1].current, "then the first remaining")
	one(t, c, 1, Leave{Room: "b"})
	assert.Equal(t, KindNoCurrentRoom, one(t, c, 1, Say{Text: "x"}).Kind)
	assert.Equal(t, KindNoCurrentRoom, one(t, c, 1, ListUsers{}).Kind)
	assert.Equal(t, KindNoCurrentRoom, one(t, c, 1, Broadcast{Text: "x", IncludeCurrent: true}).Kind)
}

func TestCoreBroadcast(t *testing.T) {
	c := coreWith(t, Faults{}, "ann", "bob", "cat", "dan")
	one(t, c, 1, Create{Room: "x"})
	one(t, c, 1, Create{Room: "y"})
	one(t, c, 1, Switch{Room: MainRoom})
	one(t, c, 2, Join{Room: "x"})
	one(t, c, 2, Join{Room: "y"})
	one(t, c, 3, Join{Room: "y"})
	one(t, c, 4, Leave{Room: MainRoom})

	got := c.Step(1, Broadcast{Rooms: []string{"x", "y"}, IncludeCurrent: true, Text: "hi"})
	want := []Output{sent(1),
		msg(2, MainRoom, "ann", "hi"), msg(3, MainRoom, "ann", "hi"),
		msg(2, "x", "ann", "hi"),
		msg(2, "y", "ann", "hi"), msg(3, "y", "ann", "hi")}
	assert.Equal(t, want, got, "one labelled copy per room; the sender gets none")

	got = c.Step(1, Broadcast{Rooms: []string{"y", "y"}, Text: "bx"})
	assert.Equal(t, []Output{sent(1), msg(2, "y", "ann", "bx"), msg(3, "y", "ann", "bx")}, got, "current room excluded")

	assert.Equal(t, Event{Kind: KindNotIn, Room: "x"}, one(t, c, 3, Broadcast{Rooms: []string{"y", "x"}, Text: "no"}))
	assert.Equal(t, KindEmpty, one(t, c, 1, Broadcast{Rooms: []string{"x"}, Text: ""}).Kind)
	assert.Equal(t, KindEmpty, one(t, c, 1, Say{}).Kind)
}

func TestCoreVanishRemovesEverywhere(t *testing.T) {
	c := coreWith(t, Faults{}, "ann", "bob")
	one(t, c, 2, Create{Room: "foo"})
	one(t, c, 1, Join{Room: "foo"})
	assert.Nil(t, c.Step(2, Vanish{}))
	require.NoError(t, c.check())
	assert.Equal(t, []string{"ann"}, one(t, c, 1, ListUsers{}).Items)
	one(t, c, 1, Switch{Room: MainRoom})
	assert.Equal(t, []string{"ann"}, one(t, c, 1, ListUsers{}).Items)
	assert.Equal(t, []Output{sent(1)}, c.Step(1, Say{Text: "x"}))
}

func TestCoreNoHistory(t *testing.T) {
	c := coreWith(t, Faults{}, "ann", "bob")
	one(t, c, 1, Create{Room: "foo"})
	c.Step(1, Say{Text: "before"})
	assert.Equal(t, Event{Kind: KindJoined, Room: "foo"}, one(t, c, 2, Join{Room: "foo"}))
}

func TestCoreFaults(t *testing.T) {
	t.Run("history-on-join", func(t *testing.T) {
		c := coreWith(t, Faults{HistoryOnJoin: true}, "ann", "bob")
		one(t, c, 1, Create{Room: "foo"})
		for i := range 25 {
			c.Step(1, Say{Text: fmt.Sprint(i)})
		}
		outs := c.Step(2, Join{Room: "foo"})
		require.Len(t, outs, 1+historySize)
		assert.Equal(t, msg(2, "foo", "ann", "5"), outs[1], "only the last 20 are kept")
	})
	t.Run("leak-to-other-room", func(t *testing.T) {
		c := coreWith(t, Faults{LeakToOtherRoom: true}, "ann", "bob")
		one(t, c, 1, Create{Room: "foo"})
		assert.Equal(t, []Output{sent(1), msg(2, "foo", "ann", "x")}, c.Step(1, Say{Text: "x"}))
	})
	t.Run("leaver-still-receives", func(t *testing.T) {
		c := coreWith(t, Faults{LeaverStillReceives: true}, "ann", "bob")
		one(t, c, 1, Create{Room: "foo"})
		one(t, c, 2, Join{Room: "foo"})
		one(t, c, 2, Leave{Room: "foo"})
		assert.Equal(t, []Output{sent(1), msg(2, "foo", "ann", "x")}, c.Step(1, Say{Text: "x"}))
	})
	t.Run("unlabelled-duplicates", func(t *testing.T) {
		c := coreWith(t, Faults{UnlabelledDuplicates: true}, "ann", "bob")
		one(t, c, 1, Create{Room: "foo"})
		one(t, c, 2, Join{Room: "foo"})
		got := c.Step(1, Broadcast{Rooms: []string{MainRoom}, IncludeCurrent: true, Text: "x"})
		assert.Equal(t, []Output{sent(1), msg(2, "foo", "ann", "x"), msg(2, "foo", "ann", "x")}, got)
	})
	t.Run("list-all-users", func(t *testing.T) {
		c := coreWith(t, Faults{ListAllUsers: true}, "ann", "bob")
		one(t, c, 1, Create{Room: "foo"})
		assert.Equal(t, []string{"ann", "bob"}, one(t, c, 1, ListUsers{}).Items)
	})
	t.Run("vanished-stays-listed", func(t *testing.T) {
		c := coreWith(t, Faults{VanishedStaysListed: true}, "ann", "bob")
		c.Step(2, Vanish{})
		assert.Equal(t, []string{"ann", "bob"}, one(t, c, 1, ListUsers{}).Items)
	})
}

// check verifies the Core's invariants; tests and fuzz targets call it after
// every step.
func (c *Core) check() error {
	if len(c.sessions) > c.capacity {
		return fmt.Errorf("%d sessions over capacity %d", len(c.sessions), c.capacity)
	}
	if c.rooms[MainRoom] == nil {
		return fmt.Errorf("no %s", MainRoom)
	}
	for user, id := range c.users {
		if s := c.sessions[id]; s == nil || s.user != user {
			return fmt.Errorf("user %q maps to session %d which is not logged in as it", user, id)
		}
	}
	for name, r := range c.rooms {
		if r.name != name {
			return fmt.Errorf("room %q named %q", name, r.name)
		}
		for id := range r.members {
			s := c.sessions[id]
			if s == nil || s.user == "" {
				return fmt.Errorf("room %q has member %d that is not a logged-in session", name, id)
			}
			if !s.rooms[name] && !c.faults.LeaverStillReceives {
				return fmt.Errorf("room %q lists %d but the session does not list the room", name, id)
			}
		}
	}
	for id, s := range c.sessions {
		if err := c.checkSession(id, s); err != nil {
			return err
		}
	}
	return nil
}

func (c *Core) checkSession(id SessionID, s *session) error {
	if s.user == "" && (len(s.rooms) > 0 || s.current != "") {
		return fmt.Errorf("session %d not logged in but in rooms %v", id, slices.Collect(maps.Keys(s.rooms)))
	}
	if s.user != "" && c.users[s.user] != id {
		return fmt.Errorf("session %d logged in as %q not in the user list", id, s.user)
	}
	if s.current != "" && !s.rooms[s.current] {
		return fmt.Errorf("session %d current room %q is not one of its rooms", id, s.current)
	}
	for name := range s.rooms {
		if r := c.rooms[name]; r == nil || !r.members[id] {
			return fmt.Errorf("session %d lists room %q which does not list it", id, name)
		}
	}
	return nil
}

func TestRoomsAreCapped(t *testing.T) {
	c := NewCore(10, Faults{})
	c.Step(1, Connect{})
	c.Step(1, Login{User: "grow", PasswordOK: true})
	var last []Output
	for i := 0; len(last) == 0 || last[0].Event.Kind != KindTooManyRooms; i++ {
		if i > MaxRooms+1 {
			t.Fatalf("created more than %d rooms", MaxRooms)
		}
		last = c.Step(1, Create{Room: fmt.Sprintf("room-%d", i)})
	}
	if len(c.rooms) != MaxRooms {
		t.Fatalf("%d rooms, want %d", len(c.rooms), MaxRooms)
	}
}
