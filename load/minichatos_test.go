package load

import (
	"context"
	"net"
	"sync"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// miniChatOS is a small ChatOS server written for these tests: login,
// public and private messages, nothing else. route decides who gets each
// message; a test gives it one bug.
type miniChatOS struct {
	mu    sync.Mutex
	users []*miniUser // logged in, in login order
	route func(s *miniChatOS, from *miniUser, p wire.Packet) []out

	// Private connections: halves waiting or joined per connect id, every
	// joined half in join order, and who gets each line a half writes
	// (nil: its partner only).
	ids    int64
	halves map[int64][]*miniHalf
	joined []*miniHalf
	relay  func(s *miniChatOS, from *miniHalf, n int) []*miniHalf
	lines  int
}

type miniUser struct {
	nick string
	conn net.Conn
}

// out is one packet for one user.
type out struct {
	to *miniUser
	p  wire.Packet
}

// fair is the correct routing: a public message to everyone else, a
// private one to its addressee.
func fair(s *miniChatOS, from *miniUser, p wire.Packet) []out {
	var o []out
	for _, u := range s.users {
		switch m := p.(type) {
		case wire.PublicMessage:
			if u != from {
				o = append(o, out{u, wire.PublicMessage{From: from.nick, Text: m.Text}})
			}
		case wire.PrivateMessage:
			if u.nick == m.To {
				o = append(o, out{u, wire.PrivateMessage{From: from.nick, To: m.To, Text: m.Text}})
			}
		}
	}
	return o
}

func (s *miniChatOS) serve(ctx context.Context, ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go s.handle(conn)
	}
}

func (s *miniChatOS) handle(conn net.Conn) {
	defer conn.Close()
	in := wire.NewReader(conn, 0)
	u := &miniUser{conn: conn}
	defer s.drop(u)
	for {
		p, _, err := in.Next()
		if err != nil {
			return
		}
		if id, ok := p.(wire.PresentID); ok && u.nick == "" {
			s.present(conn, in, id.ID)
			return
		}
		s.mu.Lock()
		l, login := p.(wire.Login)
		switch {
		case login && u.nick == "":
			u.nick = l.Nick
			s.users = append(s.users, u)
			_, _ = conn.Write(wire.Append(nil, wire.LoginAccepted{Nick: l.Nick}))
		case u.nick == "" || s.negotiate(u, p):
		default:
			for _, o := range s.route(s, u, p) {
				_, _ = o.to.conn.Write(wire.Append(nil, o.p))
			}
		}
		s.mu.Unlock()
	}
}

func (s *miniChatOS) drop(u *miniUser) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, v := range s.users {
		if v == u {
			s.users = append(s.users[:i], s.users[i+1:]...)
			return
		}
	}
}
