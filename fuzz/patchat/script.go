package patchat

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

// A Pat Chat case follows the dialect's script as the suite does: each send
// line of an action is its own step, sent only once the replies the dialect
// expects before it have arrived, or after a short deadline (the executor's
// FillWait), so a server that takes one read as one input sees the lines
// apart. The wait is a Fill that only waits (Offset -1): its Var is the
// expected pattern, which the connection's watch matches in what arrived.

// piece is one send line of an action and the patterns to wait for first.
type piece struct {
	data  []byte
	waits []string
}

// pieces renders an action's top-level script (steps guarded by `when`
// belong to a refusal's recovery and are left out) into send lines, each
// with the expects before it; the expects after the last send are returned
// as the action's tail.
func (v vocabulary) pieces(action string, vars map[string]string, ending string) ([]piece, []string) {
	var out []piece
	var waits []string
	for _, st := range v.steps[action] {
		switch {
		case st.When != "":
		case st.Expect != "":
			waits = append(waits, expectOf(st, vars))
		case st.Quiet == 0:
			out = append(out, piece{data: append([]byte(fill(st.Send, vars)), ending...), waits: waits})
			waits = nil
		}
	}
	return out, waits
}

// expectOf is the step's expect or refuse pattern with vars in place:
// values regex-escaped, a variable the case cannot know (captured at run
// time) matching any text on one line.
func expectOf(st wire.Step, vars map[string]string) string {
	alt := "(?:" + fillPattern(st.Expect, vars) + ")"
	if st.Refuse != "" {
		alt += "|(?:" + fillPattern(st.Refuse, vars) + ")"
	}
	return alt
}

var placeholder = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(?:\|[^{}]*)?\}`)

// fillPattern replaces the placeholders of a pattern.
func fillPattern(p string, vars map[string]string) string {
	return placeholder.ReplaceAllStringFunc(p, func(m string) string {
		name := placeholder.FindStringSubmatch(m)[1]
		if v, ok := vars[name]; ok {
			return regexp.QuoteMeta(v)
		}
		return `[^\n]*?`
	})
}

// waitVar encodes patterns to wait for, in order, as a Fill variable.
func waitVar(waits []string) string {
	return url.QueryEscape(strings.Join(waits, `(?s:.*?)`))
}

// act sends an action line by line on conn, each line after the replies
// the dialect expects before it (and, for the first, after the previous
// action's); the action's last expects wait for the next send.
func (g *gen) act(conn int, note, action string, vars map[string]string) {
	pieces, tail := g.v.pieces(action, vars, g.ending())
	for _, p := range pieces {
		g.sendAfter(conn, note, p.data, p.waits)
	}
	g.pending[conn] = append(g.pending[conn], tail...)
}

// sendAfter sends data once the pending expects of conn and waits arrived.
func (g *gen) sendAfter(conn int, note string, data []byte, waits []string) {
	waits = append(g.pending[conn], waits...)
	g.pending[conn] = nil
	s := fuzz.Step{Data: data, Note: note}
	if len(waits) > 0 {
		s.Fill = &fuzz.Fill{Var: waitVar(waits), Conn: conn, Offset: -1}
	}
	if g.r.IntN(16) == 0 {
		s.Chunks = fuzz.Drip(g.r, len(data), 0) // a line over several reads (no fixed pauses: see fuzz.Drip)
	}
	g.b.Send(conn, s)
}

// conn opens a connection whose first line waits for the greeting.
func (g *gen) conn() int {
	c := g.b.Conn()
	if _, tail := g.v.pieces(wire.ActionGreeting, nil, ""); len(tail) > 0 {
		g.pending[c] = tail
	}
	return c
}
