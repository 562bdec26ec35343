package patchat

import (
	"bytes"

	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

// beforeLogin: commands before logging in, bad registrations and logins.
func (g *gen) beforeLogin() {
	c := g.conn()
	for range 2 + g.r.IntN(5) {
		if g.r.IntN(3) == 0 {
			vars := map[string]string{"user": g.arg(g.name("fz")), "password": g.arg("pw")}
			action := []string{wire.ActionRegister, wire.ActionLogin}[g.r.IntN(2)]
			g.act(c, "bad "+action, action, vars)
			continue
		}
		g.randomCommand(c, " before login")
	}
}

// endlessLine: a line far over any sane bound, sometimes in 16 KiB writes,
// then a normal command to see the server recovered.
func (g *gen) endlessLine() {
	c := g.user()
	n := []int{4097, 8192, 65536, 300000, 1 << 20}[g.r.IntN(5)]
	fill := []byte{'a', 0xff, 0, ' '}[g.r.IntN(4)]
	line := bytes.Repeat([]byte{fill}, n)
	if g.r.IntN(2) == 0 {
		g.unterminated(c, "endless line", line)
	} else {
		for len(line) > 0 {
			k := min(len(line), 16<<10)
			g.b.Send(c, g.after(c, fuzz.Step{Data: line[:k], Note: "endless line, in chunks"}))
			line = line[k:]
		}
		g.partial[c] = true
	}
	if g.r.IntN(2) == 0 {
		g.sendAfter(c, "end the long line, then list rooms", append([]byte(g.v.ending), g.command(wire.ActionListRooms, nil)...))
		g.partial[c] = false
		g.expect(c, g.v.anyReply)
	}
}

// rapidRooms: users create, join, leave and switch rooms as fast as they can.
func (g *gen) rapidRooms() {
	conns := []int{g.user(), g.user()}
	actions := []string{wire.ActionCreate, wire.ActionJoin, wire.ActionLeave, wire.ActionSwitch, wire.ActionSay,
		wire.ActionBroadcastOthers}
	for range 10 + g.r.IntN(20) {
		c := conns[g.r.IntN(len(conns))]
		a := actions[g.r.IntN(len(actions))]
		vars := map[string]string{"room": g.rooms[g.r.IntN(len(g.rooms))], "text": "hi", "rooms": g.roomList()}
		if g.r.IntN(3) == 0 {
			g.b.Align()
		}
		g.b.Send(c, fuzz.Step{Data: g.command(a, vars), Note: "rapid " + a})
	}
}

// manyConnections: n connections at once, each doing a little or nothing.
func (g *gen) manyConnections(n int) {
	for range n {
		switch g.r.IntN(4) {
		case 0:
			g.b.Conn() // connects, says nothing, closes
		case 1:
			c := g.user()
			g.act(c, "say", wire.ActionSay, map[string]string{"text": "many"})
		case 2:
			c := g.conn()
			g.junk(c, "junk", g.hostile(), g.v.ending)
		default:
			c := g.user()
			g.act(c, "exit", wire.ActionExit, nil)
		}
	}
}

// oddDelivery: a normal session sent in one write, dripped in a few writes
// cut anywhere (see fuzz.Drip), or cut in two, the rest dripped.
func (g *gen) oddDelivery() {
	var data []byte
	vars := map[string]string{"user": g.name("fz"), "password": g.name("pw"), "room": g.rooms[1], "text": "odd"}
	for _, a := range []string{wire.ActionRegister, wire.ActionLogin, wire.ActionCreate, wire.ActionSay,
		wire.ActionListUsers, wire.ActionLeave} {
		data = append(data, g.v.render(a, vars, g.v.ending)...)
	}
	c := g.b.Conn()
	switch g.r.IntN(3) {
	case 0:
		g.b.Send(c, fuzz.Step{Data: data, Note: "a whole session in one write"})
	case 1:
		g.b.Send(c, fuzz.Step{Data: data, Chunks: fuzz.Drip(g.r, len(data), 0), Note: "dripped"})
	default:
		cut := 1 + g.r.IntN(len(data)-1)
		g.b.Send(c, fuzz.Step{Data: data[:cut], Note: "first part"})
		g.b.Send(c, fuzz.Step{Data: data[cut:], Chunks: fuzz.Drip(g.r, len(data)-cut, 0), Note: "rest, dripped"})
	}
}
