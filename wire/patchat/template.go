package patchat

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
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
	VarCurrent  = "current"
)

// Filters of a placeholder. {name|re} regex-escapes the value (inside
// patterns every value is escaped anyway; the filter documents the intent).
// {name|table:NAME} replaces the value by what the table NAME (filled by a
// split's table) holds for it; a value that is a list joined with the
// dialect's rooms_separator is replaced item by item, e.g. room names by the
// numbers a listing printed beside them.
const (
	FilterRegexp = "re"
	FilterTable  = "table:"
)

// tableOf returns the table a filter names, if it is a table filter.
func tableOf(filter string) (string, bool) {
	return strings.CutPrefix(filter, FilterTable)
}

// values is what placeholders are filled from: the variables, the tables
// captured so far, and the separator of list values.
type values struct {
	vars   Vars
	tables map[string]map[string]string
	sep    string
}

// get returns the value of a placeholder, through its table filter if any.
func (x values) get(s segment) (string, error) {
	v, ok := x.vars[s.name]
	if !ok {
		return "", fmt.Errorf("%w: {%s}", ErrMissingVar, s.name)
	}
	name, ok := tableOf(s.filter)
	if !ok {
		return v, nil
	}
	table := x.tables[name]
	items := []string{v}
	if x.sep != "" && strings.Contains(v, x.sep) {
		items = strings.Split(v, x.sep)
	}
	out := make([]string, len(items))
	for i, it := range items {
		mapped, ok := table[strings.TrimSpace(it)]
		if !ok {
			return "", fmt.Errorf("%w: {%s|%s}: %q is not in the table (it holds %d entries: %s)",
				ErrNotInTable, s.name, s.filter, it, len(table), tableKeys(table))
		}
		out[i] = mapped
	}
	return strings.Join(out, x.sep), nil
}

// tableKeys lists a table's keys briefly, for error messages.
func tableKeys(t map[string]string) string {
	var keys []string
	for k := range t {
		keys = append(keys, strconv.Quote(k))
	}
	sort.Strings(keys)
	return truncate(strings.Join(keys, ", "), 200)
}

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
func (t template) pattern(x values) (string, error) {
	var b strings.Builder
	for _, s := range t.segs {
		if s.name == "" {
			b.WriteString(s.lit)
			continue
		}
		v, err := x.get(s)
		if err != nil {
			return "", err
		}
		b.WriteString(regexp.QuoteMeta(v))
	}
	return b.String(), nil
}

// line builds a send line, inserting values verbatim; a value holding CR, LF
// or the line ending is refused.
func (t template) line(x values, ending string) (string, error) {
	var b strings.Builder
	for _, s := range t.segs {
		if s.name == "" {
			b.WriteString(s.lit)
			continue
		}
		v, err := x.get(s)
		if err != nil {
			return "", err
		}
		if strings.ContainsAny(v, "\r\n") || (ending != "" && strings.Contains(v, ending)) {
			return "", fmt.Errorf("%w: {%s} = %q", ErrValueHasNewline, s.name, v)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}
