package patchat

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// maxDialectSize bounds a dialect file; real ones are a few kilobytes.
const maxDialectSize = 1 << 20

// Keys allowed at each level of a dialect file.
var (
	topKeys = []string{"name", "description", "timeout", "line_ending", "rooms_separator",
		"list_users_scope", "echo_own_messages", "pace", "address_file", "messages", "actions", "anchors"}
	recogniserKeys = []string{"pattern"}
	stepKeys       = []string{"send", "expect", "quiet", "refuse", "split", "on_refuse", "when"}
	splitKeys      = []string{"var", "sep", "pattern", "table"}
)

// loader walks the YAML tree, building the Dialect and collecting problems.
type loader struct {
	file   string
	probs  []Problem
	tables map[string]bool // tables some split fills
	uses   []tableUse      // every {x|table:NAME}, checked at the end
	cur    string          // the action being read
}

// tableUse is one {x|table:NAME} placeholder, with its place.
type tableUse struct {
	node  *yaml.Node
	path  string
	table string
	seg   segment
}

// load is Parse and Check in one: the dialect is nil when there are problems.
func load(data []byte, source string) (*Dialect, []Problem) {
	l := &loader{file: source, tables: map[string]bool{}}
	d := &Dialect{Source: source, Timeout: DefaultTimeout, LineEnding: DefaultLineEnding,
		RoomsSeparator: DefaultRoomsSeparator, ListUsersScope: ScopeCurrent, AddressFile: DefaultAddressFile, Actions: map[string]*Action{}}
	if len(data) > maxDialectSize {
		l.add(nil, "", "file is larger than %d bytes", maxDialectSize)
		return nil, l.probs
	}
	root, err := parseYAML(data)
	switch {
	case err != nil:
		l.syntax(err)
	case root == nil:
		l.add(nil, "", "empty file: a dialect needs at least messages and actions")
	default:
		if root = l.expand(root); root != nil {
			l.root(root, d)
		}
	}
	if len(l.probs) > 0 {
		sort.SliceStable(l.probs, func(i, j int) bool {
			a, b := l.probs[i], l.probs[j]
			return a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column)
		})
		return nil, l.probs
	}
	return d, nil
}

// parseYAML reads exactly one YAML document; a parser panic becomes an error.
func parseYAML(data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: parser failed: %v", r)
		}
	}()
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, err
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, errors.New("yaml: only one document is allowed (found a second \"---\")")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// syntax turns a YAML parser error into a problem at the line it names.
func (l *loader) syntax(err error) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	p := Problem{File: l.file, Msg: "YAML syntax: " + msg}
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Column = 1
	}
	l.probs = append(l.probs, p)
}

// add records a problem at node n (nil: no place).
func (l *loader) add(n *yaml.Node, path, format string, args ...any) {
	p := Problem{File: l.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	l.probs = append(l.probs, p)
}

// maxNodes bounds the YAML nodes of a dialect once its aliases are
// expanded, so that an alias bomb ("billion laughs") is refused, not walked.
const maxNodes = 100000

// expand returns the tree with every alias (*name) replaced by a copy of
// its anchor (&name) and every merge key ("<<: *name") merged into its
// mapping, keys written beside it winning. A copy takes the alias's place
// in the file, so a problem inside it points where it is used. It returns
// nil (and records a problem) when the expansion is too large.
func (l *loader) expand(n *yaml.Node) *yaml.Node {
	budget := maxNodes
	out := l.copyNode(n, &budget)
	if budget < 0 {
		l.add(n, "", "YAML aliases expand to more than %d nodes", maxNodes)
		return nil
	}
	return out
}

// copyNode copies n with aliases and merge keys resolved.
func (l *loader) copyNode(n *yaml.Node, budget *int) *yaml.Node {
	if *budget--; *budget < 0 {
		return &yaml.Node{Kind: yaml.ScalarNode}
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		c := l.copyNode(n.Alias, budget)
		c.Line, c.Column, c.Anchor = n.Line, n.Column, ""
		return c
	}
	c := *n
	c.Content = nil
	if n.Kind == yaml.MappingNode {
		c.Content = l.mergeContent(n, budget)
		return &c
	}
	for _, sub := range n.Content {
		c.Content = append(c.Content, l.copyNode(sub, budget))
	}
	return &c
}

// mergeContent copies a mapping's pairs; the pairs of a "<<" merge come
// after them, and only for keys not written in the mapping itself.
func (l *loader) mergeContent(n *yaml.Node, budget *int) []*yaml.Node {
	var own, merged []*yaml.Node
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value != "<<" {
			seen[k.Value] = true
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value != "<<" || k.Style != 0 {
			own = append(own, l.copyNode(k, budget), l.copyNode(v, budget))
			continue
		}
		merged = append(merged, l.mergeFrom(v, seen, budget)...)
	}
	return append(own, merged...)
}

// mergeFrom gives the pairs of a merge value: a mapping or a list of them.
func (l *loader) mergeFrom(v *yaml.Node, seen map[string]bool, budget *int) []*yaml.Node {
	src := l.copyNode(v, budget)
	maps := []*yaml.Node{src}
	if src.Kind == yaml.SequenceNode {
		maps = src.Content
	}
	var out []*yaml.Node
	for _, m := range maps {
		if m.Kind != yaml.MappingNode {
			l.add(v, "", "a merge (<<) needs a mapping or a list of mappings, got %s", kindName(m))
			continue
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if key := m.Content[i].Value; !seen[key] {
				seen[key] = true
				out = append(out, m.Content[i], m.Content[i+1])
			}
		}
	}
	return out
}

// field is a key and its value inside a mapping.
type field struct{ key, val *yaml.Node }

// mapping checks that n is a mapping with known keys only, no key twice.
func (l *loader) mapping(n *yaml.Node, path string, known []string) map[string]field {
	if n.Kind != yaml.MappingNode {
		l.add(n, path, "expected a mapping (key: value), got %s", kindName(n))
		return nil
	}
	out := map[string]field{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		switch {
		case k.Kind != yaml.ScalarNode:
			l.add(k, path, "a key must be a plain word, got %s", kindName(k))
		case out[name].key != nil:
			l.add(k, join(path, name), "key given twice (first at line %d)", out[name].key.Line)
		case known != nil && !slices.Contains(known, name):
			l.add(k, path, "unknown key %q%s; known keys: %s", name, suggest(name, known), strings.Join(known, ", "))
		default:
			out[name] = field{k, v}
		}
	}
	return out
}

// sequence checks that n is a list.
func (l *loader) sequence(n *yaml.Node, path string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		l.add(n, path, "expected a list (lines starting with \"- \"), got %s", kindName(n))
		return nil
	}
	return n.Content
}

// str reads a string value; empty strings are refused unless allowEmpty.
func (l *loader) str(n *yaml.Node, path string, allowEmpty bool) (string, bool) {
	switch {
	case n.Kind != yaml.ScalarNode:
		l.add(n, path, "expected a string, got %s", kindName(n))
	case n.ShortTag() == "!!null":
		l.add(n, path, "value is missing")
	case n.Value == "" && !allowEmpty:
		l.add(n, path, "must not be empty")
	default:
		return n.Value, true
	}
	return "", false
}

// root reads the top-level mapping.
func (l *loader) root(n *yaml.Node, d *Dialect) {
	f := l.mapping(n, "", topKeys)
	if f == nil {
		return
	}
	if v, ok := f["name"]; ok {
		d.Name, _ = l.str(v.val, "name", true)
	}
	if v, ok := f["description"]; ok {
		d.Description, _ = l.str(v.val, "description", true)
	}
	if v, ok := f["timeout"]; ok {
		d.Timeout = l.duration(v.val, "timeout", d.Timeout)
	}
	if v, ok := f["line_ending"]; ok {
		d.LineEnding, _ = l.str(v.val, "line_ending", false)
	}
	if v, ok := f["rooms_separator"]; ok {
		d.RoomsSeparator, _ = l.str(v.val, "rooms_separator", false)
	}
	if v, ok := f["list_users_scope"]; ok {
		d.ListUsersScope = l.scope(v.val)
	}
	if v, ok := f["address_file"]; ok {
		d.AddressFile = l.relPath(v.val, "address_file")
	}
	if v, ok := f["pace"]; ok {
		d.Pace = l.duration(v.val, "pace", 0)
	}
	if v, ok := f["echo_own_messages"]; ok {
		d.EchoOwnMessages = l.boolean(v.val, "echo_own_messages")
	}
	l.recognisers(n, f["messages"], d)
	l.actions(n, f["actions"], d)
	l.checkTables()
}

// duration reads a Go duration such as 2s or 500ms; it must be positive.
func (l *loader) duration(n *yaml.Node, path string, def time.Duration) time.Duration {
	s, ok := l.str(n, path, false)
	if !ok {
		return def
	}
	v, err := time.ParseDuration(s)
	switch {
	case err != nil:
		l.add(n, path, "not a duration (write e.g. 2s or 500ms): %q", s)
	case v <= 0 || v > time.Hour:
		l.add(n, path, "must be between 1ns and 1h, got %v", v)
	default:
		return v
	}
	return def
}

// relPath reads a file name relative to the server's working directory.
func (l *loader) relPath(n *yaml.Node, path string) string {
	s, ok := l.str(n, path, false)
	if !ok {
		return DefaultAddressFile
	}
	clean := filepath.ToSlash(filepath.Clean(s))
	if filepath.IsAbs(s) || strings.HasPrefix(s, "/") || clean == ".." || strings.HasPrefix(clean, "../") {
		l.add(n, path, "must be a file name relative to the server's working directory, got %q", s)
		return DefaultAddressFile
	}
	return clean
}

// scope reads list_users_scope.
func (l *loader) scope(n *yaml.Node) Scope {
	s, ok := l.str(n, "list_users_scope", false)
	if ok && s != string(ScopeCurrent) && s != string(ScopeNamed) {
		l.add(n, "list_users_scope", "must be %q or %q, got %q", ScopeCurrent, ScopeNamed, s)
	}
	return Scope(s)
}

// boolean reads true or false.
func (l *loader) boolean(n *yaml.Node, path string) bool {
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		l.add(n, path, "expected true or false")
	}
	return b
}

// kindName names a node kind for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", truncate(n.Value, 40))
	}
	return "nothing"
}

// join builds a dotted path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// suggest proposes the closest known key for a typo.
func suggest(name string, known []string) string {
	best, dist := "", 3
	for _, k := range known {
		if d := editDistance(name, k); d < dist {
			best, dist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
