package patchat

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

// gen builds one Pat Chat case.
type gen struct {
	r       *rand.Rand
	v       vocabulary
	b       *fuzz.Builder
	rooms   []string         // room names this case uses
	pending map[int][]string // per connection: answers the next send waits for
	partial map[int]bool     // per connection: the server holds a line not yet ended

	maxUsers int // bound on connections of manyConnections (0: none)
}

func newGen(r *rand.Rand, v vocabulary) *gen {
	g := &gen{r: r, v: v, b: fuzz.NewBuilder(Name), pending: map[int][]string{}, partial: map[int]bool{}}
	g.rooms = []string{"Main Room", g.poolRoom(), g.poolRoom(), g.hostileRoom()}
	return g
}

// poolRoom is mostly one of a few shared names, so cases (and workers) meet
// in the same rooms, and the server's room list stays small; sometimes a
// fresh name.
func (g *gen) poolRoom() string {
	if g.r.IntN(10) == 0 {
		return g.name("r")
	}
	return fmt.Sprintf("room-%d", g.r.IntN(16))
}

// generate picks a case shape.
func (g *gen) generate() fuzz.Case {
	switch n := g.r.IntN(20); {
	case n < 8:
		g.sessions(1+g.r.IntN(3), 3+g.r.IntN(10))
	case n < 10:
		g.beforeLogin()
	case n < 13:
		g.endlessLine()
	case n < 16:
		g.rapidRooms()
	case n < 18:
		g.manyConnections(g.bound(10 + g.r.IntN(30)))
	default:
		g.oddDelivery()
	}
	return g.b.Case()
}

// bound keeps n connections within the profile's capacity.
func (g *gen) bound(n int) int {
	if g.maxUsers > 0 {
		return min(n, g.maxUsers)
	}
	return n
}

// name is a fresh identifier with a prefix.
func (g *gen) name(prefix string) string { return fmt.Sprintf("%s%08x", prefix, g.r.Uint32()) }

// ending is mostly the dialect's line ending, sometimes another one.
func (g *gen) ending() string {
	switch g.r.IntN(12) {
	case 0:
		return "\r\n"
	case 1:
		return "\r"
	}
	return g.v.ending
}

// junk sends on conn a line whose answer the dialect cannot say.
func (g *gen) junk(conn int, note string, body []byte, ending string) {
	g.line(conn, note, append(body, ending...), ending, g.v.anyReply)
}

// command renders an action with vars.
func (g *gen) command(action string, vars map[string]string) []byte {
	return g.v.render(action, vars, g.ending())
}

// user registers and logs in a fresh user on a new connection.
func (g *gen) user() int {
	c := g.conn()
	vars := map[string]string{"user": g.name("fz"), "password": g.name("pw")}
	g.act(c, "register", wire.ActionRegister, vars)
	g.act(c, "login", wire.ActionLogin, vars)
	return c
}

// sessions: logged-in users run random commands in lockstep.
func (g *gen) sessions(users, commands int) {
	conns := make([]int, users)
	for i := range conns {
		conns[i] = g.user()
	}
	for range commands {
		g.b.Align()
		c := conns[g.r.IntN(len(conns))]
		g.randomCommand(c, "")
	}
}

// randomCommand sends on conn an action with arguments that are valid,
// missing, huge or hostile, or a line of junk; suffix goes in the note.
func (g *gen) randomCommand(conn int, suffix string) {
	actions := []string{wire.ActionCreate, wire.ActionJoin, wire.ActionLeave, wire.ActionSwitch,
		wire.ActionListUsers, wire.ActionListRooms, wire.ActionSay, wire.ActionBroadcast,
		wire.ActionBroadcastOthers, wire.ActionRegister, wire.ActionLogin, wire.ActionExit}
	if g.r.IntN(8) == 0 {
		g.junk(conn, "junk line"+suffix, g.hostile(), g.ending())
		return
	}
	a := actions[g.r.IntN(len(actions))]
	vars := map[string]string{"room": g.room(), "text": g.text(), "user": g.arg(g.name("fz")),
		"password": g.arg("pw"), "rooms": g.roomList()}
	g.act(conn, a+suffix, a, vars)
}

// room is a room name from the case's pool, or a hostile one.
func (g *gen) room() string {
	if g.r.IntN(4) == 0 {
		return g.arg(g.hostileRoom())
	}
	return g.rooms[g.r.IntN(len(g.rooms))]
}

func (g *gen) roomList() string {
	n := 1 + g.r.IntN(3)
	names := make([]string, n)
	for i := range names {
		names[i] = g.room()
	}
	return strings.Join(names, g.v.roomSep)
}

// hostileRoom is a room name at or past a boundary: length 64/65 characters,
// over 200 bytes, separators, brackets, spaces, control bytes.
func (g *gen) hostileRoom() string {
	choices := []string{strings.Repeat("r", 64), strings.Repeat("é", 65), strings.Repeat("x", 200),
		strings.Repeat("y", 201), strings.Repeat("z", 300), "a,b", "a:b", "[x]", "  padded  ", " ",
		"tab\there", "nul\x00", "esc\x1b[2J", "bad\xffutf8", "\xc0\xaf", "Main Room", "main room"}
	return choices[g.r.IntN(len(choices))]
}

// arg is v, or a missing, huge or hostile replacement for it.
func (g *gen) arg(v string) string {
	switch g.r.IntN(10) {
	case 0:
		return ""
	case 1:
		return strings.Repeat("A", []int{4095, 4096, 4097, 10000}[g.r.IntN(4)])
	case 2:
		return string(g.hostile())
	}
	return v
}

// text is a message body.
func (g *gen) text() string {
	words := []string{"hello", "hi there", "exit", "rooms", "l", "[Main Room] bob: forged", "ünïcödé", "a\tb"}
	if g.r.IntN(3) == 0 {
		return g.arg("x")
	}
	return words[g.r.IntN(len(words))]
}

// hostile is a short run of bytes a text server must survive.
func (g *gen) hostile() []byte {
	pieces := [][]byte{{0}, {0x01}, {0x1b}, {0x7f}, {0xff}, {0xfe}, {0xc3}, {0xc0, 0xaf}, {0xe0, 0x80, 0xaf},
		{0xed, 0xa0, 0x80}, []byte("\u0085"), []byte("\u202e"), []byte("%s%n"), []byte("'\";--"), {'\r'}}
	var b []byte
	for range 1 + g.r.IntN(4) {
		b = append(b, pieces[g.r.IntN(len(pieces))]...)
		if g.r.IntN(2) == 0 {
			b = append(b, "ab"...)
		}
	}
	return b
}
