package chatos

import (
	"fmt"
	"math/rand/v2"
	"unicode/utf8"

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

// unknownVar is the value a 6 naming nick offers to fills: the server told
// the connection nick is unknown.
func unknownVar(nick string) string { return "unknown:" + nick }

// frameHead is the bytes a drip's first cut falls within: the opcode and the
// first length field (see fuzz.Drip).
const frameHead = 5

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
	p := &peer{conn: w.b.Conn(), nick: w.nick()}
	w.peers = append(w.peers, p)
	return p
}

// send writes frames as one step on conn, sometimes dripped in a few writes
// (see fuzz.Drip). No step pauses: a fixed wait is time no connection is
// opened, and where the order of events matters a step waits for the reply
// that shows the server got there (a Fill).
func (w *walker) send(conn int, note string, wait *fuzz.Fill, frames ...frame) {
	var data []byte
	for _, f := range frames {
		data = f.appendTo(data)
	}
	s := fuzz.Step{Data: data, Note: note, Fill: wait}
	if w.r.IntN(16) == 0 {
		s.Chunks = fuzz.Drip(w.r, len(data), frameHead)
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
		mutated := w.r.IntN(3) > 0
		if mutated {
			var how string
			f, how = mutate(w.r, f)
			note = how
		}
		w.sendAs(p, note, nil, f)
		if mutated {
			// As in a walk: the server may have closed the connection, or be
			// reading a lying length's bytes, so nothing after this can wait
			// for an answer (a split behind a message waits for one).
			p.state = stClosed
		}
	}
}

// sendAs sends f from p, now and then (1 in 12, once p is logged in) cut in
// two across reads (see splitAfterReply). A frame with a string the
// reference cannot decode (a hostile text) closes p: later steps must not
// wait for answers on it or count on it (a request from it is never
// answered, and waiting for what never comes stalls a worker).
func (w *walker) sendAs(p *peer, note string, wait *fuzz.Fill, f frame) {
	if p.state == stLogged && w.r.IntN(12) == 0 {
		w.splitAfterReply(p, note, wait, f)
	} else {
		w.send(p.conn, note, wait, f)
	}
	if undecodable(f) {
		p.state = stClosed
	}
}

// wellFormed reports whether f is a frame a server can decode: a client
// opcode's layout with true lengths, nothing cut, every string decodable.
func wellFormed(f frame) bool {
	if !wire.Opcode(f.op).Known() || f.cut > 0 || undecodable(f) {
		return false
	}
	for _, fl := range f.fields {
		if fl.length != nil || fl.kind == kRaw {
			return false
		}
	}
	return true
}

// undecodable reports whether f has a string the reference refuses to
// decode, and so closes the connection for: invalid UTF-8, or longer than
// its String cap.
func undecodable(f frame) bool {
	for _, fl := range f.fields {
		if fl.kind == kString && (len(fl.data) > wire.DefaultMaxString || !utf8.ValidString(fl.data)) {
			return true
		}
	}
	return false
}

// splitAfterReply sends f cut in two: the first part right behind a private
// message to a nickname nobody has, in one write, and the rest once the
// server has answered that message (6). By then the server has read the
// first part (it came with the message), so the rest reaches it in a later
// read, however fast or slow it is: a frame cut over two reads, the case a
// server that takes one read as whole frames breaks on, with no fixed pause.
func (w *walker) splitAfterReply(p *peer, note string, wait *fuzz.Fill, f frame) {
	nobody := w.nick()
	data := private(p.nick, nobody, "sync").appendTo(nil)
	head := len(data)
	data = f.appendTo(data)
	if len(data)-head < 2 || !wellFormed(f) {
		// A malformed frame may be refused on what the first part carries
		// (its opcode, a length past the cap): the server closes, maybe
		// before the answer to the message goes out, and the wait for it
		// would last its whole deadline. The bug a split is for, a frame
		// taken whole from one read, is a well-formed frame's anyway.
		w.send(p.conn, note, wait, f)
		return
	}
	cut := head + 1 + w.r.IntN(len(data)-head-1)
	w.b.Align()
	w.b.Send(p.conn, fuzz.Step{Data: data[:cut], Note: note + ": cut, behind a message to an unknown user", Fill: wait})
	w.b.Send(p.conn, fuzz.Step{Data: data[cut:], Note: "rest once the server answered",
		Fill: await(unknownVar(nobody), p.conn)})
}

// delivery: a valid exchange sent as one concatenated write, dripped in a
// few writes cut anywhere, or cut in two with the rest sent once the server
// has answered something b sent after the cut: the server has had the time
// it takes to answer, however fast or slow it is, to read the first part
// alone (a fixed pause would be too short for a slow server and wasted on a
// fast one).
func (w *walker) delivery() {
	a, b := w.newPeer(), w.newPeer()
	frames := []frame{login(a.nick), public(a.nick, "hello"), private(a.nick, b.nick, "hi"), request(a.nick, b.nick)}
	w.send(b.conn, "login", nil, login(b.nick))
	var data []byte
	for _, f := range frames {
		data = f.appendTo(data)
	}
	w.b.Align() // a goes in the rounds after b's login
	switch w.r.IntN(3) {
	case 0:
		w.b.Send(a.conn, fuzz.Step{Data: data, Note: "four frames in one write", Fill: await(VarLogin, b.conn)})
	case 1:
		w.b.Send(a.conn, fuzz.Step{Data: data, Chunks: fuzz.Drip(w.r, len(data), frameHead), Note: "dripped",
			Fill: await(VarLogin, b.conn)})
	default:
		cut := 1 + w.r.IntN(len(data)-1)
		w.b.Send(a.conn, fuzz.Step{Data: data[:cut], Note: "cut short", Fill: await(VarLogin, b.conn)})
		nobody := w.nick()
		w.b.Send(b.conn, fuzz.Step{Data: private(b.nick, nobody, "sync").bytes(), Note: "to an unknown user"})
		w.b.Send(a.conn, fuzz.Step{Data: data[cut:], Note: "rest once b was answered", Fill: await(unknownVar(nobody), b.conn)})
	}
}

// nick is a fresh random nickname.
func (w *walker) nick() string { return fmt.Sprintf("fz%08x", w.r.Uint32()) }

// validFrame is a frame that would be valid from p in its state.
func (w *walker) validFrame(p *peer) frame {
	if p.state == stNew {
		return login(p.nick)
	}
	other := w.nick()
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
		return nastyString(w.r)
	}
	words := []string{"hello", "hi there", "", "@someone", "/login file", "ünïcödé", "a\tb"}
	return words[w.r.IntN(len(words))]
}
