package patchat

import (
	"slices"
	"strings"

	wire "github.com/chatspec/chatspec/wire/patchat"
)

// vocabulary is the dialect's send lines per action, as templates.
type vocabulary struct {
	sends   map[string][]string
	steps   map[string][]wire.Step // each action's script, for step-by-step cases
	ending  string
	roomSep string
	// anyReply matches any answer the dialect knows (every expect and
	// refusal, values left open): the wait after a line whose answer
	// cannot be known. Room messages are not answers, so it is not "any
	// text".
	anyReply string
}

func newVocabulary(d *wire.Dialect) vocabulary {
	v := vocabulary{sends: map[string][]string{}, steps: map[string][]wire.Step{}, ending: d.LineEnding, roomSep: d.RoomsSeparator}
	var replies []string
	for _, name := range wire.RequiredActions { // in a fixed order: the pattern goes into cases
		a := d.Actions[name]
		if a == nil {
			continue
		}
		v.sends[name] = sendLines(a.Steps)
		v.steps[name] = a.Steps
		replies = appendReplies(replies, a.Steps)
	}
	v.anyReply = group(strings.Join(replies, "|"))
	return v
}

// appendReplies adds the distinct expect and refuse patterns of steps (and
// of their recoveries), any value in them matching any text.
func appendReplies(out []string, steps []wire.Step) []string {
	for _, st := range steps {
		for _, p := range []string{st.Expect, st.Refuse} {
			if p = group(fillPattern(p, nil)); p != "(?:)" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
		out = appendReplies(out, st.OnRefuse)
	}
	return out
}

// sendLines collects the send templates of steps, refusal branches left out.
func sendLines(steps []wire.Step) []string {
	var out []string
	for _, s := range steps {
		if s.Send != "" {
			out = append(out, s.Send)
		}
	}
	return out
}

// render fills an action's send lines with vars (missing ones: "1", the
// usual menu choice) and ends each line. Values go in as they are: hostile
// values are the point.
func (v vocabulary) render(action string, vars map[string]string, ending string) []byte {
	var b []byte
	for _, t := range v.sends[action] {
		b = append(b, fill(t, vars)...)
		b = append(b, ending...)
	}
	return b
}

// fill replaces {name} and {name|re} by vars[name]; "{{" is a literal "{".
func fill(t string, vars map[string]string) string {
	var b strings.Builder
	for len(t) > 0 {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			b.WriteString(t)
			break
		}
		b.WriteString(t[:i])
		t = t[i:]
		if strings.HasPrefix(t, "{{") {
			b.WriteByte('{')
			t = t[2:]
			continue
		}
		j := strings.IndexByte(t, '}')
		if j < 0 {
			b.WriteString(t)
			break
		}
		name, _, _ := strings.Cut(t[1:j], "|")
		val, ok := vars[name]
		if !ok {
			val = "1"
		}
		b.WriteString(val)
		t = t[j+1:]
	}
	return b.String()
}
