package target

import (
	"bytes"
	"regexp"
	"sync"
)

// maxWatchedLine bounds the partial line a lineWatch keeps: a longer line is
// cut there and judged as it is.
const maxWatchedLine = 64 << 10

// lineWatch is a writer that closes matched once a whole line of what is
// written to it matches re (the --ready signal a server prints).
type lineWatch struct {
	re      *regexp.Regexp
	matched chan struct{}

	mu   sync.Mutex
	line []byte
	done bool
}

func newLineWatch(re *regexp.Regexp) *lineWatch {
	return &lineWatch{re: re, matched: make(chan struct{})}
}

// Write judges every line p completes. It never fails.
func (w *lineWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := len(p)
	for !w.done && len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.line = append(w.line, p...)
			if len(w.line) > maxWatchedLine {
				w.judge()
			}
			break
		}
		w.line = append(w.line, p[:i]...)
		p = p[i+1:]
		w.judge()
	}
	return n, nil
}

// judge tests the current line and starts a new one; the caller holds mu.
func (w *lineWatch) judge() {
	if w.re.Match(bytes.TrimSuffix(w.line, []byte("\r"))) {
		w.done = true
		close(w.matched)
	}
	w.line = w.line[:0]
}
