package results

import (
	"math"
	"time"
)

// History is what every client of a run sent and received, reduced to what a
// run-wide delivery check needs: each message written, each message read,
// and each connection's identities over time (logged in as, member of a
// room, bridged with). Times are on one monotonic run clock. It is kept
// compact (indices, not pointers) because a load run holds millions of
// deliveries.
type History struct {
	Conns      []HistoryConn `json:"conns"`
	Messages   []Message     `json:"messages"`
	Deliveries []Delivery    `json:"deliveries"` // in time order
	Spans      []Span        `json:"spans"`
	End        time.Duration `json:"end"`               // the last event: spans still open end after it
	Dropped    int           `json:"dropped,omitempty"` // events not kept (bounded logs)
}

// HistoryConn is one connection: its name in the transcripts and where it
// belongs (the scenario, or "load").
type HistoryConn struct {
	Name  string `json:"name"`
	Where string `json:"where"`
}

// MessageKind says who a message is for.
type MessageKind uint8

// Message kinds: every logged-in client, one nickname, the members of rooms.
const (
	KindPublic MessageKind = iota + 1
	KindPrivate
	KindRoom
	KindBridge // bytes written into a private connection, for its far end
)

// String names the kind as the transcripts do.
func (k MessageKind) String() string {
	switch k {
	case KindPublic:
		return "public"
	case KindPrivate:
		return "private"
	case KindRoom:
		return "room"
	case KindBridge:
		return "bridge"
	}
	return "unknown"
}

// Message is one message a client wrote (for a bridge: one line of bytes
// written into a private connection; To is the far end's nickname). Its text is its identity: chatspec's
// texts carry tokens unique in the run; a text written twice is Repeated and
// not judged.
type Message struct {
	Conn     int32         `json:"conn"`
	Seq      int32         `json:"seq"` // order among the sends of Conn
	Kind     MessageKind   `json:"kind"`
	At       time.Duration `json:"at"`              // written
	Acked    time.Duration `json:"acked,omitempty"` // the server's answer read (0: none)
	To       string        `json:"to,omitempty"`    // private: the addressee's nickname
	Rooms    []string      `json:"rooms,omitempty"` // room: the rooms it is for
	Text     string        `json:"text"`
	Repeated bool          `json:"repeated,omitempty"`
}

// Delivery is one message a client read. Msg is the index of the message
// whose text it carries, NoMessage when no client wrote that text, or
// RawMessage when the text only appears in bytes written raw (not judged).
// From and Text are what arrived; Room the room it was labelled with.
type Delivery struct {
	At   time.Duration `json:"at"`
	Conn int32         `json:"conn"`
	Msg  int32         `json:"msg"`
	Kind MessageKind   `json:"kind"` // as received: public, private or room
	Room string        `json:"room,omitempty"`
	From string        `json:"from,omitempty"`
	Text string        `json:"text,omitempty"` // kept only when it differs from the message's
}

// Values of Delivery.Msg that name no message.
const (
	NoMessage  int32 = -1
	RawMessage int32 = -2
)

// SpanKind is the kind of an identity.
type SpanKind uint8

// Identities a connection holds for a while.
const (
	SpanLogin  SpanKind = iota + 1 // logged in as Key
	SpanMember                     // member of room Key
	SpanBridge                     // a half of the private connection of connect id Key (Owner's, with With)
)

// Span is one identity of one connection over time. It began somewhere in
// [Begin, Begun] (asked, confirmed) and ended somewhere in [End, Ended]; a
// span still held at the end of the history has End = Ended = Forever. An
// event inside one of those windows is concurrent with the change: the
// checker then says MAY, never MUST or MUST NOT.
type Span struct {
	Conn  int32         `json:"conn"`
	Kind  SpanKind      `json:"kind"`
	Key   string        `json:"key"`
	Begin time.Duration `json:"begin"`
	Begun time.Duration `json:"begun"`
	End   time.Duration `json:"end"`
	Ended time.Duration `json:"ended"`
	Owner string        `json:"owner,omitempty"` // a bridge: the nickname the connection is a half for
	With  string        `json:"with,omitempty"`  // a bridge: the nickname at the far end ("" when none was expected)
}

// Forever is the end of a span still held when the history ends.
const Forever = time.Duration(math.MaxInt64)
