package patchat

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/chatspec/chatspec/fuzz"
)

// longLine is where a line counts as hostile for Locate (the document's
// messages are far shorter).
const longLine = 4096

// Locate names the line a case most likely hurt the server with: the last
// hostile line (too long, control bytes, invalid UTF-8) any connection sent,
// as its first word and what is wrong with it ("join invalid-utf8"), else the
// first word of the last line sent.
func (p *Protocol) Locate(c fuzz.Case) string {
	last, bad := "", ""
	for _, cs := range c.Conns {
		var stream []byte
		for _, s := range cs.Steps {
			stream = append(stream, s.Data...)
		}
		for _, line := range bytes.FieldsFunc(stream, func(r rune) bool { return r == '\n' }) {
			word := firstWord(line)
			last = word
			if what := hostile(line); what != "" {
				bad = word + " " + what
			}
		}
	}
	if bad != "" {
		return bad
	}
	return last
}

// firstWord is the line's command word, bounded and printable.
func firstWord(line []byte) string {
	w, _, _ := bytes.Cut(bytes.TrimLeft(line, " \t\r"), []byte(" "))
	w = w[:min(len(w), 24)]
	if !utf8.Valid(w) || len(w) == 0 {
		return "(line)"
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, string(w))
}

// hostile says what is wrong with a line, "" when nothing is.
func hostile(line []byte) string {
	switch {
	case len(line) > longLine:
		return "long-line"
	case !utf8.Valid(line):
		return "invalid-utf8"
	case bytes.ContainsFunc(line, func(r rune) bool { return r < 0x20 && r != '\t' && r != '\r' || r == 0x7f }):
		return "control-byte"
	}
	return ""
}

// ProbeConnections is the number of connections one health probe opens.
func (p *Protocol) ProbeConnections() int { return 2 }
