package patchat

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// recognisers reads the messages list: at least one pattern with named
// groups from and text.
func (l *loader) recognisers(top *yaml.Node, f field, d *Dialect) {
	if f.val == nil {
		l.add(top, "", "missing key \"messages\": list at least one recogniser for room messages")
		return
	}
	items := l.sequence(f.val, "messages")
	if f.val.Kind == yaml.SequenceNode && len(items) == 0 {
		l.add(f.val, "messages", "list at least one recogniser")
	}
	for i, n := range items {
		path := fmt.Sprintf("messages[%d]", i)
		m := l.mapping(n, path, recogniserKeys)
		if m == nil {
			continue
		}
		p, ok := m["pattern"]
		if !ok {
			l.add(n, path, "missing key \"pattern\"")
			continue
		}
		if r, ok := l.recogniser(p.val, path+".pattern"); ok {
			d.Messages = append(d.Messages, r)
		}
	}
}

// recogniser compiles one room-message pattern and checks its groups.
func (l *loader) recogniser(n *yaml.Node, path string) (Recogniser, bool) {
	src, ok := l.str(n, path, false)
	if !ok {
		return Recogniser{}, false
	}
	re, err := regexp.Compile(src)
	if err != nil {
		l.add(n, path, "bad regular expression: %v", err)
		return Recogniser{}, false
	}
	names := re.SubexpNames()
	for _, g := range []string{"from", "text"} {
		if !slices.Contains(names, g) {
			l.add(n, path, "a room-message pattern needs a named group (?P<%s>...)", g)
			ok = false
		}
	}
	if re.MatchString("") {
		l.add(n, path, "pattern matches empty text; it must match a whole message")
		ok = false
	}
	return Recogniser{Pattern: src, Line: n.Line, Column: n.Column, re: re, shape: shapeOf(src)}, ok
}

// actions reads the actions mapping and reports missing or unknown actions.
func (l *loader) actions(top *yaml.Node, f field, d *Dialect) {
	if f.val == nil {
		l.add(top, "", "missing key \"actions\" (needs: %s)", strings.Join(RequiredActions, ", "))
		return
	}
	m := l.mapping(f.val, "actions", RequiredActions)
	if m == nil {
		return
	}
	var missing []string
	for _, name := range RequiredActions {
		v, ok := m[name]
		if !ok {
			missing = append(missing, name)
			continue
		}
		d.Actions[name] = l.action(name, v.val)
	}
	sort.Strings(missing)
	for _, name := range missing {
		l.add(f.key, "actions", "missing action %q", name)
	}
}

// action reads one action's list of steps.
func (l *loader) action(name string, n *yaml.Node) *Action {
	path := "actions." + name
	a := &Action{Name: name, Line: n.Line, Column: n.Column}
	items := l.sequence(n, path)
	if n.Kind == yaml.SequenceNode && len(items) == 0 {
		l.add(n, path, "an action needs at least one step")
	}
	known := map[string]bool{}
	for _, v := range InputVars {
		known[v] = true
	}
	a.Steps = l.steps(items, path, known, false)
	return a
}

// steps reads a list of steps; each expect's named groups become known to
// the steps after it.
func (l *loader) steps(items []*yaml.Node, path string, known map[string]bool, nested bool) []Step {
	known = copyKnown(known)
	var out []Step
	for i, n := range items {
		st, captured := l.step(n, fmt.Sprintf("%s[%d]", path, i), known, nested)
		for _, c := range captured {
			known[c] = true
		}
		out = append(out, st)
	}
	return out
}

// step reads one step: exactly one of send or expect, with its options.
func (l *loader) step(n *yaml.Node, path string, known map[string]bool, nested bool) (Step, []string) {
	st := Step{Line: n.Line, Column: n.Column}
	f := l.mapping(n, path, stepKeys)
	if f == nil {
		return st, nil
	}
	send, hasSend := f["send"]
	exp, hasExpect := f["expect"]
	if hasSend == hasExpect {
		l.add(n, path, "a step has exactly one of \"send\" or \"expect\"")
		return st, nil
	}
	if w, ok := f["when"]; ok {
		st.When, _ = l.str(w.val, path+".when", false)
		if st.When != "" {
			l.known(w.val, path+".when", st.When, known)
		}
	}
	if hasSend {
		l.sendStep(&st, send.val, f, path, known)
		return st, nil
	}
	return st, l.expectStep(&st, exp.val, f, path, known, nested)
}

// sendStep reads a send line and checks its variables and options.
func (l *loader) sendStep(st *Step, n *yaml.Node, f map[string]field, path string, known map[string]bool) {
	for _, k := range []string{"refuse", "split", "on_refuse"} {
		if v, ok := f[k]; ok {
			l.add(v.key, path+"."+k, "%q only goes with \"expect\", not with \"send\"", k)
		}
	}
	st.Send, _ = l.str(n, path+".send", true)
	st.send = parseTemplate(st.Send, false)
	for _, s := range st.send.vars() {
		if s.filter != "" {
			l.add(n, path+".send", "filter {%s|%s}: filters apply only inside patterns; send lines insert values verbatim", s.name, s.filter)
		}
		l.known(n, path+".send", s.name, known)
	}
}

// expectStep reads an expect, its refuse alternative, split and on_refuse.
func (l *loader) expectStep(st *Step, n *yaml.Node, f map[string]field, path string, known map[string]bool, nested bool) []string {
	var groups, refuseGroups []string
	st.Expect, st.expect, groups = l.pattern(n, path+".expect", known)
	if v, ok := f["refuse"]; ok {
		st.Refuse, st.refuse, refuseGroups = l.pattern(v.val, path+".refuse", known)
	}
	if v, ok := f["split"]; ok {
		st.Split = l.split(v.val, path+".split", groups, known)
	}
	if v, ok := f["on_refuse"]; ok {
		switch {
		case nested:
			l.add(v.key, path+".on_refuse", "on_refuse steps cannot have on_refuse themselves")
		case st.Refuse == "":
			l.add(v.key, path+".on_refuse", "on_refuse needs a \"refuse\" pattern in the same step")
		default:
			k := copyKnown(known)
			for _, g := range refuseGroups {
				k[g] = true
			}
			st.OnRefuse = l.steps(l.sequence(v.val, path+".on_refuse"), path+".on_refuse", k, true)
		}
	}
	return groups
}

// pattern parses a pattern template, checks its variables, compiles it with
// sample values and returns its named groups.
func (l *loader) pattern(n *yaml.Node, path string, known map[string]bool) (string, template, []string) {
	src, ok := l.str(n, path, false)
	t := parseTemplate(src, true)
	if !ok {
		return src, t, nil
	}
	sample := Vars{}
	for _, s := range t.vars() {
		if s.filter != "" && s.filter != FilterRegexp {
			l.add(n, path, "unknown filter {%s|%s}; the only filter is |%s", s.name, s.filter, FilterRegexp)
		}
		l.known(n, path, s.name, known)
		sample[s.name] = "x"
	}
	expr, _ := t.pattern(sample)
	re, err := regexp.Compile(expr)
	if err != nil {
		l.add(n, path, "bad regular expression: %v", err)
		return src, t, nil
	}
	if re.MatchString("") {
		l.add(n, path, "pattern matches empty text, so it would succeed before the server says anything")
	}
	var groups []string
	for _, g := range re.SubexpNames() {
		if g != "" {
			groups = append(groups, g)
		}
	}
	return src, t, groups
}

// known reports a variable that is neither an input nor captured earlier.
func (l *loader) known(n *yaml.Node, path, name string, known map[string]bool) {
	if !known[name] {
		l.add(n, path, "variable {%s} is neither an input (%s) nor captured by a named group in an earlier step of this action",
			name, strings.Join(InputVars, ", "))
	}
}

// split reads {var, sep}; var must be captured by this step or known.
func (l *loader) split(n *yaml.Node, path string, groups []string, known map[string]bool) *Split {
	f := l.mapping(n, path, splitKeys)
	if f == nil {
		return nil
	}
	sp := &Split{}
	v, ok := f["var"]
	if !ok {
		l.add(n, path, "missing key \"var\" (the captured variable to split)")
		return nil
	}
	sp.Var, _ = l.str(v.val, path+".var", false)
	if sp.Var != "" && !slices.Contains(groups, sp.Var) && !known[sp.Var] {
		l.add(v.val, path+".var", "variable %q is not captured by this step's expect (add (?P<%s>...))", sp.Var, sp.Var)
	}
	if s, ok := f["sep"]; ok {
		sp.Sep, _ = l.str(s.val, path+".sep", true)
	}
	return sp
}

// copyKnown copies a set of variable names.
func copyKnown(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
