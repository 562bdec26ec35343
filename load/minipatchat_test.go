package load

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"
)

// miniPatChat is a small Pat Chat server written for these tests, speaking
// the reference dialect: accounts (any password), rooms, say and
// broadcast_others. linger is how long a user who left a room keeps
// receiving it: 0 is correct, the bug is one second.
type miniPatChat struct {
	mu     sync.Mutex
	rooms  map[string]map[*miniMember]bool
	left   map[string]map[*miniMember]time.Time // room -> who left it, when
	linger time.Duration
}

type miniMember struct {
	user, current string
	conn          net.Conn
}

func newMiniPatChat(linger time.Duration) *miniPatChat {
	return &miniPatChat{rooms: map[string]map[*miniMember]bool{MainRoom: {}},
		left: map[string]map[*miniMember]time.Time{}, linger: linger}
}

func (s *miniPatChat) serve(ctx context.Context, ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go s.handle(conn)
	}
}

func (s *miniPatChat) handle(conn net.Conn) {
	defer conn.Close()
	m := &miniMember{conn: conn}
	defer s.quit(m)
	_, _ = conn.Write([]byte("HELLO\n"))
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		cmd, arg, _ := strings.Cut(sc.Text(), " ")
		s.mu.Lock()
		_, _ = conn.Write([]byte(s.command(m, cmd, arg)))
		s.mu.Unlock()
	}
}

// command answers one line; room messages go out before the answer.
func (s *miniPatChat) command(m *miniMember, cmd, arg string) string {
	switch cmd {
	case "register":
		return "OK registered " + strings.Fields(arg)[0] + "\n"
	case "login":
		m.user, m.current = strings.Fields(arg)[0], MainRoom
		s.rooms[MainRoom][m] = true
		return "OK welcome " + m.user + "\nROOM you are in Main Room\n"
	case "c", "j":
		if (s.rooms[arg] != nil) == (cmd == "c") {
			return "ERR no\n"
		}
		if s.rooms[arg] == nil {
			s.rooms[arg] = map[*miniMember]bool{}
		}
		s.rooms[arg][m], m.current = true, arg
		return map[string]string{"c": "OK created ", "j": "OK joined "}[cmd] + arg + "\n"
	case "r":
		delete(s.rooms[arg], m)
		if s.left[arg] == nil {
			s.left[arg] = map[*miniMember]time.Time{}
		}
		s.left[arg][m] = time.Now()
		return "OK left " + arg + "\n"
	case "s":
		m.current = arg
		return "OK current " + arg + "\n"
	case "m":
		s.deliver(m, m.current, arg)
		return "OK sent\n"
	case "bx":
		rooms, text, _ := strings.Cut(arg, ": ")
		for _, r := range strings.Split(rooms, ",") {
			s.deliver(m, r, text)
		}
		return "OK sent\n"
	}
	return "ERR what\n"
}

// deliver writes a room message to its members, and (the bug) to those
// who left less than linger ago.
func (s *miniPatChat) deliver(from *miniMember, room, text string) {
	to := map[*miniMember]bool{}
	for m := range s.rooms[room] {
		to[m] = true
	}
	for m, at := range s.left[room] {
		if time.Since(at) < s.linger {
			to[m] = true
		}
	}
	line := []byte(fmt.Sprintf("[%s] %s: %s\n", room, from.user, text))
	for m := range to {
		if m != from {
			_, _ = m.conn.Write(line)
		}
	}
}

func (s *miniPatChat) quit(m *miniMember) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, members := range s.rooms {
		delete(members, m)
	}
	for _, left := range s.left {
		delete(left, m)
	}
}
