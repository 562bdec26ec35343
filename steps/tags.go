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
// syntax. godog reads an OR of AND-lists (it splits on "," first), which is
// the usual precedence: "@a or @b and not @c" means @a, or @b without @c.
// Parentheses cannot be expressed that way and are refused.
func TranslateTags(expr string) (string, error) {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return "", nil
	}
	if strings.ContainsAny(expr, "()") {
		return "", fmt.Errorf("%w: %q: parentheses are not supported", ErrBadTags, expr)
	}
	var alts []string
	for _, alt := range splitWord(strings.ReplaceAll(expr, ",", " or "), "or") {
		var terms []string
		for _, term := range splitWord(strings.ReplaceAll(alt, "&&", " and "), "and") {
			t, err := translateTerm(term)
			if err != nil {
				return "", fmt.Errorf("%w: %q: %v", ErrBadTags, expr, err)
			}
			terms = append(terms, t)
		}
		alts = append(alts, strings.Join(terms, " && "))
	}
	return strings.Join(alts, ","), nil
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

// And joins godog tag expressions with AND, skipping empty ones. Since godog
// reads an OR of AND-lists, the result is the product of the alternatives:
// And("@a,@b", "~@c") is "@a && ~@c,@b && ~@c".
func And(exprs ...string) string {
	result := []string{""}
	for _, e := range exprs {
		if strings.TrimSpace(e) == "" {
			continue
		}
		var next []string
		for _, left := range result {
			for _, right := range strings.Split(e, ",") {
				right = strings.TrimSpace(right)
				if left == "" {
					next = append(next, right)
				} else {
					next = append(next, left+" && "+right)
				}
			}
		}
		result = next
	}
	return strings.Join(result, ",")
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
