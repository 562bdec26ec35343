// Package oracle is chatspec's run-wide delivery checker. Build turns the
// typed events of a run's transcripts into one results.History; Check
// classifies every (message, receiver) pair of that history as MUST, MAY or
// MUST NOT receive and reports every leak, duplicate, reordering, loss and
// corrupted or invented text as a Violation on the requirement it breaks.
// Nothing here touches the network: it is a pure function of the history.
package oracle

import (
	"bytes"
	"cmp"
	"slices"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/transcript"
)

// Source is the typed events of one transcript of a run and where they
// belong (a scenario's place, or "load"). It keeps only the events, so a
// long run does not hold every scenario's wire bytes until its end.
type Source struct {
	Start   time.Time
	Events  []transcript.Event
	Dropped int
	Where   string
}

// SourceOf takes the typed events of a log.
func SourceOf(l *transcript.Log, where string) Source {
	evs, dropped := l.Events()
	return Source{Start: l.Start(), Events: evs, Dropped: dropped, Where: where}
}

// timed is one event on the run clock, with its connection's index.
type timed struct {
	at   time.Duration
	conn int32
	ev   *transcript.Event
}

// spanKey finds the open span an identity event continues.
type spanKey struct {
	conn int32
	kind results.SpanKind
	key  string
}

// builder holds the state of one Build.
type builder struct {
	h        results.History
	conns    map[[2]string]int32
	lastSend []int32 // per connection: its latest message, -1 before any
	seq      []int32
	open     map[spanKey]int32
	byText   map[string]int32
	intern   map[string]string
	raw      []byte // bytes written raw by any client, to tell relayed junk from invented text
	rawText  []byte // the same, each write as plainOf, 0xff between writes
}

// Build merges the typed events of every source onto one run clock (the
// earliest log start) and returns the history.
func Build(sources []Source) results.History {
	b := &builder{conns: map[[2]string]int32{}, open: map[spanKey]int32{}, byText: map[string]int32{},
		intern: map[string]string{}}
	events := b.collect(sources)
	for _, t := range events {
		b.apply(t)
		b.h.End = max(b.h.End, t.at)
	}
	b.closeOpen()
	b.resolve()
	return b.h
}

// collect gathers every source's events, in time order.
func (b *builder) collect(sources []Source) []timed {
	var start time.Time
	for i, s := range sources {
		if i == 0 || s.Start.Before(start) {
			start = s.Start
		}
	}
	var all []timed
	for _, s := range sources {
		evs := s.Events
		b.h.Dropped += s.Dropped
		base := s.Start.Sub(start)
		for j := range evs {
			all = append(all, timed{at: base + evs[j].At, conn: b.conn(s.Where, evs[j].Conn), ev: &evs[j]})
		}
	}
	slices.SortStableFunc(all, func(x, y timed) int { return cmp.Compare(x.at, y.at) })
	return all
}

// conn returns the index of a connection, adding it on first sight.
func (b *builder) conn(where, name string) int32 {
	k := [2]string{where, name}
	if i, ok := b.conns[k]; ok {
		return i
	}
	i := int32(len(b.h.Conns))
	b.conns[k] = i
	b.h.Conns = append(b.h.Conns, results.HistoryConn{Name: name, Where: where})
	b.lastSend = append(b.lastSend, -1)
	b.seq = append(b.seq, 0)
	return i
}

// apply folds one event into the history.
func (b *builder) apply(t timed) {
	switch t.ev.Kind {
	case transcript.EvSend:
		b.send(t)
	case transcript.EvAck:
		if m := b.lastSend[t.conn]; m >= 0 && b.h.Messages[m].Acked == 0 {
			b.h.Messages[m].Acked = t.at
		}
	case transcript.EvRaw:
		b.raw = append(append(b.raw, t.ev.Text...), 0)
		b.rawText = append(append(b.rawText, plainOf(t.ev.Text)...), 0xff)
	case transcript.EvReceive:
		b.h.Deliveries = append(b.h.Deliveries, results.Delivery{At: t.at, Conn: t.conn, Msg: results.NoMessage,
			Kind: kindOf(t.ev.Topic), Room: b.str(t.ev.Room), From: b.str(t.ev.From), Text: t.ev.Text})
	default:
		b.identity(t)
	}
}

// send adds a message; a text written twice marks both Repeated.
func (b *builder) send(t timed) {
	i := int32(len(b.h.Messages))
	m := results.Message{Conn: t.conn, Seq: b.seq[t.conn], Kind: kindOf(t.ev.Topic), At: t.at,
		To: t.ev.Key, Rooms: t.ev.Rooms, Text: t.ev.Text}
	b.seq[t.conn]++
	if j, ok := b.byText[m.Text]; ok {
		m.Repeated = true
		b.h.Messages[j].Repeated = true
	} else {
		b.byText[m.Text] = i
	}
	b.h.Messages = append(b.h.Messages, m)
	b.lastSend[t.conn] = i
}

// str interns a string, so a million deliveries share their few senders'
// and rooms' names.
func (b *builder) str(s string) string {
	if v, ok := b.intern[s]; ok {
		return v
	}
	b.intern[s] = s
	return s
}

func kindOf(topic string) results.MessageKind {
	switch topic {
	case transcript.TopicPublic:
		return results.KindPublic
	case transcript.TopicPrivate:
		return results.KindPrivate
	case transcript.TopicRoom:
		return results.KindRoom
	case transcript.TopicBridge:
		return results.KindBridge
	}
	return 0
}

var spanKinds = map[string]results.SpanKind{transcript.TopicLogin: results.SpanLogin,
	transcript.TopicMember: results.SpanMember, transcript.TopicBridge: results.SpanBridge}

// pending marks a window not closed yet while building.
const pending = time.Duration(-1)

// identity opens, confirms or closes a span. An end with no topic ends
// every open span of the connection (it closed).
func (b *builder) identity(t timed) {
	ev := t.ev
	if ev.Topic == "" && (ev.Kind == transcript.EvEnd || ev.Kind == transcript.EvEnded) {
		for k, i := range b.open {
			if k.conn == t.conn {
				b.endSpan(k, i, t.at, ev.Kind)
			}
		}
		return
	}
	k := spanKey{conn: t.conn, kind: spanKinds[ev.Topic], key: ev.Key}
	i, ok := b.open[k]
	switch {
	case ev.Kind == transcript.EvBegin && !ok:
		b.openSpan(k, t.at, ev)
	case ev.Kind == transcript.EvBegun && !ok:
		i = b.openSpan(k, 0, ev) // confirmed without being asked for: it may have begun any time
		b.h.Spans[i].Begun = t.at
	case ev.Kind == transcript.EvBegun && b.h.Spans[i].Begun == pending:
		b.h.Spans[i].Begun = t.at
	case ev.Kind == transcript.EvEnd || ev.Kind == transcript.EvEnded:
		if ok {
			b.endSpan(k, i, t.at, ev.Kind)
		}
	}
}

func (b *builder) openSpan(k spanKey, at time.Duration, ev *transcript.Event) int32 {
	i := int32(len(b.h.Spans))
	b.h.Spans = append(b.h.Spans, results.Span{Conn: k.conn, Kind: k.kind, Key: k.key, Begin: at,
		Begun: pending, End: pending, Ended: pending, Owner: b.str(ev.From), With: b.str(ev.With)})
	b.open[k] = i
	return i
}

// endSpan records an end request or confirmation; a confirmation closes it.
func (b *builder) endSpan(k spanKey, i int32, at time.Duration, kind transcript.EventKind) {
	s := &b.h.Spans[i]
	if s.End == pending {
		s.End = at
	}
	if kind == transcript.EvEnded {
		s.Ended = at
		if s.Begun == pending { // refused, or ended before any confirmation
			s.Begun = results.Forever
		}
		delete(b.open, k)
	}
}

// closeOpen gives every span still open its final bounds: a span never
// confirmed may have begun at any time after it was asked for.
func (b *builder) closeOpen() {
	for i := range b.h.Spans {
		s := &b.h.Spans[i]
		if s.Begun == pending {
			s.Begun = results.Forever
		}
		if s.End == pending {
			s.End = results.Forever
		}
		if s.Ended == pending {
			s.Ended = results.Forever
		}
	}
}

// resolve ties each delivery to the message whose text it carries.
func (b *builder) resolve() {
	for i := range b.h.Deliveries {
		d := &b.h.Deliveries[i]
		if m, ok := b.byText[d.Text]; ok {
			d.Msg, d.Text = m, ""
			continue
		}
		if bytes.Contains(b.raw, []byte(d.Text)) || b.rawRelayed(d.Text) {
			d.Msg = results.RawMessage
		}
	}
}

// rawRelayed reports whether text is raw bytes a client wrote, relayed as a
// server may make them valid: invalid UTF-8 replaced by U+FFFD or dropped,
// control bytes dropped (PAT-R-2, COP-R-3 leave which to the server).
func (b *builder) rawRelayed(text string) bool {
	if len(b.rawText) == 0 {
		return false
	}
	return bytes.Contains(b.rawText, plainOf(text))
}

// plainOf is s without invalid UTF-8, U+FFFD and control characters: what
// raw bytes and their relayed form have in common.
func plainOf(s string) []byte {
	out := make([]byte, 0, len(s))
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r != utf8.RuneError && !unicode.IsControl(r) {
			out = append(out, s[:n]...)
		}
		s = s[n:]
	}
	return out
}
