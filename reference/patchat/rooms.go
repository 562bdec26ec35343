package patchat

import (
	"maps"
	"slices"
	"strings"
)

// listUsers answers l: the users of the current room, sorted.
func (c *Core) listUsers(s *session) []Output {
	if s.current == "" {
		return reply(s.id, Event{Kind: KindNoCurrentRoom})
	}
	var names []string
	if c.faults.ListAllUsers {
		names = slices.Collect(maps.Keys(c.users))
	} else {
		r := c.rooms[s.current]
		for id := range r.members {
			names = append(names, c.sessions[id].user)
		}
		names = append(names, r.ghosts...)
	}
	slices.Sort(names)
	return reply(s.id, Event{Kind: KindUsers, Room: s.current, Items: names})
}

// create answers c NAME.
func (c *Core) create(s *session, name string) []Output {
	name, ok := CleanRoomName(name)
	if !ok {
		return reply(s.id, Event{Kind: KindBadRoomName})
	}
	if c.rooms[name] != nil && c.faults.CreateExistingJoins {
		c.addMember(s, c.rooms[name])
		return reply(s.id, Event{Kind: KindCreated, Room: name})
	}
	if c.rooms[name] != nil {
		return reply(s.id, Event{Kind: KindRoomExists, Room: name})
	}
	if len(c.rooms) >= MaxRooms {
		return reply(s.id, Event{Kind: KindTooManyRooms, N: MaxRooms})
	}
	r := newRoom(name)
	c.rooms[name] = r
	c.addMember(s, r)
	return reply(s.id, Event{Kind: KindCreated, Room: name})
}

// join answers j NAME; joining a room one is in just makes it current.
func (c *Core) join(s *session, name string) []Output {
	r := c.rooms[name]
	if r == nil && c.faults.JoinMissingCreates {
		return c.create(s, name)
	}
	if r == nil {
		return reply(s.id, Event{Kind: KindNoRoom, Room: name})
	}
	c.rejoined(s, r)
	c.addMember(s, r)
	out := reply(s.id, Event{Kind: KindJoined, Room: name})
	return append(out, c.replay(s, name)...)
}

// leave answers r NAME. Leaving the current room makes Main Room current if
// still a member, else the first remaining room in sorted order, else none.
func (c *Core) leave(s *session, name string) []Output {
	if !s.rooms[name] {
		return reply(s.id, Event{Kind: KindNotIn, Room: name})
	}
	delete(s.rooms, name)
	c.left(s, name)
	if !c.faults.LeaverStillReceives {
		delete(c.rooms[name].members, s.id)
	}
	if s.current == name {
		s.current = ""
		if s.rooms[MainRoom] {
			s.current = MainRoom
		} else if rest := slices.Sorted(maps.Keys(s.rooms)); len(rest) > 0 {
			s.current = rest[0]
		}
	}
	return reply(s.id, Event{Kind: KindLeft, Room: name})
}

// switchTo answers s NAME.
func (c *Core) switchTo(s *session, name string) []Output {
	if !s.rooms[name] {
		return reply(s.id, Event{Kind: KindNotIn, Room: name})
	}
	s.current = name
	return reply(s.id, Event{Kind: KindCurrent, Room: name})
}

// say sends text to the current room.
func (c *Core) say(s *session, text string) []Output {
	switch {
	case text == "":
		return reply(s.id, Event{Kind: KindEmpty})
	case s.current == "":
		return reply(s.id, Event{Kind: KindNoCurrentRoom})
	}
	out := reply(s.id, Event{Kind: KindSent})
	return append(out, c.deliver(s, []string{s.current}, text)...)
}

// broadcast answers b and bx: every listed room must be one of the sender's.
func (c *Core) broadcast(s *session, cmd Broadcast) []Output {
	var targets []string
	if cmd.IncludeCurrent && s.current != "" && !c.faults.BroadcastSkipsCurrent {
		targets = append(targets, s.current)
	}
	for _, name := range cmd.Rooms {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if !s.rooms[name] {
			return reply(s.id, Event{Kind: KindNotIn, Room: name})
		}
		if !slices.Contains(targets, name) {
			targets = append(targets, name)
		}
	}
	switch {
	case len(targets) == 0: // nothing listed and no current room
		return reply(s.id, Event{Kind: KindNoCurrentRoom})
	case cmd.Text == "":
		return reply(s.id, Event{Kind: KindEmpty})
	}
	if c.faults.BroadcastLastRoomOnly {
		targets = targets[len(targets)-1:]
	}
	out := reply(s.id, Event{Kind: KindSent})
	return append(out, c.deliver(s, targets, cmd.Text)...)
}

// deliver sends one labelled copy of text per target room to every member of
// that room but the sender: a member of two target rooms gets two copies.
func (c *Core) deliver(from *session, targets []string, text string) []Output {
	var out []Output
	for _, name := range targets {
		ev := Event{Kind: KindMessage, Room: name, User: from.user, Text: text}
		if c.faults.UnlabelledDuplicates {
			ev.Room = targets[0]
		}
		r := c.rooms[name]
		for _, id := range c.recipients(r) {
			if id != from.id {
				out = append(out, Output{To: id, Event: ev})
			}
		}
		if c.faults.HistoryOnJoin {
			r.history = append(r.history, ev)
			r.history = r.history[max(0, len(r.history)-historySize):]
		}
	}
	return out
}

// recipients lists who receives a message to r, in session order.
func (c *Core) recipients(r *room) []SessionID {
	if c.faults.LeakToOtherRoom {
		return slices.Sorted(maps.Values(c.users))
	}
	return slices.Sorted(maps.Keys(r.members))
}

// replay sends a room's stored messages to a new member (HistoryOnJoin only;
// without the fault no history is kept).
func (c *Core) replay(s *session, name string) []Output {
	var out []Output
	for _, ev := range c.rooms[name].history {
		out = append(out, Output{To: s.id, Event: ev})
	}
	return out
}
