package patchat

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors of the engine; every error it returns wraps one of them.
var (
	// ErrInvalidDialect: the dialect file has problems (see DialectError).
	ErrInvalidDialect = errors.New("patchat: invalid dialect")
	// ErrUnknownAction: Do was asked for an action the dialect does not define.
	ErrUnknownAction = errors.New("patchat: unknown action")
	// ErrMissingVar: a step uses a variable that has no value.
	ErrMissingVar = errors.New("patchat: missing variable")
	// ErrNotInTable: a {name|table:T} value is not in the table T (the
	// listing that fills it did not show it).
	ErrNotInTable = errors.New("patchat: value not in table")
	// ErrValueHasNewline: a value for a send line contains CR or LF (or the
	// dialect's line ending), which would split it into several commands.
	ErrValueHasNewline = errors.New("patchat: value contains a line ending")
	// ErrTimeout: the server did not say what was expected before the deadline.
	ErrTimeout = errors.New("patchat: timeout")
	// ErrClosed: the connection is closed (by the server or by Close).
	ErrClosed = errors.New("patchat: connection closed")
	// ErrBufferFull: the server sent more unconsumed text than Options.MaxBuffer
	// (or more room messages than Options.MaxLog); reading stops for good.
	ErrBufferFull = errors.New("patchat: receive buffer full")
)

// maxGot bounds ExpectError.Got: head and tail of the unconsumed text.
const maxGot = 2048

// ExpectError says that an expect step did not match: which action and step
// (0-based, as in the dialect path actions.NAME[STEP]), every pattern that
// would have been accepted, and what arrived instead. Err is ErrTimeout,
// ErrClosed, ErrBufferFull or the context's error, so errors.Is works.
type ExpectError struct {
	Dialect  string // the dialect's name, else its file
	Action   string
	Step     int
	Patterns []string
	Got      string
	Late     bool // Got matches a pattern: the reply came after the deadline
	Wait     time.Duration
	Err      error
}

// Error prints the expectation and the received text, like a failed check.
func (e *ExpectError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: dialect %s action %s step %d after %v: expected one of", e.Err, e.Dialect, e.Action, e.Step, e.Wait)
	for _, p := range e.Patterns {
		fmt.Fprintf(&b, " %q", p)
	}
	fmt.Fprintf(&b, "; got %q", e.Got)
	return b.String()
}

// Unwrap gives the cause (ErrTimeout, ErrClosed, ...).
func (e *ExpectError) Unwrap() error { return e.Err }

// Problem is one thing wrong with a dialect file, with its place in the file.
// Path names the value in YAML terms, e.g. actions.join[2].expect (0-based).
type Problem struct {
	File         string // the source name given to Check or Parse
	Line, Column int    // 1-based; 0 when the YAML parser gave no place
	Path         string
	Msg          string
}

// String gives "file:line:col: path: msg", the usual compiler style.
func (p Problem) String() string {
	pos := p.File
	if p.Line > 0 {
		pos = fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
	}
	if p.Path == "" {
		return pos + ": " + p.Msg
	}
	return pos + ": " + p.Path + ": " + p.Msg
}

// DialectError carries every problem Parse found; it wraps ErrInvalidDialect.
type DialectError struct {
	Problems []Problem
}

// Error lists the problems, one per line.
func (e *DialectError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return ErrInvalidDialect.Error() + ":\n" + strings.Join(lines, "\n")
}

// Unwrap gives ErrInvalidDialect.
func (e *DialectError) Unwrap() error { return ErrInvalidDialect }

// truncate keeps the head and the tail of s when it is longer than max.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	half := max / 2
	return fmt.Sprintf("%s…[%d bytes]…%s", s[:half], len(s)-2*half, s[len(s)-half:])
}
