package chatos

import "github.com/chatspec/chatspec/fuzz"

// walk is a random walk over the states before login, logged in, request
// pending, id issued and bridged, on nConns main connections, mixing valid,
// out-of-state and malformed packets.
func (w *walker) walk(nConns, actions int) {
	for range nConns {
		w.newPeer()
	}
	for range actions {
		p := w.peers[w.r.IntN(nConns)]
		switch p.state {
		case stNew:
			w.fromNew(p)
		case stLogged:
			w.fromLogged(p)
		}
	}
}

// fromNew acts on a connection that has not logged in.
func (w *walker) fromNew(p *peer) {
	switch n := w.r.IntN(10); {
	case n < 7:
		w.send(p.conn, "login", nil, login(p.nick))
		p.state = stLogged
	case n < 9:
		w.send(p.conn, "out of state: before login", nil, w.validAfterLogin(p))
		p.state = stClosed
	default:
		f, how := mutate(w.r, login(p.nick))
		w.send(p.conn, "malformed login: "+how, nil, f)
		p.state = stClosed
	}
}

// validAfterLogin is a packet only a logged-in client may send.
func (w *walker) validAfterLogin(p *peer) frame {
	q := w.other(p)
	switch w.r.IntN(4) {
	case 0:
		return public(p.nick, w.text())
	case 1:
		return private(p.nick, q.nick, w.text())
	case 2:
		return request(p.nick, q.nick)
	default:
		return answer(true, q.nick, p.nick)
	}
}

// other picks another peer (or p itself when alone).
func (w *walker) other(p *peer) *peer {
	q := w.peers[w.r.IntN(len(w.peers))]
	if q == p && len(w.peers) > 1 {
		q = w.peers[(indexOf(w.peers, p)+1)%len(w.peers)]
	}
	return q
}

func indexOf(ps []*peer, p *peer) int {
	for i, q := range ps {
		if q == p {
			return i
		}
	}
	return 0
}

// fromLogged acts on a logged-in connection.
func (w *walker) fromLogged(p *peer) {
	q := w.other(p)
	switch n := w.r.IntN(14); {
	case n < 2:
		w.sendAs(p, "public message", nil, public(p.nick, w.text()))
	case n < 4:
		w.sendAs(p, "private message", w.awaitLogin(q), private(p.nick, w.recipient(q), w.text()))
	case n < 6:
		w.sendAs(p, "private connection request", w.awaitLogin(q), request(p.nick, q.nick))
		if q.state == stLogged && q != p {
			p.asked = append(p.asked, q)
		}
	case n < 8:
		w.answerSome(p)
	case n < 10:
		w.bridge()
	case n < 12:
		f, closes := w.outOfState(p, q)
		w.sendAs(p, "out of state after login", nil, f)
		if closes {
			p.state = stClosed
		}
	default:
		f, how := mutate(w.r, w.validAfterLogin(p))
		w.sendAs(p, "malformed: "+how, nil, f)
		p.state = stClosed
	}
}

// awaitLogin makes a step wait for q's login when q is expected to be logged in.
func (w *walker) awaitLogin(q *peer) *fuzz.Fill {
	if q.state != stLogged {
		return nil
	}
	return await(VarLogin, q.conn)
}

// recipient is q's nickname, or an unknown or empty one.
func (w *walker) recipient(q *peer) string {
	switch w.r.IntN(8) {
	case 0:
		return ""
	case 1:
		return "nobody-here"
	case 2:
		return "@" + q.nick
	}
	return q.nick
}

// outOfState is a packet that is well formed but wrong after login, and
// whether the reference closes the connection for it.
func (w *walker) outOfState(p, q *peer) (frame, bool) {
	switch w.r.IntN(4) {
	case 0:
		return answer(w.r.IntN(2) == 0, q.nick, p.nick), false // no pending request
	case 1:
		return present(int64(w.r.Uint64())), true // 10 on a main connection
	case 2:
		return login(p.nick), false // a second login
	default:
		return frame{op: badOpcode(w.r), fields: []field{str(p.nick)}}, true
	}
}

// answerSome makes one peer answer a request another sent it: accept mostly.
func (w *walker) answerSome(p *peer) {
	for _, a := range w.peers {
		for i, q := range a.asked {
			if q != p || a.state != stLogged {
				continue
			}
			a.asked = append(a.asked[:i], a.asked[i+1:]...)
			accept := w.r.IntN(4) > 0
			w.sendAs(p, "answer a pending request", await(VarRequest, p.conn), w.answer(accept, a.nick, p.nick))
			if accept {
				w.ids = append(w.ids, [2]*peer{a, p})
			}
			return
		}
	}
	w.sendAs(p, "answer with nothing pending", nil, w.answer(true, w.other(p).nick, p.nick))
}

// bridge opens the two halves of a private connection for an issued id
// (sometimes a third, or a wrong id) and sends raw bytes over it.
func (w *walker) bridge() {
	if len(w.ids) == 0 {
		return
	}
	pair := w.ids[w.r.IntN(len(w.ids))]
	if pair[0].state != stLogged || pair[1].state != stLogged {
		return
	}
	halves := []int{w.b.Conn(), w.b.Conn()}
	if w.r.IntN(6) == 0 {
		halves = append(halves, w.b.Conn()) // a third claims the same id
	}
	w.b.Align()
	paired := true // both halves present the issued id: the server bridges them
	for i, h := range halves {
		owner := pair[min(i, 1)]
		f := present(0)
		fill := &fuzz.Fill{Var: VarConnectID, Conn: owner.conn, Offset: 1}
		if w.r.IntN(10) == 0 {
			f, fill = present(int64(w.r.Uint64())), nil // an id never issued
			paired = paired && i > 1
		}
		w.b.Send(h, fuzz.Step{Data: f.bytes(), Note: "present the connect id", Fill: fill})
	}
	w.b.Align()
	for i, h := range halves {
		data := randomBytes(w.r, 1+w.r.IntN(32))
		// Only the two halves of a pair are bridged: a half whose peer
		// presented a wrong id, or a third one, waits in vain (the server
		// holds it), so its bytes go without waiting for an 11.
		var wait *fuzz.Fill
		if paired && i < 2 {
			wait = await(VarBridged, h)
		}
		w.b.Send(h, fuzz.Step{Data: data, Note: "raw bytes over the bridge", Fill: wait})
	}
}
