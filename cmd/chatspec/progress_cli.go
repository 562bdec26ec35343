package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"sync"

	"github.com/chatspec/chatspec/reports"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/steps"
	"github.com/mattn/go-isatty"
)

// terminalWidth is the width of the terminal w writes to, or 0 when w is
// not a terminal (then nothing is cut to fit). $COLUMNS stands in where
// the width cannot be asked.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return 0
	}
	if n := ttyWidth(f); n > 0 {
		return n
	}
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 80
}

// liveProgress shows a run's progress on stderr: one status line redrawn
// in place on a terminal, or a plain line per scenario (--progress).
type liveProgress struct {
	mu     sync.Mutex
	w      io.Writer
	width  int // > 0: a terminal, redraw in place
	strict bool
	p      reports.Progress
}

// newLiveProgress returns the progress display for a run, or nil when
// there is none to show (stderr is no terminal and --progress was not given).
func newLiveProgress(protocol string, stderr io.Writer, o *runOptions, fsys fs.FS) *liveProgress {
	width := terminalWidth(stderr)
	if o.progress {
		width = 0
	} else if width == 0 {
		return nil
	}
	l := &liveProgress{w: stderr, width: width, strict: o.strict, p: reports.Progress{Protocol: protocol}}
	if plan, err := steps.Plan(fsys, protocol, o.tags); err == nil {
		l.p.Total = len(plan) * o.repeat
	}
	return l
}

// observe is the runner's callback for each finished scenario.
func (l *liveProgress) observe(r results.Result) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.p.Add(r, l.strict)
	if l.width > 0 {
		fmt.Fprintf(l.w, "\r\x1b[K%s", reports.ProgressLine(l.p, l.width-1))
		return
	}
	fmt.Fprint(l.w, reports.ProgressEntry(l.p))
}

// finish clears the status line, so the table starts on a clean line.
func (l *liveProgress) finish() {
	if l != nil && l.width > 0 {
		fmt.Fprint(l.w, "\r\x1b[K")
	}
}
