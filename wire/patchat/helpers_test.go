package patchat

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// long is the deadline for steps that must succeed: generous, never reached.
const long = 10 * time.Second

// lineMessages and menuMessages are the recognisers of the two test styles.
const (
	lineMessages = `'(?m)^\[(?P<room>[^\]\n]+)\] (?P<from>[^:\n]+): (?P<text>[^\n]*)\n'`
	menuMessages = `'\((?P<room>[^:\n]*?)\) <(?P<from>[\w-]+)> (?P<text>[^\n]*)\n'`
)

// dialectYAML builds a dialect file: the given actions (name -> YAML list of
// steps), every other required action as a stub, and the recogniser.
func dialectYAML(timeout, recogniser string, actions map[string]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "name: test\ntimeout: %s\nmessages:\n  - pattern: %s\nactions:\n", timeout, recogniser)
	var names []string
	for _, name := range RequiredActions {
		if _, ok := actions[name]; !ok {
			actions[name] = "[{send: 'noop'}]"
		}
	}
	for name := range actions {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(&b, "  %s: %s\n", name, actions[name])
	}
	return b.String()
}

// mustDialect parses a dialect built by dialectYAML.
func mustDialect(t testing.TB, timeout, recogniser string, actions map[string]string) *Dialect {
	t.Helper()
	d, err := Parse([]byte(dialectYAML(timeout, recogniser, actions)), "test.yaml")
	require.NoError(t, err)
	return d
}

// end is one end of an in-memory duplex pipe: like net.Pipe, every write
// waits for a read on the other side.
type end struct {
	*io.PipeReader
	*io.PipeWriter
}

// Close closes both directions.
func (e end) Close() error {
	_ = e.PipeWriter.Close()
	return e.PipeReader.Close()
}

// duplex returns the two ends of an in-memory connection.
func duplex() (end, end) {
	ar, bw := io.Pipe()
	br, aw := io.Pipe()
	return end{ar, aw}, end{br, bw}
}

// fake is the server end of a duplex pipe: tests read the client's lines and
// write canned text, split exactly as each test needs.
type fake struct {
	t    testing.TB
	conn end
	r    *bufio.Reader
}

// session starts an Engine over a duplex pipe to a fake server.
func session(t testing.TB, d *Dialect, opts Options) (*Engine, *fake) {
	t.Helper()
	c, srv := duplex()
	s := NewEngine(c, d, opts)
	s.Start()
	f := &fake{t: t, conn: srv, r: bufio.NewReaderSize(srv, 4096)}
	t.Cleanup(func() {
		_ = srv.Close()
		_ = s.Close()
	})
	return s, f
}

// line reads one line the client sent (without "\n"); "" after an error.
func (f *fake) line() string {
	l, err := f.r.ReadString('\n')
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(l, "\n")
}

// write sends each piece in its own Write, so the client reads them apart.
func (f *fake) write(pieces ...string) {
	for _, p := range pieces {
		if _, err := f.conn.Write([]byte(p)); err != nil {
			return
		}
	}
}

// bytewise splits s into one-byte pieces.
func bytewise(s string) []string {
	out := make([]string, len(s))
	for i := range s {
		out[i] = s[i : i+1]
	}
	return out
}

// serve runs script in a goroutine and returns a channel closed when it ends.
func (f *fake) serve(script func(f *fake)) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		script(f)
	}()
	return done
}
