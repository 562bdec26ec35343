package oracle

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chatspec/chatspec/results"
)

// Kind names what a violation is.
type Kind string

// The kinds of violations.
const (
	KindLeak      Kind = "leak"      // a MUST NOT receiver got the message
	KindDuplicate Kind = "duplicate" // one receiver got one message twice
	KindOrder     Kind = "order"     // one sender's messages arrived out of order
	KindCorrupted Kind = "corrupted" // the text changed on the way
	KindForged    Kind = "forged"    // the sender changed on the way
	KindInvented  Kind = "invented"  // a text no client wrote
	KindLost      Kind = "lost"      // a MUST receiver never got the message
)

// Violation is one broken property of the history, on the requirement it
// breaks, with the transcript lines that show it.
type Violation struct {
	Req      string        `json:"req"`
	Kind     Kind          `json:"kind"`
	Text     string        `json:"text"`     // the message
	Sender   string        `json:"sender"`   // connection (nickname)
	Receiver string        `json:"receiver"` // connection (nickname)
	Where    string        `json:"where"`    // the sender's scenario (the receiver's when no client wrote it), or "load"
	Sent     time.Duration `json:"sent"`     // when the message was written (-1: unknown)
	Got      time.Duration `json:"got"`      // when it arrived (-1: never)
	Why      string        `json:"why"`
	Excerpts []string      `json:"excerpts"`

	// SenderConn and ReceiverConn are the history's connection indices
	// (-1: none), so a report can place the violation on its timeline.
	SenderConn   int32 `json:"-"`
	ReceiverConn int32 `json:"-"`
}

// String is the violation in one line, for consoles and row messages.
func (v Violation) String() string {
	return fmt.Sprintf("history checker: %s of %q from %s to %s (sent %s, received %s): %s",
		v.Kind, short(v.Text), v.Sender, v.Receiver, clock(v.Sent), clock(v.Got), v.Why)
}

// Report is the outcome of a check: the violations (at most MaxViolations
// kept) and the counts a load run prints.
type Report struct {
	Violations []Violation `json:"violations"`
	Omitted    int         `json:"omitted,omitempty"` // violations beyond MaxViolations
	Messages   int         `json:"messages"`
	Deliveries int         `json:"deliveries"`
	Judged     int         `json:"judged"` // first deliveries of judged messages
	Lost       int         `json:"lost"`
	Duplicated int         `json:"duplicated"`

	unknownSeen int
}

// MaxViolations bounds the violations a report keeps.
const MaxViolations = 500

// add keeps a violation within the bound.
func (r *Report) add(v Violation) {
	if len(r.Violations) >= MaxViolations {
		r.Omitted++
		return
	}
	r.Violations = append(r.Violations, v)
}

// report records a violation about delivery i; j is an earlier delivery
// that shows it too (a duplicate's first copy, the message that overtook
// it), or -1.
func (c *checker) report(kind Kind, j, i int32, why string) {
	c.reportAs(kind, j, i, c.h.Deliveries[i].Msg, why)
}

// reportAs is report for a delivery taken to carry message msg (a
// corrupted copy of it), or none when msg < 0.
func (c *checker) reportAs(kind Kind, j, i, msg int32, why string) {
	d := &c.h.Deliveries[i]
	v := Violation{Kind: kind, Receiver: c.who(d.Conn, d.At), Where: c.h.Conns[d.Conn].Where,
		Got: d.At, Sent: -1, Text: d.Text, Why: why, Sender: d.From, SenderConn: -1, ReceiverConn: d.Conn}
	kindOf := d.Kind
	if msg >= 0 {
		m := &c.h.Messages[msg]
		v.Text, v.Sender, v.Sent, kindOf, v.SenderConn = m.Text, c.who(m.Conn, m.At), m.At, m.Kind, m.Conn
		v.Where = c.h.Conns[m.Conn].Where // the scenario that wrote it: a public message reaches other scenarios too
		v.Excerpts = append(v.Excerpts, c.sendLine(m))
	}
	if j >= 0 {
		v.Excerpts = append(v.Excerpts, c.receiveLine(&c.h.Deliveries[j]))
	}
	v.Excerpts = append(v.Excerpts, c.receiveLine(d))
	v.Req = c.requirement(kind, kindOf, strings.Contains(why, "had left"))
	if kindOf == results.KindBridge {
		v.Req = bridgeRequirement(kind, msg >= 0 && c.presented(d.Conn, &c.h.Messages[msg]))
	}
	c.out.add(v)
}

// reportLost records a MUST receiver that never got message m.
func (c *checker) reportLost(m, conn int32) {
	msg := &c.h.Messages[m]
	req := c.requirement(KindLost, msg.Kind, false)
	if msg.Kind == results.KindBridge {
		req = bridgeRequirement(KindLost, false)
	}
	c.out.add(Violation{Kind: KindLost, Req: req, Text: msg.Text,
		Sender: c.who(msg.Conn, msg.At), Receiver: c.who(conn, msg.At), Where: c.h.Conns[msg.Conn].Where,
		Sent: msg.At, Got: -1, Why: c.whyMust(msg), Excerpts: []string{c.sendLine(msg)},
		SenderConn: msg.Conn, ReceiverConn: conn})
}

// who names a connection with the nickname it had at t.
func (c *checker) who(conn int32, t time.Duration) string {
	name := c.h.Conns[conn].Name
	if nick := c.nickAt(conn, t); nick != "" && nick != name {
		return fmt.Sprintf("%s (%s)", name, nick)
	}
	return name
}

// requirement maps a violation to the catalogue ID it breaks.
func (c *checker) requirement(kind Kind, mk results.MessageKind, left bool) string {
	pat := c.opts.Protocol == "patchat"
	switch {
	case kind == KindDuplicate && pat:
		return "PAT-H-1"
	case kind == KindDuplicate:
		return "COP-H-1"
	case kind == KindOrder && pat:
		return "PAT-H-2"
	case kind == KindOrder:
		return "COP-H-2"
	case kind == KindForged && !pat:
		return "COP-2.3-1"
	case pat && left:
		return "PAT-6.4-1"
	case pat:
		return "PAT-1-1"
	case kind == KindLeak && mk == results.KindPrivate:
		return "COP-2.4-1"
	case kind == KindLeak || (kind == KindLost && mk == results.KindPublic):
		return "COP-2.5-1"
	case mk == results.KindPrivate:
		return "COP-3.7-1"
	}
	return "COP-3.6-1"
}

// sendLine renders a message's send as a transcript line.
func (c *checker) sendLine(m *results.Message) string {
	to := ""
	switch m.Kind {
	case results.KindPrivate:
		to = fmt.Sprintf(" to=%q", m.To)
	case results.KindBridge:
		to = fmt.Sprintf(" into the private connection with %q", m.To)
	case results.KindRoom:
		to = " to the current room"
		if len(m.Rooms) > 0 {
			to = fmt.Sprintf(" rooms=%q", strings.Join(m.Rooms, ","))
		}
	}
	return fmt.Sprintf("%8.3fs %-14s -> %s message%s text=%q", m.At.Seconds(), c.h.Conns[m.Conn].Name,
		m.Kind, to, short(m.Text))
}

// receiveLine renders a delivery as a transcript line.
func (c *checker) receiveLine(d *results.Delivery) string {
	text := d.Text
	if d.Msg >= 0 && text == "" {
		text = c.h.Messages[d.Msg].Text
	}
	room := ""
	if d.Room != "" {
		room = fmt.Sprintf(" room=%q", d.Room)
	}
	return fmt.Sprintf("%8.3fs %-14s <- %s message from=%q%s text=%q", d.At.Seconds(), c.h.Conns[d.Conn].Name,
		d.Kind, d.From, room, short(text))
}

func clock(t time.Duration) string {
	if t < 0 || t == results.Forever {
		return "never"
	}
	return fmt.Sprintf("%.3fs", t.Seconds())
}

// shortText is the longest text a row quotes in full.
const shortText = 72

// short cuts a long text for a row, on a character boundary, saying how
// long it was.
func short(s string) string {
	if len(s) <= shortText {
		return s
	}
	cut := shortText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s... (%d bytes)", s[:cut], len(s))
}
