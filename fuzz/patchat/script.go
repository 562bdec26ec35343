package patchat

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

// A Pat Chat case follows the dialect's script as the suite does: each send
// line of an action is its own step, sent only once the server has answered
// the line before it, so a server that takes one read as one input sees the
// lines apart. The wait is a Fill that only waits (Offset -1): its Var is a
// pattern of the answer, which the connection's watch matches in what
// arrived. The executor also stops waiting when the server closes the
// connection, or at a deadline.
//
// A wait must be for what a correct server will send, or it lasts until the
// deadline for nothing, which was most of a case's time. So the generator
// tracks, per connection, what the last line's answer will be:
//   - the dialect's expects, where a refusal ends the action (nothing after
//     it is waited for), and a value the server may clean, trim or cut (see
//     verbatim) matches any text in its place;
//   - any reply of the dialect (vocabulary.anyReply), when what the line
//     asks cannot be known: junk, a line that ends in another way than the
//     dialect's, or one that completes a line left unterminated;
//   - nothing, when the line is not terminated: a server that frames lines
//     answers only once the next one ends it.

// line is one send line of an action and the pattern of the answer a
// correct server gives to it ("" when the dialect expects nothing).
type line struct {
	data   []byte // without the line ending
	answer string
}

// script renders an action's top-level script (steps guarded by `when`
// belong to a refusal's recovery and are left out) into its send lines,
// each with its answer, and the answer expected before the first send
// (the greeting's, which has no send).
func (v vocabulary) script(action string, vars map[string]string) (string, []line) {
	steps := v.steps[action]
	var refusals []string // every refusal of the action: it may come at any of its lines
	sends := 0
	for _, st := range steps {
		switch {
		case st.When != "":
		case st.Refuse != "":
			refusals = append(refusals, group(fillPattern(st.Refuse, vars)))
		case st.Expect == "" && st.Quiet == 0:
			sends++
		}
	}
	var lines []line
	var expects []wire.Step
	lead := ""
	flush := func() {
		ans := chain(expects, vars)
		if len(lines) == 0 {
			lead = ans
		} else {
			lines[len(lines)-1].answer = orRefusals(ans, refusals, sends > 1)
		}
		expects = nil
	}
	for _, st := range steps {
		switch {
		case st.When != "":
		case st.Expect != "":
			expects = append(expects, st)
		case st.Quiet == 0:
			flush()
			lines = append(lines, line{data: []byte(fill(st.Send, vars))})
		}
	}
	flush()
	return lead, lines
}

// orRefusals lets an answer of a multi-line action be any of the action's
// refusals as well: a server may refuse at any of its lines.
func orRefusals(ans string, refusals []string, multi bool) string {
	if ans == "" || !multi || len(refusals) == 0 {
		return ans
	}
	return group(ans + "|" + strings.Join(refusals, "|"))
}

// chain is the pattern of expects in order, each offering its refusal: a
// refusal ends the action, so the expects after it are not waited for.
func chain(expects []wire.Step, vars map[string]string) string {
	if len(expects) == 0 {
		return ""
	}
	p := group(fillPattern(expects[0].Expect, vars))
	if rest := chain(expects[1:], vars); rest != "" {
		p += `(?s:.*?)` + rest
	}
	if r := expects[0].Refuse; r != "" {
		p = group(p) + "|" + group(fillPattern(r, vars))
	}
	return group(p)
}

// group makes p one operand of a concatenation or alternation.
func group(p string) string { return "(?:" + p + ")" }

var placeholder = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(?:\|[^{}]*)?\}`)

// namedGroup is the opening of a named group; a wait needs no captures, and
// one wait may join patterns that name the same group.
var namedGroup = regexp.MustCompile(`\(\?P?<[A-Za-z_][A-Za-z0-9_]*>`)

// fillPattern replaces the placeholders of a pattern: a value the server
// echoes as it is (see verbatim) regex-escaped, anything else, and a
// variable the case cannot know (captured at run time), by any text on
// one line.
func fillPattern(p string, vars map[string]string) string {
	p = placeholder.ReplaceAllStringFunc(p, func(m string) string {
		name := placeholder.FindStringSubmatch(m)[1]
		if v, ok := vars[name]; ok && verbatim(v) {
			return regexp.QuoteMeta(v)
		}
		return `[^\n]*?`
	})
	return namedGroup.ReplaceAllString(p, "(?:")
}

// maxVerbatim is the longest value a reply is expected to quote as it is.
const maxVerbatim = 256

// verbatim reports whether a correct server can be expected to quote v as
// it is: short printable text without spaces around it. Others come back
// cleaned (invalid UTF-8, control bytes), trimmed or cut, in a way the
// dialect does not say (and invalid UTF-8 cannot go in a pattern at all).
func verbatim(v string) bool {
	if v == "" || len(v) > maxVerbatim || !utf8.ValidString(v) || strings.TrimSpace(v) != v {
		return false
	}
	for _, r := range v {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// waitVar encodes patterns to wait for, in order, as a Fill variable.
func waitVar(waits []string) string {
	return url.QueryEscape(strings.Join(waits, `(?s:.*?)`))
}

// act sends an action line by line on conn, each line once the answer to
// the one before it (and, for the first, to the previous action) arrived.
func (g *gen) act(conn int, note, action string, vars map[string]string) {
	lead, lines := g.v.script(action, vars)
	g.expect(conn, lead)
	ending := g.ending()
	for _, l := range lines {
		g.line(conn, note, append(l.data, ending...), ending, l.answer)
	}
}

// expect adds an answer the next line on conn waits for.
func (g *gen) expect(conn int, answer string) {
	if answer != "" {
		g.pending[conn] = append(g.pending[conn], answer)
	}
}

// line sends data, a line ended by ending, on conn after the answers it
// waits for, and records the answer the next line waits for (see the top
// of this file): answer when the line is one the dialect's server reads as
// written, any reply when it is not, nothing while it is unterminated.
func (g *gen) line(conn int, note string, data []byte, ending, answer string) {
	g.sendAfter(conn, note, data)
	switch {
	case !strings.HasSuffix(ending, g.v.ending):
		g.partial[conn] = true
	case g.partial[conn] || ending != g.v.ending:
		g.partial[conn] = false
		g.expect(conn, g.v.anyReply)
	default:
		g.expect(conn, answer)
	}
}

// unterminated sends data that ends no line on conn: the server answers
// (if at all) once a later line ends it.
func (g *gen) unterminated(conn int, note string, data []byte) {
	g.sendAfter(conn, note, data)
	g.partial[conn] = true
}

// sendAfter sends data once the pending answers of conn arrived
// (sometimes over several reads).
func (g *gen) sendAfter(conn int, note string, data []byte) {
	s := g.after(conn, fuzz.Step{Data: data, Note: note})
	if g.r.IntN(16) == 0 {
		s.Chunks = fuzz.Drip(g.r, len(data), 0) // a line over several reads (no fixed pauses: see fuzz.Drip)
	}
	g.b.Send(conn, s)
}

// after makes s wait for the pending answers of conn, which it takes.
func (g *gen) after(conn int, s fuzz.Step) fuzz.Step {
	if waits := g.pending[conn]; len(waits) > 0 {
		s.Fill = &fuzz.Fill{Var: waitVar(waits), Conn: conn, Offset: -1}
	}
	g.pending[conn] = nil
	return s
}

// conn opens a connection whose first line waits for the greeting.
func (g *gen) conn() int {
	c := g.b.Conn()
	lead, _ := g.v.script(wire.ActionGreeting, nil)
	g.expect(c, lead)
	return c
}
