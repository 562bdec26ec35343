package target

import (
	"strings"
	"sync"
)

// ring keeps the last limit bytes written to it; older bytes are dropped.
// It is safe for concurrent use (stdout and stderr copy into the same ring).
type ring struct {
	mu      sync.Mutex
	buf     []byte // fixed size once full
	next    int    // where the next byte goes once buf is full
	limit   int
	dropped bool
	total   int64 // bytes ever written: the offset Mark returns
}

// newRing returns a ring that keeps at most limit bytes (at least 1).
func newRing(limit int) *ring {
	return &ring{limit: max(limit, 1)}
}

// Write appends p, overwriting the oldest bytes beyond the limit. It never fails.
func (r *ring) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(p)
	r.total += int64(n)
	if len(p) > r.limit {
		r.dropped = true
		p = p[len(p)-r.limit:]
	}
	if room := r.limit - len(r.buf); room > 0 {
		k := min(room, len(p))
		r.buf = append(r.buf, p[:k]...)
		p = p[k:]
	}
	for len(p) > 0 {
		r.dropped = true
		k := copy(r.buf[r.next:], p)
		p = p[k:]
		r.next = (r.next + k) % r.limit
	}
	return n, nil
}

// droppedNote heads output whose beginning the ring no longer holds.
const droppedNote = "[... earlier output dropped ...]\n"

// String returns what the ring holds, oldest first, with a note when bytes were dropped.
func (r *ring) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.dropped {
		return string(r.buf)
	}
	return droppedNote + r.held()
}

// held is the ring's contents, oldest first; the caller holds mu.
func (r *ring) held() string {
	return string(r.buf[r.next:]) + string(r.buf[:r.next])
}

// Mark is the offset of the next byte to be written, for Since.
func (r *ring) Mark() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

// Since returns what was written after Mark returned mark, with a note when
// the start of it was already dropped.
func (r *ring) Since(mark int64) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.held()
	first := r.total - int64(len(s)) // offset of the oldest byte held
	switch {
	case mark < first:
		return droppedNote + s
	case mark >= r.total:
		return ""
	}
	return s[mark-first:]
}

// tail returns about the last n bytes of s, starting at a line boundary when one
// is near, for quoting server output inside an error message.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[len(s)-n:]
	if i := strings.IndexByte(s, '\n'); i >= 0 && i < len(s)-1 {
		s = s[i+1:]
	}
	return "..." + s
}
