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
	for _, v := range ActionInputs[name] {
		known[v] = true
	}
	l.cur = name
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
	q, hasQuiet := f["quiet"]
	if count(hasSend, hasExpect, hasQuiet) != 1 {
		l.add(n, path, "a step has exactly one of \"send\", \"expect\" or \"quiet\"")
		return st, nil
	}
	if w, ok := f["when"]; ok {
		st.When, _ = l.str(w.val, path+".when", false)
		if st.When != "" {
			l.known(w.val, path+".when", segment{name: st.When}, known)
		}
	}
	if hasQuiet {
		l.quietStep(&st, q.val, f, path)
		return st, nil
	}
	if hasSend {
		l.sendStep(&st, send.val, f, path, known)
		return st, nil
	}
	return st, l.expectStep(&st, exp.val, f, path, known, nested)
}

// count is how many of the flags are set.
func count(flags ...bool) int {
	n := 0
	for _, f := range flags {
		if f {
			n++
		}
	}
	return n
}

// quietStep reads "quiet: 200ms": wait until the server has said nothing
// for that long.
func (l *loader) quietStep(st *Step, n *yaml.Node, f map[string]field, path string) {
	for _, k := range []string{"refuse", "split", "on_refuse"} {
		if v, ok := f[k]; ok {
			l.add(v.key, path+"."+k, "%q only goes with \"expect\", not with \"quiet\"", k)
		}
	}
	st.Quiet = l.duration(n, path+".quiet", 0)
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
		if _, ok := tableOf(s.filter); ok {
			l.useTable(n, path+".send", s)
		} else if s.filter != "" {
			l.add(n, path+".send", "filter {%s|%s}: send lines insert values verbatim; the only filter here is |%sNAME",
				s.name, s.filter, FilterTable)
		}
		l.known(n, path+".send", s, known)
	}
}

// useTable records a {x|table:NAME}; whether some split fills NAME is
// checked once the whole file is read.
func (l *loader) useTable(n *yaml.Node, path string, s segment) {
	name, _ := tableOf(s.filter)
	l.uses = append(l.uses, tableUse{node: n, path: path, table: name, seg: s})
}

// checkTables reports every table filter that no split fills.
func (l *loader) checkTables() {
	for _, u := range l.uses {
		if !l.tables[u.table] {
			l.addAt(u.node, u.path, u.seg, "{%s|%s%s}: no split fills a table %q (give a split {var, pattern, table: %s})",
				u.seg.name, FilterTable, u.table, u.table, u.table)
		}
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
	sample := values{vars: Vars{}, tables: map[string]map[string]string{}}
	for _, s := range t.vars() {
		if table, ok := tableOf(s.filter); ok {
			l.useTable(n, path, s)
			sample.tables[table] = map[string]string{"x": "x"}
		} else if s.filter != "" && s.filter != FilterRegexp {
			l.add(n, path, "unknown filter {%s|%s}; the filters are |%s and |%sNAME", s.name, s.filter, FilterRegexp, FilterTable)
		}
		l.known(n, path, s, known)
		sample.vars[s.name] = "x"
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

// known reports a variable that is neither an input of the action nor
// captured earlier, at the placeholder's own column when it can tell.
func (l *loader) known(n *yaml.Node, path string, s segment, known map[string]bool) {
	if known[s.name] {
		return
	}
	inputs := "it has no inputs"
	if in := ActionInputs[l.cur]; len(in) > 0 {
		inputs = "its inputs are " + strings.Join(in, ", ")
	}
	l.addAt(n, path, s, "unknown variable {%s}: action %s does not get it (%s) and no named group of an earlier step captures it",
		s.name, l.cur, inputs)
}

// addAt records a problem at placeholder s inside the scalar n: the column
// is the placeholder's when the scalar is on one line and its text is as
// written (plain or single-quoted without escapes), else the scalar's.
func (l *loader) addAt(n *yaml.Node, path string, s segment, format string, args ...any) {
	l.add(n, path, format, args...)
	p := &l.probs[len(l.probs)-1]
	if n.Kind != yaml.ScalarNode || strings.Contains(n.Value, "\n") || strings.Contains(n.Value, "'") {
		return
	}
	at := strings.Index(n.Value, "{"+s.name)
	switch {
	case at < 0:
	case n.Style == 0:
		p.Column += at
	case n.Style == yaml.SingleQuotedStyle:
		p.Column += at + 1
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
	if p, ok := f["pattern"]; ok {
		l.splitPattern(sp, p, f, path)
	} else if t, ok := f["table"]; ok {
		l.add(t.key, path+".table", "a table needs a \"pattern\" with the groups (?P<%s>...) and (?P<%s>...)", GroupItem, GroupValue)
	}
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

// splitPattern reads a split's pattern (every match is one item) and table.
func (l *loader) splitPattern(sp *Split, p field, f map[string]field, path string) {
	if s, ok := f["sep"]; ok {
		l.add(s.key, path+".sep", "give either \"sep\" or \"pattern\", not both")
	}
	src, ok := l.str(p.val, path+".pattern", false)
	if !ok {
		return
	}
	re, err := regexp.Compile(src)
	switch {
	case err != nil:
		l.add(p.val, path+".pattern", "bad regular expression: %v", err)
		return
	case re.SubexpIndex(GroupItem) < 0:
		l.add(p.val, path+".pattern", "a split pattern needs the named group (?P<%s>...): each match gives one item", GroupItem)
	case re.MatchString(""):
		l.add(p.val, path+".pattern", "pattern matches empty text; it must match one item")
	}
	sp.Pattern, sp.re = src, re
	if t, ok := f["table"]; ok {
		sp.Table, _ = l.str(t.val, path+".table", false)
		if re.SubexpIndex(GroupValue) < 0 {
			l.add(p.val, path+".pattern", "a split with a table needs the named group (?P<%s>...) beside (?P<%s>...)", GroupValue, GroupItem)
		}
		l.tables[sp.Table] = true
	}
}

// copyKnown copies a set of variable names.
func copyKnown(m map[string]bool) map[string]bool {
	out := make(map[string]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
