package chatos

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// Values a case connection's Watch offers to fills (see fuzz.Fill).
const (
	VarLogin     = "login"      // a 1 arrived (the login was accepted)
	VarRequest   = "request"    // a 3 arrived (someone asked for a private connection)
	VarConnectID = "connect-id" // the id of the last 9, 8 bytes big-endian
	VarBridged   = "bridged"    // an 11 arrived
)

// state is where a main connection stands in the protocol.
type state uint8

const (
	stNew    state = iota // before login
	stLogged              // logged in
	stClosed              // sent something the reference closes the connection for
)

// peer is one main connection of a walk.
type peer struct {
	conn  int
	nick  string
	state state
	asked []*peer // peers this one sent a request to, not yet answered
}

// walker builds a random walk over the protocol's states.
type walker struct {
	r     *rand.Rand
	b     *fuzz.Builder
	peers []*peer
	ids   [][2]*peer // accepted pairs: an id was issued to both

	reversed bool // answers carry (answerer, requester)
}

// generate picks a case shape: one mutated connection, a stateful walk, or
// a valid exchange delivered oddly.
func generate(r *rand.Rand, reversed bool) fuzz.Case {
	w := &walker{r: r, b: fuzz.NewBuilder(Name), reversed: reversed}
	switch n := r.IntN(20); {
	case n < 7:
		w.mutation()
	case n < 17:
		w.walk(2+r.IntN(2), 4+r.IntN(10))
	default:
		w.delivery()
	}
	return w.b.Case()
}

func (w *walker) newPeer() *peer {
	p := &peer{conn: w.b.Conn(), nick: fmt.Sprintf("fz%08x", w.r.Uint32())}
	w.peers = append(w.peers, p)
	return p
}

// send writes frames as one step on conn, sometimes byte by byte or after a pause.
func (w *walker) send(conn int, note string, wait *fuzz.Fill, frames ...frame) {
	var data []byte
	for _, f := range frames {
		data = append(data, f.bytes()...)
	}
	s := fuzz.Step{Data: data, Note: note, Fill: wait}
	if len(data) <= 256 && w.r.IntN(16) == 0 {
		s.Split = true
	}
	if w.r.IntN(64) == 0 { // rare: a pause is time no connection is opened
		s.Pause = time.Duration(1+w.r.IntN(3)) * time.Millisecond
	}
	w.b.Align()
	w.b.Send(conn, s)
}

// await is a wait-only fill: the step goes once var arrived on conn (or the wait ends).
func await(v string, conn int) *fuzz.Fill { return &fuzz.Fill{Var: v, Conn: conn, Offset: -1} }

// mutation: one connection, maybe logged in, sends a few frames with one or more broken.
func (w *walker) mutation() {
	p := w.newPeer()
	if w.r.IntN(10) < 7 {
		w.send(p.conn, "login", nil, login(p.nick))
		p.state = stLogged
	}
	for range 1 + w.r.IntN(3) {
		f := w.validFrame(p)
		note := "valid " + wire.Opcode(f.op).String()
		if w.r.IntN(3) > 0 {
			var how string
			f, how = mutate(w.r, f)
			note = how
		}
		w.send(p.conn, note, nil, f)
	}
}

// delivery: a valid exchange sent as one concatenated write, byte by byte
// with pauses, or cut short at the end.
func (w *walker) delivery() {
	a, b := w.newPeer(), w.newPeer()
	frames := []frame{login(a.nick), public(a.nick, "hello"), private(a.nick, b.nick, "hi"), request(a.nick, b.nick)}
	w.send(b.conn, "login", nil, login(b.nick))
	var data []byte
	for _, f := range frames {
		data = append(data, f.bytes()...)
	}
	w.b.Align() // a goes in the rounds after b's login
	switch w.r.IntN(3) {
	case 0:
		w.b.Send(a.conn, fuzz.Step{Data: data, Note: "four frames in one write", Fill: await(VarLogin, b.conn)})
	case 1:
		w.b.Send(a.conn, fuzz.Step{Data: data, Split: true, Note: "byte at a time", Fill: await(VarLogin, b.conn)})
	default:
		cut := 1 + w.r.IntN(len(data)-1)
		w.b.Send(a.conn, fuzz.Step{Data: data[:cut], Note: "cut short", Fill: await(VarLogin, b.conn)})
		w.b.Send(a.conn, fuzz.Step{Pause: time.Millisecond, Data: data[cut:], Note: "rest after a pause"})
	}
}

// validFrame is a frame that would be valid from p in its state.
func (w *walker) validFrame(p *peer) frame {
	if p.state == stNew {
		return login(p.nick)
	}
	other := fmt.Sprintf("fz%08x", w.r.Uint32())
	switch w.r.IntN(6) {
	case 0:
		return public(p.nick, w.text())
	case 1:
		return private(p.nick, other, w.text())
	case 2:
		return request(p.nick, other)
	case 3:
		return answer(w.r.IntN(2) == 0, other, p.nick)
	case 4:
		return present(int64(w.r.Uint64()))
	default:
		return login(other)
	}
}

// text is a message body: mostly ordinary, sometimes hostile.
func (w *walker) text() string {
	if w.r.IntN(4) == 0 {
		return string(nastyString(w.r))
	}
	words := []string{"hello", "hi there", "", "@someone", "/login file", "ünïcödé", "a\tb"}
	return words[w.r.IntN(len(words))]
}
