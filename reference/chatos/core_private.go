package chatos

import (
	"slices"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// maxOpenTickets bounds the connect ids a client holds that are not yet
// bridged. Issuing one more drops its oldest, so a pair of clients that keep
// accepting requests cannot grow the server's memory without bound.
const maxOpenTickets = 16

// ticketState is the life of one connect id.
type ticketState uint8

const (
	ticketIssued  ticketState = iota // sent in 9, nobody presented it yet
	ticketWaiting                    // one connection presented it (10)
	ticketBridged                    // both presented it: spent
)

// ticket is one issued connect id.
type ticket struct {
	owners [2]clientID // main connections of the requester and the receiver
	state  ticketState
	conns  [2]clientID // presenting connections: the waiter, then the second
	acked  bool        // EarlyEstablished fault: 11 already sent to the waiter
}

// holds reports whether a presenting connection belongs to the ticket.
func (t *ticket) holds(id clientID) bool { return id != 0 && (t.conns[0] == id || t.conns[1] == id) }

// request forwards a 3 to its receiver and records it as pending, or answers 6.
func (c *core) request(e *effects, id clientID, s *session, p wire.PrivateRequest) {
	dest, ok := c.nicks[p.To]
	if !ok {
		c.unknown(e, id, p.To)
		return
	}
	c.pending[pendingKey{requester: id, receiver: dest}] = struct{}{}
	e.send(wire.PrivateRequest{From: c.sender(s, p.From), To: p.To}, dest)
}

// answer handles 7 (accept) and 8 (refuse) from the receiver of a request.
// The field naming the requester depends on AnswerOrder (A11); the field
// naming the answerer is ignored in favour of the connection's login. An
// answer with no pending request is ignored (COP-3.5-11).
func (c *core) answer(e *effects, id clientID, s *session, first, second string, accept bool) {
	reqNick := first
	if c.rules.reversed {
		reqNick = second
	}
	req, ok := c.nicks[reqNick]
	key := pendingKey{requester: req, receiver: id}
	if _, pending := c.pending[key]; !ok || !pending {
		e.note = "answer without a pending request ignored"
		return
	}
	delete(c.pending, key)
	if !c.answerDropped(accept) {
		e.send(c.answerPacket(reqNick, s.nick, accept), req)
	}
	if accept {
		c.issue(e, req, id, reqNick, s.nick)
	}
}

// answerPacket builds the 7 or 8 forwarded to the requester, in the
// configured field order.
func (c *core) answerPacket(requester, answerer string, accept bool) wire.Packet {
	a, b := requester, answerer
	if c.rules.reversed {
		a, b = answerer, requester
	}
	if accept {
		return wire.PrivateAccept{From: a, To: b}
	}
	return wire.PrivateRefuse{From: a, To: b}
}

// issue creates a fresh connect id and sends 9 to both parties.
func (c *core) issue(e *effects, req, rcv clientID, reqNick, rcvNick string) {
	tid := c.nextID()
	c.tickets[tid] = &ticket{owners: [2]clientID{req, rcv}}
	to := []clientID{req}
	c.own(e, req, tid)
	if rcv != req && !c.rules.faults.IDToRequesterOnly {
		to = append(to, rcv)
		c.own(e, rcv, tid)
	}
	e.send(wire.ConnectID{From: reqNick, To: rcvNick, ID: tid}, to...)
}

// nextID draws a connect id that is non-zero and not in use.
func (c *core) nextID() int64 {
	if c.rules.faults.SequentialIDs || c.rules.faults.IDsFromZero {
		c.seq++
		if c.rules.faults.IDsFromZero {
			return c.seq - 1
		}
		return c.seq
	}
	for {
		id := c.randomID()
		if _, used := c.tickets[id]; id != 0 && !used {
			return id
		}
	}
}

// own records that a client owns a ticket, dropping its oldest unbridged
// tickets beyond maxOpenTickets.
func (c *core) own(e *effects, owner clientID, tid int64) {
	s := c.sessions[owner]
	s.tickets = append(s.tickets, tid)
	open := 0
	for i := len(s.tickets) - 1; i >= 0; i-- {
		t := c.tickets[s.tickets[i]]
		if t.state == ticketBridged {
			continue
		}
		if open++; open > maxOpenTickets {
			c.dropTicket(e, s.tickets[i], 0, "connect id superseded")
		}
	}
}

// dropTicket forgets a connect id and closes the connections presenting it,
// except the one given (which is closing already).
func (c *core) dropTicket(e *effects, tid int64, except clientID, reason string) {
	t, ok := c.tickets[tid]
	if !ok {
		return
	}
	delete(c.tickets, tid)
	for _, o := range t.owners {
		if s := c.sessions[o]; s != nil {
			s.tickets = slices.DeleteFunc(s.tickets, func(x int64) bool { return x == tid })
		}
	}
	for _, conn := range t.conns {
		if conn != 0 && conn != except {
			e.close(conn, reason)
		}
	}
}

// present handles a 10 sent as the first packet of a new connection.
func (c *core) present(e *effects, id clientID, s *session, tid int64) {
	s.ticket = tid
	t, ok := c.tickets[tid]
	if wid, wt := c.strayWaiter(t, ok); wt != nil {
		s.ticket, t, ok = wid, wt, true
	}
	switch {
	case !ok && c.rules.faults.ExitOnUnknownID:
		e.exit = "connect id never issued: nil ticket dereferenced"
		e.close(id, "connect id never issued")
	case !ok:
		e.close(id, "connect id never issued, or dropped")
	case t.state == ticketBridged:
		e.close(id, "connect id already used")
	case t.state == ticketWaiting:
		c.pair(e, id, t)
	default:
		t.state, t.conns[0] = ticketWaiting, id
		e.bridge = bridgeWait
		if c.rules.faults.EarlyEstablished {
			t.acked = true
			e.send(wire.Established{}, id)
		}
	}
}

// pair bridges the second presenter with the waiting one: 11 on both, in
// that order, and the id is spent.
func (c *core) pair(e *effects, id clientID, t *ticket) {
	waiter := t.conns[0]
	if !t.acked {
		e.send(wire.Established{}, waiter)
	}
	e.send(wire.Established{}, id)
	e.bridge, e.peer = bridgePaired, waiter
	if c.rules.faults.ReusableIDs {
		t.state, t.conns, t.acked = ticketIssued, [2]clientID{}, false
		return
	}
	t.state, t.conns[1] = ticketBridged, id
}

// closed forgets a connection: its nickname is released, its pending
// requests and connect ids are dropped, and connections bridged through
// those ids are closed (COP-4-1).
func (c *core) closed(id clientID) effects {
	var e effects
	s := c.sessions[id]
	if s == nil {
		return e
	}
	delete(c.sessions, id)
	switch s.kind {
	case kindBridge:
		if t, ok := c.tickets[s.ticket]; ok && t.holds(id) && !c.rules.faults.BridgeOutlivesPeer {
			c.dropTicket(&e, s.ticket, id, "bridge peer closed")
		}
	case kindMain:
		c.mainClosed(&e, id, s)
	}
	return e
}

func (c *core) mainClosed(e *effects, id clientID, s *session) {
	if s.nick != "" {
		delete(c.members, id)
		if c.nicks[s.nick] == id && !c.rules.faults.NickNotReleased {
			delete(c.nicks, s.nick)
		}
	}
	for k := range c.pending {
		if k.requester == id || k.receiver == id {
			delete(c.pending, k)
		}
	}
	for _, tid := range slices.Clone(s.tickets) {
		if t := c.tickets[tid]; c.rules.faults.BridgeOutlivesPeer && t != nil && t.state == ticketBridged {
			continue
		}
		c.dropTicket(e, tid, 0, "owner of the connect id left")
	}
}
