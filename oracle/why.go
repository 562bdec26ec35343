package oracle

import (
	"fmt"
	"slices"
	"strings"

	"github.com/chatspec/chatspec/results"
)

// whyNot says why the receiver of delivery d must not have it.
func (c *checker) whyNot(d *results.Delivery) string {
	m := &c.h.Messages[d.Msg]
	w0, w1 := c.window(d.Msg)
	during := fmt.Sprintf("while the message was handled (%s to %s)", clock(w0), clock(w1))
	switch m.Kind {
	case results.KindPrivate:
		if nick := c.nickAt(d.Conn, w0); nick != "" {
			return fmt.Sprintf("the message was for %q; the receiver was logged in as %q %s", m.To, nick, during)
		}
		return fmt.Sprintf("the message was for %q; the receiver was not logged in %s%s", m.To, during, c.bridgeNote(d.Conn))
	case results.KindPublic:
		return "the receiver was not logged in " + during + c.spans(d.Conn, results.SpanLogin, nil) + c.bridgeNote(d.Conn)
	case results.KindBridge:
		return c.whyNotBridged(m, d)
	}
	rooms := m.Rooms
	if len(rooms) == 0 || slices.Contains(rooms, d.Room) {
		rooms = []string{d.Room}
	}
	for _, i := range c.spansOf[d.Conn] {
		s := &c.h.Spans[i]
		if s.Kind == results.SpanMember && slices.Contains(rooms, s.Key) && s.Ended < w0 {
			return fmt.Sprintf("the receiver had left room %q (asked %s, confirmed %s) before the message was written at %s",
				s.Key, clock(s.End), clock(s.Ended), clock(w0))
		}
	}
	return fmt.Sprintf("the receiver was not a member of %q %s%s", strings.Join(rooms, ","), during,
		c.spans(d.Conn, results.SpanMember, rooms))
}

// whyMust says why conn must have received message m.
func (c *checker) whyMust(m *results.Message) string {
	if m.Kind == results.KindBridge {
		return fmt.Sprintf("the receiver was the far half of %s from before the bytes were written until after they were handled, and they never arrived",
			halfName(&c.h.Spans[c.bridgeOf(m.Conn, m.At)]))
	}
	if m.Kind == results.KindRoom {
		return fmt.Sprintf("the receiver was a member of %q from before the message was written until after it was handled, and it never arrived",
			strings.Join(m.Rooms, ","))
	}
	return "the receiver was logged in" + c.toWhom(m) + " from before the message was written until after it was handled, and it never arrived"
}

func (c *checker) toWhom(m *results.Message) string {
	if m.Kind == results.KindPrivate {
		return fmt.Sprintf(" as its addressee %q", m.To)
	}
	return ""
}

// spans lists a connection's identities of one kind (in rooms, when given).
func (c *checker) spans(conn int32, kind results.SpanKind, rooms []string) string {
	var parts []string
	for _, i := range c.spansOf[conn] {
		s := &c.h.Spans[i]
		if s.Kind != kind || (rooms != nil && !slices.Contains(rooms, s.Key)) {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s from %s (confirmed %s) until %s (confirmed %s)",
			s.Key, clock(s.Begin), clock(s.Begun), clock(s.End), clock(s.Ended)))
	}
	if len(parts) == 0 {
		return "; it held no such identity"
	}
	return "; it held: " + strings.Join(parts, "; ")
}
