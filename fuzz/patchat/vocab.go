package patchat

import (
	"strings"

	wire "github.com/chatspec/chatspec/wire/patchat"
)

// vocabulary is the dialect's send lines per action, as templates.
type vocabulary struct {
	sends   map[string][]string
	steps   map[string][]wire.Step // each action's script, for step-by-step cases
	ending  string
	roomSep string
}

func newVocabulary(d *wire.Dialect) vocabulary {
	v := vocabulary{sends: map[string][]string{}, steps: map[string][]wire.Step{}, ending: d.LineEnding, roomSep: d.RoomsSeparator}
	for name, a := range d.Actions {
		v.sends[name] = sendLines(a.Steps)
		v.steps[name] = a.Steps
	}
	return v
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
