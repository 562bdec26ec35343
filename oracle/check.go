package oracle

import (
	"time"
	"unicode/utf8"

	"github.com/chatspec/chatspec/results"
)

// Class says whether a receiver must, may or must not receive a message.
type Class uint8

// The classes, weakest claim first.
const (
	MustNot Class = iota // not an addressee, not logged in, not a member while it was sent
	May                  // the sender itself, or an identity changing while the message was sent
	Must                 // an addressee for the whole time the message was being sent
)

// String names the class as RFC 2119 does.
func (c Class) String() string {
	return [...]string{"MUST NOT", "MAY", "MUST"}[c]
}

// Options tune a check.
type Options struct {
	// Protocol ("chatos" or "patchat") picks the requirement IDs of rows.
	Protocol string
	// Lost also reports MUST pairs never delivered. Only a run whose clients
	// read to the end (the load workload) can say that; a suite's scenarios
	// stop reading when their steps are done.
	Lost bool
	// Settled is a time by which the server has handled every message (a
	// load run: when nothing has arrived for the drain time). A message
	// delivered to nobody and never answered was handled before it; 0
	// means the end of the history.
	Settled time.Duration
}

// MaxRunes is the longest text judged: longer (or malformed) texts are what
// the robustness scenarios send on purpose, and a server may cut or refuse
// them; their own scenarios judge them.
const MaxRunes = 512

// plain reports whether a text is one a conforming client writes: valid
// UTF-8, at most MaxRunes characters, no control character but tab.
func plain(s string) bool {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxRunes {
		return false
	}
	for _, r := range s {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}

// checker holds the indexes of one Check.
type checker struct {
	h       *results.History
	opts    Options
	spansOf [][]int32       // per connection
	first   []time.Duration // per message: its first delivery (Forever: none)
	judged  []bool          // per message
	out     Report
}

// Check judges a history.
func Check(h *results.History, opts Options) Report {
	c := &checker{h: h, opts: opts, spansOf: make([][]int32, len(h.Conns))}
	for i, s := range h.Spans {
		c.spansOf[s.Conn] = append(c.spansOf[s.Conn], int32(i))
	}
	c.index()
	got := c.deliveries()
	if opts.Lost {
		c.lost(got)
	}
	c.out.Messages = len(h.Messages)
	c.out.Deliveries = len(h.Deliveries)
	return c.out
}

// index finds each message's first delivery and whether it is judged.
func (c *checker) index() {
	c.first = make([]time.Duration, len(c.h.Messages))
	c.judged = make([]bool, len(c.h.Messages))
	for i, m := range c.h.Messages {
		c.first[i] = results.Forever
		c.judged[i] = !m.Repeated && plain(m.Text)
	}
	for _, d := range c.h.Deliveries {
		if d.Msg >= 0 && d.At < c.first[d.Msg] {
			c.first[d.Msg] = d.At
		}
	}
}

// window is when the server handled message m: after it was written, and
// no later than its first delivery or the server's answer, whichever came
// first (the end of the history when neither happened).
func (c *checker) window(m int32) (time.Duration, time.Duration) {
	msg := &c.h.Messages[m]
	w1 := c.first[m]
	if msg.Acked > 0 && msg.Acked < w1 {
		w1 = msg.Acked
	}
	if w1 == results.Forever {
		w1 = c.h.End
		if c.opts.Settled > 0 {
			w1 = c.opts.Settled
		}
	}
	return msg.At, max(w1, msg.At)
}

// Classify says whether conn must, may or must not receive message m
// labelled with room (empty when the server names none).
func (c *checker) Classify(m int32, conn int32, room string) Class {
	msg := &c.h.Messages[m]
	if conn == msg.Conn {
		return May // its own copy: COP-3.6-2 and the dialect's echo setting leave it open
	}
	w0, w1 := c.window(m)
	switch msg.Kind {
	case results.KindPublic:
		return c.held(conn, results.SpanLogin, "", w0, w1)
	case results.KindPrivate:
		return c.held(conn, results.SpanLogin, msg.To, w0, w1)
	case results.KindRoom:
		return c.inRooms(msg.Rooms, conn, room, w0, w1)
	case results.KindBridge:
		return c.bridged(msg, conn, w0, w1)
	}
	return May
}

// inRooms classifies a room message: by the room it was labelled with when
// that is one of its rooms (or its rooms are not known), else by the best
// of its rooms.
func (c *checker) inRooms(rooms []string, conn int32, room string, w0, w1 time.Duration) Class {
	if len(rooms) == 0 { // sent to a current room nobody recorded: judged by the label alone
		if room == "" {
			return May
		}
		return c.held(conn, results.SpanMember, room, w0, w1)
	}
	for _, r := range rooms {
		if r == room {
			return c.held(conn, results.SpanMember, room, w0, w1)
		}
	}
	best := MustNot
	for _, r := range rooms {
		best = max(best, c.held(conn, results.SpanMember, r, w0, w1))
	}
	return best
}

// held says whether conn held an identity over all of [w0, w1] (MUST), at
// no time of it (MUST NOT), or possibly at some time (MAY). key "" matches
// any key.
func (c *checker) held(conn int32, kind results.SpanKind, key string, w0, w1 time.Duration) Class {
	class := MustNot
	for _, i := range c.spansOf[conn] {
		s := &c.h.Spans[i]
		if s.Kind != kind || (key != "" && s.Key != key) {
			continue
		}
		if s.Begun <= w0 && w1 <= s.End {
			return Must
		}
		if s.Begin <= w1 && s.Ended >= w0 {
			class = May
		}
	}
	return class
}

// nickAt is the nickname conn was logged in as at t ("" when none is known).
func (c *checker) nickAt(conn int32, t time.Duration) string {
	nick := ""
	for _, i := range c.spansOf[conn] {
		s := &c.h.Spans[i]
		if s.Kind == results.SpanLogin && s.Begin <= t && t <= s.Ended {
			nick = s.Key
		}
	}
	return nick
}
