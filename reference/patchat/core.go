package patchat

import (
	"maps"
	"slices"
	"strings"
)

// Core is the Pat Chat state machine: sessions, logins, rooms, membership,
// current rooms and message routing. It does no I/O, starts no goroutines and
// holds no text: Step takes one command from one session and returns the
// events to send to whom. It is not safe for concurrent use; the network loop
// serialises calls. Passwords are checked outside (see Login).
type Core struct {
	capacity int
	faults   Faults
	sessions map[SessionID]*session
	users    map[string]SessionID // logged-in username -> its session
	rooms    map[string]*room
}

// session is one connection's state.
type session struct {
	id      SessionID
	user    string          // "" until login
	rooms   map[string]bool // rooms this session is a member of
	current string          // "" when in no room
	left    map[string]bool // RejoinListedTwice: rooms this session has left
}

// room is one chat room. members is the delivery list; it equals the set of
// sessions whose rooms contain this room, except under LeaverStillReceives.
type room struct {
	name    string
	members map[SessionID]bool
	ghosts  []string // VanishedStaysListed: names of dropped members
	history []Event  // HistoryOnJoin: the last messages
}

// NewCore returns a Core admitting at most capacity connections at once
// (values below 1 mean 1), with the given deliberate bugs switched on.
func NewCore(capacity int, faults Faults) *Core {
	c := &Core{
		capacity: max(capacity, 1),
		faults:   faults,
		sessions: map[SessionID]*session{},
		users:    map[string]SessionID{},
		rooms:    map[string]*room{},
	}
	c.rooms[MainRoom] = newRoom(MainRoom)
	return c
}

func newRoom(name string) *room { return &room{name: name, members: map[SessionID]bool{}} }

// reply is the one-event answer to id.
func reply(id SessionID, ev Event) []Output { return []Output{{To: id, Event: ev}} }

// Step applies one command from session id and returns what to send to whom,
// in order. Commands from unknown sessions (never connected, or gone) return nil.
func (c *Core) Step(id SessionID, cmd Command) []Output {
	switch cmd := cmd.(type) {
	case Connect:
		return c.connect(id)
	case Vanish:
		c.remove(id, false)
		return nil
	case Exit:
		if c.sessions[id] == nil {
			return nil
		}
		c.remove(id, true)
		return reply(id, Event{Kind: KindBye})
	case Login:
		return c.login(id, cmd)
	}
	s := c.sessions[id]
	if s == nil {
		return nil
	}
	if s.user == "" {
		return reply(id, Event{Kind: KindLoginFirst})
	}
	return c.roomCommand(s, cmd)
}

// roomCommand handles the commands that need a logged-in session.
func (c *Core) roomCommand(s *session, cmd Command) []Output {
	switch cmd := cmd.(type) {
	case ListUsers:
		return c.listUsers(s)
	case ListRooms:
		if c.faults.ListMyRoomsOnly {
			return reply(s.id, Event{Kind: KindRooms, Items: slices.Sorted(maps.Keys(s.rooms))})
		}
		return reply(s.id, Event{Kind: KindRooms, Items: slices.Sorted(maps.Keys(c.rooms))})
	case ListMyRooms:
		return reply(s.id, Event{Kind: KindMyRooms, Items: slices.Sorted(maps.Keys(s.rooms))})
	case Create:
		return c.create(s, cmd.Room)
	case Join:
		return c.join(s, strings.TrimSpace(cmd.Room))
	case Leave:
		return c.leave(s, strings.TrimSpace(cmd.Room))
	case Switch:
		return c.switchTo(s, strings.TrimSpace(cmd.Room))
	case Say:
		return c.say(s, cmd.Text)
	case Broadcast:
		return c.broadcast(s, cmd)
	}
	return nil
}

// connect admits a new session unless the server is at capacity.
func (c *Core) connect(id SessionID) []Output {
	if c.sessions[id] != nil {
		return nil
	}
	if len(c.sessions) >= c.capacity {
		return reply(id, Event{Kind: KindFull, N: c.capacity})
	}
	c.sessions[id] = &session{id: id, rooms: map[string]bool{}}
	return reply(id, Event{Kind: KindGreeting})
}

// login puts a session in Main Room as user, unless the password was wrong or
// the account is in use on another connection.
func (c *Core) login(id SessionID, cmd Login) []Output {
	s := c.sessions[id]
	switch {
	case s == nil:
		return nil
	case s.user != "":
		return reply(id, Event{Kind: KindAlreadyIn})
	case !cmd.PasswordOK || cmd.User == "":
		return reply(id, Event{Kind: KindWrongLogin})
	}
	if _, busy := c.users[cmd.User]; busy && !c.faults.SecondLoginAccepted {
		return reply(id, Event{Kind: KindUserBusy, User: cmd.User})
	}
	s.user = cmd.User
	c.users[cmd.User] = id
	if !c.faults.LoginOutsideMainRoom {
		c.addMember(s, c.rooms[MainRoom])
	}
	out := reply(id, Event{Kind: KindWelcome, User: cmd.User, Room: MainRoom})
	return append(out, c.replay(s, MainRoom)...)
}

// remove deletes a session from every room and list. A vanished (not exited)
// session leaves a ghost name behind under VanishedStaysListed.
func (c *Core) remove(id SessionID, exited bool) {
	s := c.sessions[id]
	if s == nil {
		return
	}
	for _, r := range c.rooms {
		if r.members[id] && s.user != "" && c.staysListed(exited) {
			r.ghosts = append(r.ghosts, s.user)
		}
		delete(r.members, id)
	}
	if s.user != "" && c.users[s.user] == id {
		delete(c.users, s.user)
	}
	delete(c.sessions, id)
}

// addMember makes s a member of r and r its current room.
func (c *Core) addMember(s *session, r *room) {
	r.members[s.id] = true
	s.rooms[r.name] = true
	s.current = r.name
}
