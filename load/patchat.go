package load

import (
	"context"
	"errors"
	"fmt"
	pclient "github.com/chatspec/chatspec/client/patchat"
	"math/rand/v2"
	"net"
	"slices"

	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

// MainRoom is where Pat Chat puts every user at login (6.1).
const MainRoom = "Main Room"

// patchatClient is one Pat Chat user: a reader goroutine records every
// room message; act says something, or creates, joins or leaves a room.
type patchatClient struct {
	w       *world
	i       int
	user    string
	s       *pclient.Session
	rooms   []string // rooms it is a member of
	current string   // its current room ("" when not known for sure)
	n       int
	cancel  context.CancelFunc
	done    chan struct{}
}

// connectPatChat dials, registers and logs client i in.
func (w *world) connectPatChat(ctx context.Context, i int) (client, error) {
	d := net.Dialer{Timeout: w.cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", w.cfg.Addr)
	if err != nil {
		return nil, err
	}
	c := &patchatClient{w: w, i: i, user: w.nicks[i], done: make(chan struct{}),
		s: pclient.NewSession(conn, w.cfg.Dialect, pclient.Options{Options: wire.Options{Timeout: w.cfg.Timeout, MaxLog: 256 << 20}})}
	creds := wire.Vars{wire.VarUser: c.user, wire.VarPassword: "pw" + c.user}
	if err := c.must(ctx, wire.ActionGreeting, nil); err != nil {
		return nil, err
	}
	if err := c.must(ctx, wire.ActionRegister, creds); err != nil {
		return nil, err
	}
	w.log.Identity(c.user, transcript.EvBegin, transcript.TopicLogin, c.user)
	w.log.Identity(c.user, transcript.EvBegin, transcript.TopicMember, MainRoom)
	if err := c.must(ctx, wire.ActionLogin, creds); err != nil {
		return nil, err
	}
	w.log.Identity(c.user, transcript.EvBegun, transcript.TopicLogin, c.user)
	w.log.Identity(c.user, transcript.EvBegun, transcript.TopicMember, MainRoom)
	c.rooms, c.current = []string{MainRoom}, MainRoom
	rctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	go c.read(rctx)
	return c, nil
}

// must runs an action that has to be accepted.
func (c *patchatClient) must(ctx context.Context, action string, vars wire.Vars) error {
	res, err := c.s.Do(ctx, action, vars)
	if err == nil && res.Refused {
		err = fmt.Errorf("refused: %q", res.Text)
	}
	if err != nil {
		_ = c.s.Close()
		return fmt.Errorf("%s: %s: %w", c.user, action, err)
	}
	return nil
}

// read records room messages until the session ends.
func (c *patchatClient) read(ctx context.Context) {
	defer close(c.done)
	for {
		m, err := c.s.WaitMessage(ctx, nil)
		switch {
		case err == nil:
			c.w.log.Got(c.user, transcript.TopicRoom, m.From, m.Room, m.Text)
		case ctx.Err() != nil:
			return
		case errors.Is(err, wire.ErrTimeout):
		default:
			c.w.log.Identity(c.user, transcript.EvEnded, "", "")
			return
		}
	}
}

// act picks one thing to do: mostly talk, sometimes change rooms.
func (c *patchatClient) act(ctx context.Context, rng *rand.Rand) error {
	switch r := rng.IntN(20); {
	case r < 12:
		return c.say(ctx)
	case r < 14:
		return c.broadcast(ctx, rng)
	case r < 17:
		return c.enter(ctx, c.w.rooms[rng.IntN(len(c.w.rooms))])
	default:
		return c.leave(ctx, rng)
	}
}

// text is the client's next unique message text.
func (c *patchatClient) text() string {
	c.n++
	return fmt.Sprintf("%s-%d-%d", c.w.run, c.i, c.n)
}

// say writes to the current room; after a leave of the current room it
// first switches to a room it knows it is in.
func (c *patchatClient) say(ctx context.Context) error {
	if c.current == "" {
		if len(c.rooms) == 0 {
			return c.enter(ctx, MainRoom)
		}
		if err := c.must(ctx, wire.ActionSwitch, wire.Vars{wire.VarRoom: c.rooms[0]}); err != nil {
			return err
		}
		c.current = c.rooms[0]
	}
	return c.send(ctx, wire.ActionSay, []string{c.current}, wire.Vars{})
}

// broadcast writes to one or two of its rooms, leaving the current one out
// (when the dialect has broadcast_others).
func (c *patchatClient) broadcast(ctx context.Context, rng *rand.Rand) error {
	if _, ok := c.w.cfg.Dialect.Actions[wire.ActionBroadcastOthers]; !ok || len(c.rooms) == 0 {
		return c.say(ctx)
	}
	rooms := []string{c.rooms[rng.IntN(len(c.rooms))]}
	if other := c.rooms[rng.IntN(len(c.rooms))]; other != rooms[0] {
		rooms = append(rooms, other)
	}
	return c.send(ctx, wire.ActionBroadcastOthers, rooms, wire.Vars{wire.VarRooms: c.w.cfg.Dialect.JoinRooms(rooms...)})
}

// send writes one message with a recorded send and acknowledgement.
func (c *patchatClient) send(ctx context.Context, action string, rooms []string, vars wire.Vars) error {
	text := c.text()
	vars[wire.VarText] = text
	c.w.log.Sent(c.user, transcript.TopicRoom, "", rooms, text)
	res, err := c.s.Do(ctx, action, vars)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", c.user, action, err)
	}
	if res.Refused {
		return fmt.Errorf("%s: %s to %q refused: %q", c.user, action, rooms, res.Text)
	}
	c.w.log.Acked(c.user)
	return nil
}

// enter joins a room, creating it when it does not exist yet.
func (c *patchatClient) enter(ctx context.Context, room string) error {
	if slices.Contains(c.rooms, room) {
		return c.say(ctx)
	}
	for _, action := range []string{wire.ActionJoin, wire.ActionCreate, wire.ActionJoin} {
		c.w.log.Identity(c.user, transcript.EvBegin, transcript.TopicMember, room)
		res, err := c.s.Do(ctx, action, wire.Vars{wire.VarRoom: room})
		if err != nil {
			return fmt.Errorf("%s: %s %q: %w", c.user, action, room, err)
		}
		if !res.Refused {
			c.w.log.Identity(c.user, transcript.EvBegun, transcript.TopicMember, room)
			c.rooms, c.current = append(c.rooms, room), room
			return nil
		}
		c.w.log.Identity(c.user, transcript.EvEnded, transcript.TopicMember, room)
	}
	return fmt.Errorf("%s: could neither join nor create %q", c.user, room)
}

// leave leaves one of its rooms.
func (c *patchatClient) leave(ctx context.Context, rng *rand.Rand) error {
	if len(c.rooms) == 0 {
		return c.enter(ctx, MainRoom)
	}
	room := c.rooms[rng.IntN(len(c.rooms))]
	c.w.log.Identity(c.user, transcript.EvEnd, transcript.TopicMember, room)
	res, err := c.s.Do(ctx, wire.ActionLeave, wire.Vars{wire.VarRoom: room})
	if err != nil {
		return fmt.Errorf("%s: leave %q: %w", c.user, room, err)
	}
	c.w.log.Identity(c.user, transcript.EvEnded, transcript.TopicMember, room)
	if res.Refused {
		return fmt.Errorf("%s: leave %q refused: %q", c.user, room, res.Text)
	}
	c.rooms = slices.DeleteFunc(c.rooms, func(r string) bool { return r == room })
	if c.current == room {
		c.current = "" // the document does not say which room is current now
	}
	return nil
}

// close ends the session; its identities end with it.
func (c *patchatClient) close() {
	c.w.log.Identity(c.user, transcript.EvEnd, "", "")
	_ = c.s.Close()
	c.cancel()
	<-c.done
	c.w.log.Identity(c.user, transcript.EvEnded, "", "")
}
