package catalog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrMalformedCatalog is wrapped by every error about the catalogue file itself.
var ErrMalformedCatalog = errors.New("malformed requirement catalogue")

// idPattern is the shape of a requirement ID: prefix, section, number.
// The section is dotted numbers, "R" (robustness) or "H" (properties of the
// whole run's history, judged by the history checker).
var idPattern = regexp.MustCompile(`^(COP|PAT)-([0-9]+(?:\.[0-9]+)*|R|H)-([0-9]+)$`)

var protocolOfPrefix = map[string]string{"COP": ChatOS, "PAT": PatChat}

// fieldCount is the number of TAB-separated fields of a catalogue line.
const fieldCount = 5

// parse reads the catalogue text: comment lines start with '#', blank lines
// are skipped, every other line is ID, LEVEL, NEEDS, UNTESTABLE, TEXT.
func parse(data []byte) ([]Requirement, error) {
	var reqs []Requirement
	seen := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		r, err := parseLine(line)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %w", ErrMalformedCatalog, n, err)
		}
		if first, dup := seen[r.ID]; dup {
			return nil, fmt.Errorf("%w: line %d: %s already defined on line %d", ErrMalformedCatalog, n, r.ID, first)
		}
		seen[r.ID] = n
		reqs = append(reqs, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedCatalog, err)
	}
	if len(reqs) == 0 {
		return nil, fmt.Errorf("%w: no requirements", ErrMalformedCatalog)
	}
	return reqs, nil
}

// parseLine turns one data line into a Requirement, validating every field.
func parseLine(line string) (Requirement, error) {
	f := strings.Split(line, "\t")
	if len(f) != fieldCount {
		return Requirement{}, fmt.Errorf("want %d TAB-separated fields, got %d", fieldCount, len(f))
	}
	m := idPattern.FindStringSubmatch(f[0])
	if m == nil {
		return Requirement{}, fmt.Errorf("bad requirement ID %q", f[0])
	}
	r := Requirement{
		ID: f[0], Protocol: protocolOfPrefix[m[1]], Section: m[2],
		Level: Level(f[1]), Needs: dash(f[2]), Untestable: dash(f[3]), Text: strings.TrimSpace(f[4]),
	}
	if !r.Level.Valid() {
		return Requirement{}, fmt.Errorf("%s: level %q is not MUST, SHOULD or INFO", r.ID, f[1])
	}
	if r.Needs != "" && r.Needs != NeedsExec && r.Needs != NeedsHistory {
		return Requirement{}, fmt.Errorf("%s: needs %q is not %q, %q or -", r.ID, f[2], NeedsExec, NeedsHistory)
	}
	if r.Text == "" || r.Text == "-" {
		return Requirement{}, fmt.Errorf("%s: empty text", r.ID)
	}
	return r, nil
}

// dash maps the "-" placeholder of an optional field to the empty string.
func dash(s string) string {
	s = strings.TrimSpace(s)
	if s == "-" {
		return ""
	}
	return s
}
