package oracle

import (
	"fmt"
	"time"

	"github.com/chatspec/chatspec/results"
)

// bridgeOf is the bridge span conn held at t (the private connection it was
// a half of then), or -1.
func (c *checker) bridgeOf(conn int32, t time.Duration) int32 {
	for _, i := range c.spansOf[conn] {
		if s := &c.h.Spans[i]; s.Kind == results.SpanBridge && s.Begin <= t && t <= s.Ended {
			return i
		}
	}
	return -1
}

// bridged classifies bytes written into a private connection (reading H6):
// the far half, a connection that presented the same connect id and got
// 11, MUST get them when it was joined over the whole window; a connection
// that held no half of that id, or presented it and never got 11, MUST
// NOT; a half joining or closing during the window MAY. Bytes written on a
// connection that was no known half are not judged (MAY).
func (c *checker) bridged(msg *results.Message, conn int32, w0, w1 time.Duration) Class {
	own := c.bridgeOf(msg.Conn, msg.At)
	if own < 0 {
		return May
	}
	key := c.h.Spans[own].Key
	class := MustNot
	for _, i := range c.spansOf[conn] {
		s := &c.h.Spans[i]
		if s.Kind != results.SpanBridge || s.Key != key || s.Begun == results.Forever {
			continue
		}
		if s.Begun <= w0 && w1 <= s.End {
			return Must
		}
		if s.Begun <= w1 && s.Ended >= w0 {
			class = May
		}
	}
	return class
}

// presented reports whether conn presented the connect id msg was written
// under (a third connection on a spent id, COP-3.5-9).
func (c *checker) presented(conn int32, msg *results.Message) bool {
	own := c.bridgeOf(msg.Conn, msg.At)
	if own < 0 {
		return false
	}
	for _, i := range c.spansOf[conn] {
		if s := &c.h.Spans[i]; s.Kind == results.SpanBridge && s.Key == c.h.Spans[own].Key {
			return true
		}
	}
	return false
}

// bridgeRequirement maps a violation of bytes written into a private
// connection: a leak to a connection that presented the same id breaks
// COP-3.5-9 (a third connection was joined), any other leak COP-3.5-6 (a
// half was joined with a connection that did not present its id); a copy
// twice is COP-H-1; lost, changed or reordered bytes COP-2.6-1.
func bridgeRequirement(kind Kind, sameID bool) string {
	switch {
	case kind == KindDuplicate:
		return "COP-H-1"
	case kind == KindLeak && sameID:
		return "COP-3.5-9"
	case kind == KindLeak:
		return "COP-3.5-6"
	}
	return "COP-2.6-1"
}

// halfName describes a bridge span: whose half of which private connection.
func halfName(s *results.Span) string {
	with := "nobody expected"
	if s.With != "" {
		with = fmt.Sprintf("%q", s.With)
	}
	owner := "a connection"
	if s.Owner != "" {
		owner = fmt.Sprintf("%q's half", s.Owner)
	}
	return fmt.Sprintf("%s of private connection %s (with %s)", owner, s.Key, with)
}

// whyNotBridged says why a connection must not have bytes written into a
// private connection it was not the far half of.
func (c *checker) whyNotBridged(m *results.Message, d *results.Delivery) string {
	own := &c.h.Spans[c.bridgeOf(m.Conn, m.At)]
	return fmt.Sprintf("the bytes were written into %s; the receiver %s", halfName(own), c.halves(d.Conn, own.Key))
}

// halves says which private connections conn was a half of, against the
// connect id key the bytes were written under.
func (c *checker) halves(conn int32, key string) string {
	desc := "held no private connection"
	for _, i := range c.spansOf[conn] {
		s := &c.h.Spans[i]
		switch {
		case s.Kind != results.SpanBridge:
		case s.Key == key && s.Begun == results.Forever:
			return fmt.Sprintf("presented connect id %s at %s but never got 11: it was not joined", key, clock(s.Begin))
		case s.Key == key:
			return fmt.Sprintf("was the far half only from %s to %s", clock(s.Begun), clock(s.Ended))
		default:
			desc = fmt.Sprintf("was %s from %s (11 at %s) to %s", halfName(s), clock(s.Begin), clock(s.Begun), clock(s.Ended))
		}
	}
	return desc
}

// bridgeNote tells, for a receiver of a chat message, that the connection
// is a half of a private connection (where frames have no business).
func (c *checker) bridgeNote(conn int32) string {
	for _, i := range c.spansOf[conn] {
		if s := &c.h.Spans[i]; s.Kind == results.SpanBridge {
			return fmt.Sprintf("; the connection is %s, presented at %s", halfName(s), clock(s.Begin))
		}
	}
	return ""
}
