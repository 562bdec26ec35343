package load

import (
	"bufio"
	"net"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// miniHalf is one connection that presented a connect id to miniChatOS.
type miniHalf struct {
	conn    net.Conn
	id      int64
	partner *miniHalf
}

// negotiate forwards a 3 to its addressee and answers a 7 with a 9 to both
// sides (s.mu is held); it reports whether p was one of those.
func (s *miniChatOS) negotiate(u *miniUser, p wire.Packet) bool {
	switch m := p.(type) {
	case wire.PrivateRequest:
		for _, v := range s.users {
			if v.nick == m.To {
				_, _ = v.conn.Write(wire.Append(nil, wire.PrivateRequest{From: u.nick, To: m.To}))
			}
		}
	case wire.PrivateAccept:
		s.ids++
		id := wire.ConnectID{From: m.From, To: u.nick, ID: 1<<40 + s.ids*7919}
		for _, v := range s.users {
			if v.nick == m.From || v == u {
				_, _ = v.conn.Write(wire.Append(nil, id))
			}
		}
	default:
		return false
	}
	return true
}

// present joins the second connection presenting an id with the first
// (11 to both), then relays each line the half writes to whoever s.relay
// says, until the connection ends.
func (s *miniChatOS) present(conn net.Conn, in *wire.Reader, id int64) {
	h := &miniHalf{conn: conn, id: id}
	s.mu.Lock()
	if s.halves == nil {
		s.halves = map[int64][]*miniHalf{}
	}
	s.halves[id] = append(s.halves[id], h)
	if w := s.halves[id]; len(w) == 2 {
		w[0].partner, w[1].partner = w[1], w[0]
		s.joined = append(s.joined, w[0], w[1])
		for _, x := range w {
			_, _ = x.conn.Write(wire.Append(nil, wire.Established{}))
		}
	}
	s.mu.Unlock()
	r := bufio.NewReader(in)
	for {
		line, err := r.ReadBytes('\n')
		if err != nil {
			return
		}
		s.mu.Lock()
		s.lines++
		to := []*miniHalf{h.partner}
		if s.relay != nil {
			to = s.relay(s, h, s.lines)
		}
		for _, x := range to {
			if x != nil {
				_, _ = x.conn.Write(line)
			}
		}
		s.mu.Unlock()
	}
}
