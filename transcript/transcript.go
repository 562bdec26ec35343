// Package transcript records what crossed each connection of a scenario, in
// order, with time, raw bytes (hex) and a decoded form, so that a failure in a
// report shows the wire exactly as the server spoke it.
package transcript

import (
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Dir is the direction of an entry.
type Dir int

// Directions: bytes chatspec sent, bytes the server sent, and chatspec's own
// remarks (a timeout, a close).
const (
	Sent Dir = iota
	Received
	Note
)

func (d Dir) arrow() string {
	switch d {
	case Sent:
		return "->"
	case Received:
		return "<-"
	}
	return "--"
}

// Entry is one event on one connection.
type Entry struct {
	At      time.Duration // since the log started
	Conn    string        // connection name, e.g. "alice" or "alice/bridge"
	Dir     Dir
	Bytes   []byte // raw bytes, possibly cut (see Omitted)
	Omitted int    // bytes not kept because of the per-entry cap
	Text    string // decoded form or note
}

// Limits of what a log keeps, so a hostile server cannot grow it without bound.
const (
	MaxEntryBytes = 512
	MaxEntries    = 2000
)

// Log is a transcript of one scenario. It is safe for concurrent use.
type Log struct {
	mu      sync.Mutex
	start   time.Time
	entries []Entry
	dropped int

	events     []Event // typed events (events.go)
	lostEvents int
	maxEvents  int // 0: MaxEvents
}

// New starts an empty log whose clock starts now.
func New() *Log { return &Log{start: time.Now()} }

// Add records raw bytes on a connection with their decoded form.
func (l *Log) Add(conn string, dir Dir, b []byte, text string) {
	l.AddDecoded(conn, dir, b, plainText(text))
}

// AddDecoded is Add with the decoded form made only if the entry is kept:
// past MaxEntries a flood of thousands of packets is counted, not described.
func (l *Log) AddDecoded(conn string, dir Dir, b []byte, decoded fmt.Stringer) {
	if l == nil {
		return
	}
	if l.full() {
		return
	}
	e := Entry{Conn: conn, Dir: dir, Text: Shorten(decoded.String())}
	if len(b) > MaxEntryBytes {
		e.Omitted = len(b) - MaxEntryBytes
		b = b[:MaxEntryBytes]
	}
	e.Bytes = append([]byte(nil), b...)
	l.mu.Lock()
	defer l.mu.Unlock()
	e.At = time.Since(l.start)
	if len(l.entries) >= MaxEntries {
		l.dropped++
		return
	}
	l.entries = append(l.entries, e)
}

// full counts an entry that will not be kept and reports whether it is so.
func (l *Log) full() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) < MaxEntries {
		return false
	}
	l.dropped++
	return true
}

// plainText is a decoded form that is already a string.
type plainText string

func (t plainText) String() string { return string(t) }

// Notef records a remark of chatspec's on a connection.
func (l *Log) Notef(conn, format string, args ...any) {
	l.Add(conn, Note, nil, fmt.Sprintf(format, args...))
}

// Entries returns a copy of the entries so far.
func (l *Log) Entries() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Entry(nil), l.entries...)
}

// String renders the log, one entry per line: time, connection, direction,
// decoded text, then the hex bytes on the next line.
func (l *Log) String() string {
	if l == nil {
		return ""
	}
	var sb strings.Builder
	for _, e := range l.Entries() {
		fmt.Fprintf(&sb, "%8.3fs %-14s %s %s\n", e.At.Seconds(), e.Conn, e.Dir.arrow(), e.Text)
		if len(e.Bytes) > 0 {
			fmt.Fprintf(&sb, "%26s %s", "", Hex(e.Bytes))
			if e.Omitted > 0 {
				fmt.Fprintf(&sb, " ... (+%d bytes)", e.Omitted)
			}
			sb.WriteByte('\n')
		}
	}
	l.mu.Lock()
	if l.dropped > 0 {
		fmt.Fprintf(&sb, "... %d later entries not kept\n", l.dropped)
	}
	l.mu.Unlock()
	return sb.String()
}

// Hex renders bytes as space-separated groups of four bytes.
func Hex(b []byte) string {
	s := hex.EncodeToString(b)
	var sb strings.Builder
	for i := 0; i < len(s); i += 8 {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(s[i:min(i+8, len(s))])
	}
	return sb.String()
}

// Quote renders server text for a transcript line: printable, escapes shown.
func Quote(b []byte) string { return fmt.Sprintf("%q", b) }
