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

// String returns what the ring holds, oldest first, with a note when bytes were dropped.
func (r *ring) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.dropped {
		return string(r.buf)
	}
	return "[... earlier output dropped ...]\n" + string(r.buf[r.next:]) + string(r.buf[:r.next])
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
