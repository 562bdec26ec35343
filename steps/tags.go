package steps

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// ErrBadTags is returned for a tag expression chatspec cannot pass to godog
// safely (godog silently matches nothing for some forms, and panics on others).
var ErrBadTags = errors.New("bad tag expression")

var tagWord = regexp.MustCompile(`^~?@[A-Za-z0-9_.\-]+$`)

// TranslateTags accepts a tag expression in Cucumber words ("@a and not @b",
// "@a or @b") or godog's own syntax ("@a && ~@b", "@a,@b") and returns godog's
// syntax: AND of OR-lists of possibly negated tags. Parentheses are refused.
func TranslateTags(expr string) (string, error) {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return "", nil
	}
	if strings.ContainsAny(expr, "()") {
		return "", fmt.Errorf("%w: %q: parentheses are not supported", ErrBadTags, expr)
	}
	var clauses []string
	for _, clause := range splitWord(strings.ReplaceAll(expr, "&&", " and "), "and") {
		var alts []string
		for _, alt := range splitWord(strings.ReplaceAll(clause, ",", " or "), "or") {
			term, err := translateTerm(alt)
			if err != nil {
				return "", fmt.Errorf("%w: %q: %v", ErrBadTags, expr, err)
			}
			alts = append(alts, term)
		}
		clauses = append(clauses, strings.Join(alts, ","))
	}
	return strings.Join(clauses, " && "), nil
}

func translateTerm(s string) (string, error) {
	f := strings.Fields(s)
	if len(f) == 2 && f[0] == "not" {
		f = []string{"~" + f[1]}
	}
	if len(f) != 1 || f[0] == "not" || f[0] == "and" || f[0] == "or" {
		return "", fmt.Errorf("cannot read %q", strings.TrimSpace(s))
	}
	t := f[0]
	if strings.HasPrefix(t, "~") && !strings.HasPrefix(t, "~@") {
		t = "~@" + t[1:]
	} else if !strings.HasPrefix(t, "@") && !strings.HasPrefix(t, "~") {
		t = "@" + t
	}
	if !tagWord.MatchString(t) {
		return "", fmt.Errorf("%q is not a tag", t)
	}
	return t, nil
}

// splitWord splits s on a whole word, refusing empty parts.
func splitWord(s, word string) []string {
	var out []string
	var cur []string
	for _, f := range strings.Fields(s) {
		if f == word {
			out = append(out, strings.Join(cur, " "))
			cur = nil
			continue
		}
		cur = append(cur, f)
	}
	return append(out, strings.Join(cur, " "))
}

// And joins godog tag expressions with AND, skipping empty ones.
func And(exprs ...string) string {
	var keep []string
	for _, e := range exprs {
		if e != "" {
			keep = append(keep, e)
		}
	}
	return strings.Join(keep, " && ")
}

// SectionTags turns "3.5,4" into the godog expression "@section-3.5,@section-4".
func SectionTags(sections string) (string, error) {
	if strings.TrimSpace(sections) == "" {
		return "", nil
	}
	var alts []string
	for _, s := range strings.Split(sections, ",") {
		s = strings.TrimSpace(s)
		if !regexp.MustCompile(`^([0-9]+(\.[0-9]+)*|R)$`).MatchString(s) {
			return "", fmt.Errorf("%w: section %q (want e.g. 3.5, 4 or R)", ErrBadTags, s)
		}
		alts = append(alts, "@section-"+s)
	}
	return strings.Join(alts, ","), nil
}
