package patchat

import (
	"fmt"
	"regexp"
	"strings"
)

// Vars holds the values of placeholders: the inputs (user, password, room,
// text, rooms) and whatever named groups captured.
type Vars map[string]string

// Names of the input variables a caller may give to Do.
const (
	VarUser     = "user"
	VarPassword = "password"
	VarRoom     = "room"
	VarText     = "text"
	VarRooms    = "rooms"
)

// InputVars lists the variables a step may use without capturing them first.
var InputVars = []string{VarUser, VarPassword, VarRoom, VarText, VarRooms}

// FilterRegexp is the only filter: {name|re} regex-escapes the value. Inside
// patterns every value is escaped anyway; the filter documents the intent.
const FilterRegexp = "re"

var placeholderRE = regexp.MustCompile(`^\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^{}]*))?\}`)

// segment is a piece of a template: literal text, or a placeholder when name
// is set.
type segment struct {
	lit    string
	name   string
	filter string
}

// template is a send line or a pattern split into literal text and
// placeholders; it is parsed once when the dialect is loaded.
type template struct {
	src  string
	segs []segment
}

// parseTemplate splits src. In patterns a backslash escape is copied as is,
// so \{user} stays a regular-expression literal; in send lines "{{" is a
// literal "{".
func parseTemplate(src string, pattern bool) template {
	t := template{src: src}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			t.segs = append(t.segs, segment{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(src); {
		switch {
		case pattern && src[i] == '\\' && i+1 < len(src):
			lit.WriteString(src[i : i+2])
			i += 2
		case !pattern && strings.HasPrefix(src[i:], "{{"):
			lit.WriteByte('{')
			i += 2
		case src[i] == '{' && placeholderRE.MatchString(src[i:]):
			m := placeholderRE.FindStringSubmatch(src[i:])
			flush()
			t.segs = append(t.segs, segment{name: m[1], filter: m[2]})
			i += len(m[0])
		default:
			lit.WriteByte(src[i])
			i++
		}
	}
	flush()
	return t
}

// vars lists the placeholders in order of appearance.
func (t template) vars() []segment {
	var out []segment
	for _, s := range t.segs {
		if s.name != "" {
			out = append(out, s)
		}
	}
	return out
}

// pattern builds the regular expression source, escaping every value.
func (t template) pattern(vars Vars) (string, error) {
	var b strings.Builder
	for _, s := range t.segs {
		if s.name == "" {
			b.WriteString(s.lit)
			continue
		}
		v, ok := vars[s.name]
		if !ok {
			return "", fmt.Errorf("%w: {%s}", ErrMissingVar, s.name)
		}
		b.WriteString(regexp.QuoteMeta(v))
	}
	return b.String(), nil
}

// line builds a send line, inserting values verbatim; a value holding CR, LF
// or the line ending is refused.
func (t template) line(vars Vars, ending string) (string, error) {
	var b strings.Builder
	for _, s := range t.segs {
		if s.name == "" {
			b.WriteString(s.lit)
			continue
		}
		v, ok := vars[s.name]
		if !ok {
			return "", fmt.Errorf("%w: {%s}", ErrMissingVar, s.name)
		}
		if strings.ContainsAny(v, "\r\n") || (ending != "" && strings.Contains(v, ending)) {
			return "", fmt.Errorf("%w: {%s} = %q", ErrValueHasNewline, s.name, v)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}
