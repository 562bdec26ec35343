package chatos

import (
	"unicode/utf8"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// clientID names one TCP connection inside the server. Zero is never used.
type clientID uint64

// connKind is what a connection turned out to be after its first packet.
type connKind uint8

const (
	kindFresh  connKind = iota // nothing received yet
	kindMain                   // a client's main connection (its first packet was not 10)
	kindBridge                 // one half of a private connection (its first packet was 10)
)

// session is the core's view of one connection.
type session struct {
	kind    connKind
	nick    string  // kindMain: "" until a login is accepted
	ticket  int64   // kindBridge: the connect id it presented
	tickets []int64 // kindMain: connect ids this client owns, oldest first
}

// rules are the parts of Config the core needs, resolved once.
type rules struct {
	maxNick    int
	nickOK     func(string) bool
	maxMessage int
	reversed   bool // AnswerOrder "reversed": 7/8 carry (answerer, requester)
	echo       bool // EchoPublic
	faults     Faults
}

// pendingKey is one private-connection request awaiting its 7 or 8.
type pendingKey struct{ requester, receiver clientID }

// core is the server's state machine: nicknames, pending private-connection
// requests and issued connect ids. It does no I/O and reads no clock: each
// call takes one event and returns the effects for the network loop to carry
// out, so it is tested without sockets (house style: etcd-io/raft).
type core struct {
	rules    rules
	randomID func() int64 // source of unguessable connect ids
	seq      int64        // SequentialIDs fault only
	sessions map[clientID]*session
	members  map[clientID]*session // logged-in main connections
	nicks    map[string]clientID
	pending  map[pendingKey]struct{}
	tickets  map[int64]*ticket
}

// delivery is one packet for one or more connections (encoded once).
type delivery struct {
	to  []clientID
	pkt wire.Packet
}

// closing asks the network loop to close a connection, saying why.
type closing struct {
	id     clientID
	reason string
}

// bridgeStep says what a 10 did to the connection that sent it.
type bridgeStep uint8

const (
	bridgeNone   bridgeStep = iota
	bridgeWait              // first presenter: wait for the other side
	bridgePaired            // second presenter: bridged with effects.peer
)

// effects is everything one event asks the network loop to do.
type effects struct {
	sends  []delivery
	closes []closing
	bridge bridgeStep
	peer   clientID // bridgePaired: the connection that was waiting
	note   string   // why nothing happened, for debug logs
	exit   string   // Exit* faults: the whole server stops, saying why
}

func (e *effects) send(p wire.Packet, to ...clientID) {
	if len(to) > 0 {
		e.sends = append(e.sends, delivery{to: to, pkt: p})
	}
}

func (e *effects) close(id clientID, reason string) {
	e.closes = append(e.closes, closing{id: id, reason: reason})
}

func newCore(r rules, randomID func() int64) *core {
	return &core{
		rules:    r,
		randomID: randomID,
		sessions: map[clientID]*session{},
		members:  map[clientID]*session{},
		nicks:    map[string]clientID{},
		pending:  map[pendingKey]struct{}{},
		tickets:  map[int64]*ticket{},
	}
}

// open registers a new connection.
func (c *core) open(id clientID) { c.sessions[id] = &session{} }

// receive handles one packet received on a connection's ChatOS stream.
func (c *core) receive(id clientID, p wire.Packet) effects {
	var e effects
	s := c.sessions[id]
	switch {
	case s == nil:
		e.note = "connection already closed"
	case s.kind == kindFresh:
		c.first(&e, id, s, p)
	case s.nick == "":
		c.beforeLogin(&e, id, s, p)
	default:
		c.loggedIn(&e, id, s, p)
	}
	return e
}

// first handles the first packet of a connection: 10 makes it a bridge half,
// anything else makes it a main connection.
func (c *core) first(e *effects, id clientID, s *session, p wire.Packet) {
	if pid, ok := p.(wire.PresentID); ok {
		s.kind = kindBridge
		c.present(e, id, s, pid.ID)
		return
	}
	s.kind = kindMain
	c.beforeLogin(e, id, s, p)
}

// beforeLogin accepts only 0; anything else closes the connection (COP-5-1).
func (c *core) beforeLogin(e *effects, id clientID, s *session, p wire.Packet) {
	if l, ok := p.(wire.Login); ok {
		c.login(e, id, s, l.Nick)
		return
	}
	if c.rules.faults.NoCloseBeforeLogin {
		e.note = "packet before login ignored (fault)"
		return
	}
	e.close(id, "packet before login: "+p.Opcode().String())
}

// loggedIn dispatches the packets a logged-in client may send. Packets only a
// server sends (1, 2, 6, 9, 11) and a late 10 are protocol violations.
func (c *core) loggedIn(e *effects, id clientID, s *session, p wire.Packet) {
	switch p := p.(type) {
	case wire.Login:
		e.note = "second login refused"
		e.send(c.refusal(p.Nick), id)
	case wire.PublicMessage:
		c.public(e, id, s, p)
	case wire.PrivateMessage:
		c.private(e, id, s, p)
	case wire.PrivateRequest:
		c.request(e, id, s, p)
	case wire.PrivateAccept:
		c.answer(e, id, s, p.From, p.To, true)
	case wire.PrivateRefuse:
		c.answer(e, id, s, p.From, p.To, false)
	default:
		e.close(id, "unexpected packet from a client: "+p.Opcode().String())
	}
}

// login accepts a free valid nickname (1) or refuses it (2). A refused
// connection stays open and may try another nickname.
func (c *core) login(e *effects, id clientID, s *session, nick string) {
	if why := c.nickProblem(nick); why != "" {
		e.note = "login refused: " + why
		e.send(c.refusal(nick), id)
		return
	}
	s.nick = nick
	c.nicks[nick] = id
	c.members[id] = s
	e.send(wire.LoginAccepted{Nick: nick}, id)
}

// nickProblem says why nick cannot be taken, or "" when it can.
func (c *core) nickProblem(nick string) string {
	switch {
	case nick == "":
		return "empty"
	case len(nick) > c.rules.maxNick:
		return "too long"
	case !c.rules.nickOK(nick):
		return "characters not allowed"
	}
	if _, taken := c.nicks[nick]; taken && !c.rules.faults.DuplicateNick {
		return "taken"
	}
	return ""
}

// refusal is the 2 packet for nick (COP-3.4-2).
func (c *core) refusal(nick string) wire.Packet {
	if c.rules.faults.RefusalWrongNick {
		nick = ""
	}
	return wire.LoginRefused{Nick: nick}
}

// sender names the author of a relayed packet: the connection's login,
// whatever the packet claims (COP-2.3-1).
func (c *core) sender(s *session, claimed string) string {
	if c.rules.faults.SenderFromPacket {
		return claimed
	}
	return s.nick
}

// fitted returns the text to deliver and whether to deliver it: a text
// within MaxMessage code points as it is, a longer one not at all (unless a
// fault delivers it whole or cut).
func (c *core) fitted(text string) (string, bool) {
	if c.rules.faults.LongMessageDelivered || utf8.RuneCountInString(text) <= c.rules.maxMessage {
		return text, true
	}
	if c.rules.faults.TruncateLongMessage {
		return string([]rune(text)[:c.rules.maxMessage]), true
	}
	return "", false
}

// memberIDs lists every logged-in connection, optionally without one.
func (c *core) memberIDs(except clientID) []clientID {
	ids := make([]clientID, 0, len(c.members))
	for id := range c.members {
		if id != except {
			ids = append(ids, id)
		}
	}
	return ids
}

// public broadcasts a 4 to every logged-in client (the sender too when
// EchoPublic is set). An over-long message is dropped silently.
func (c *core) public(e *effects, id clientID, s *session, p wire.PublicMessage) {
	text, ok := c.fitted(p.Text)
	if !ok {
		e.note = "public message over the length limit dropped"
		return
	}
	except := id
	if c.rules.echo {
		except = 0
	}
	e.send(wire.PublicMessage{From: c.sender(s, p.From), Text: text}, c.audience(except)...)
}

// private routes a 5 to its recipient only, or answers 6.
func (c *core) private(e *effects, id clientID, s *session, p wire.PrivateMessage) {
	text, ok := c.fitted(p.Text)
	if !ok {
		e.note = "private message over the length limit dropped"
		return
	}
	out := wire.PrivateMessage{From: c.sender(s, p.From), To: p.To, Text: text}
	if c.rules.faults.PrivateToAll {
		e.send(out, c.memberIDs(0)...)
		return
	}
	dest, ok := c.nicks[p.To]
	if !ok {
		c.unknown(e, id, p.To)
		return
	}
	e.send(out, dest)
}

// unknown answers 6 carrying the nickname that was not found (A6).
func (c *core) unknown(e *effects, id clientID, name string) {
	if c.rules.faults.NoUnknownUser {
		e.note = "unknown recipient dropped silently (fault)"
		return
	}
	e.send(wire.UnknownUser{Name: name}, id)
}
