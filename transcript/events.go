package transcript

import (
	"strconv"
	"time"
)

// EventKind says what a typed event records. Typed events sit beside the
// wire entries: the entries show the bytes, the events say what they meant
// (a message sent, a message received, a login or a room membership
// beginning or ending), so that a run-wide checker can judge every delivery
// without parsing any protocol again.
type EventKind uint8

// The kinds of typed events.
const (
	EvSend    EventKind = iota + 1 // a client wrote a message (Topic: public, private or room)
	EvAck                          // the server acknowledged the connection's latest send
	EvReceive                      // a client received a message
	EvBegin                        // a client asked for an identity (Topic: login, member, bridge)
	EvBegun                        // ... and the server confirmed it
	EvEnd                          // a client asked to give an identity up, or the connection ended
	EvEnded                        // ... and the server confirmed it (or the connection is gone)
	EvRaw                          // a client wrote bytes that are no message it means (Text: up to MaxRaw bytes)
)

// Topics of typed events.
const (
	TopicPublic  = "public"  // a message for every logged-in client
	TopicPrivate = "private" // a message for one nickname (Key)
	TopicRoom    = "room"    // a message for the members of Rooms
	TopicLogin   = "login"   // logged in as Key
	TopicMember  = "member"  // member of room Key
	TopicBridge  = "bridge"  // a private connection (identity: connect id Key; message: bytes written into it)
)

// Event is one typed event on one connection. Which fields are set depends
// on Kind: Send has Topic, Key (private addressee, or a bridge's far end),
// Rooms and Text; Receive has Topic, From, Room and Text; identity events
// have Topic and Key, and a bridge's (Key: the connect id) also From (the
// nickname the connection is a half for) and With (the far end's).
type Event struct {
	At    time.Duration // since the log started
	Conn  string
	Kind  EventKind
	Topic string
	Key   string
	Rooms []string
	From  string
	Room  string
	Text  string
	With  string
}

// MaxEvents bounds the typed events one log keeps unless SetMaxEvents
// says otherwise; past the bound events are counted, not kept, so a server
// that floods a scenario cannot grow it without bound.
const MaxEvents = 1 << 16

// SetMaxEvents changes the bound (a load run keeps one log for all its
// clients and millions of deliveries).
func (l *Log) SetMaxEvents(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.maxEvents = n
}

// Record adds a typed event, stamped with the log's clock.
func (l *Log) Record(ev Event) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	ev.At = time.Since(l.start)
	limit := l.maxEvents
	if limit <= 0 {
		limit = MaxEvents
	}
	if len(l.events) >= limit {
		l.lostEvents++
		return
	}
	l.events = append(l.events, ev)
}

// Sent records that conn wrote a message.
func (l *Log) Sent(conn, topic, to string, rooms []string, text string) {
	l.Record(Event{Conn: conn, Kind: EvSend, Topic: topic, Key: to, Rooms: rooms, Text: text})
}

// MaxRaw bounds the bytes one raw-write event keeps.
const MaxRaw = 64 << 10

// Raw records bytes written that are not a message the client means (junk,
// hand-made frames): a server relaying them is not inventing text.
func (l *Log) Raw(conn string, b []byte) {
	l.Record(Event{Conn: conn, Kind: EvRaw, Text: string(b[:min(len(b), MaxRaw)])})
}

// Acked records that the server answered conn's latest message.
func (l *Log) Acked(conn string) { l.Record(Event{Conn: conn, Kind: EvAck}) }

// Got records that conn received a message.
func (l *Log) Got(conn, topic, from, room, text string) {
	l.Record(Event{Conn: conn, Kind: EvReceive, Topic: topic, From: from, Room: room, Text: text})
}

// Identity records a step of an identity of conn: kind is EvBegin, EvBegun,
// EvEnd or EvEnded; topic says which identity, key its value.
func (l *Log) Identity(conn string, kind EventKind, topic, key string) {
	l.Record(Event{Conn: conn, Kind: kind, Topic: topic, Key: key})
}

// Bridge records a step of a private connection's identity: conn
// presented connect id (EvBegin), got 11 (EvBegun), or gave it up, as
// owner's half of a private connection with with ("" when nobody is
// expected: an id never issued, or someone else's).
func (l *Log) Bridge(conn string, kind EventKind, id int64, owner, with string) {
	l.Record(Event{Conn: conn, Kind: kind, Topic: TopicBridge, Key: strconv.FormatInt(id, 10), From: owner, With: with})
}

// Events returns a copy of the typed events so far and how many were not
// kept because of MaxEvents.
func (l *Log) Events() ([]Event, int) {
	if l == nil {
		return nil, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Event(nil), l.events...), l.lostEvents
}

// Start is when the log's clock started; events of several logs are put on
// one run-wide clock by their logs' starts (monotonic readings).
func (l *Log) Start() time.Time { return l.start }
