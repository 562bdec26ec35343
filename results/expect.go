package results

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/chatspec/chatspec/catalog"
)

// ErrBadExpectation is wrapped by ReadExpectations' errors about a line.
var ErrBadExpectation = errors.New("bad expectations line")

// expectationsHeader is the first line WriteTo writes (a comment on reading).
const expectationsHeader = "# chatspec expectations v1: REQ-ID<TAB>scenario<TAB>OUTCOME"

// Expectation says that a scenario, for one of its requirements, is known to
// end with a non-PASS outcome on this server.
type Expectation struct {
	Req      string
	Scenario string
	Outcome  Outcome
}

// Expectations is an expectations file ("fail only on what changed"):
// written from a run, edited by hand, read back with --expect.
type Expectations []Expectation

// expectable outcomes are those that would otherwise block certification.
func expectable(o Outcome) bool { return o == Fail || o == Warn || o == Error || o == Inconclusive }

// ExpectationsFrom lists every FAIL, WARN and ERROR of the runs, one line per
// (requirement, scenario), sorted.
func ExpectationsFrom(runs ...*Run) Expectations {
	var e Expectations
	for _, run := range runs {
		for _, res := range run.Results {
			if !expectable(res.Outcome) {
				continue
			}
			for _, id := range res.Reqs {
				e = append(e, Expectation{id, cleanScenario(res.Scenario), res.Outcome})
			}
		}
	}
	slices.SortFunc(e, func(a, b Expectation) int {
		if c := catalog.CompareID(a.Req, b.Req); c != 0 {
			return c
		}
		return cmp.Compare(a.Scenario, b.Scenario)
	})
	return slices.Compact(e)
}

// cleanScenario makes a scenario name fit one TAB-separated field.
func cleanScenario(s string) string {
	return strings.TrimSpace(strings.NewReplacer("\t", " ", "\r", " ", "\n", " ").Replace(s))
}

// WriteTo writes the file: a header comment, then one line per expectation.
func (e Expectations) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	b.WriteString(expectationsHeader + "\n")
	for _, x := range e {
		fmt.Fprintf(&b, "%s\t%s\t%s\n", x.Req, cleanScenario(x.Scenario), x.Outcome)
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// ReadExpectations reads an expectations file. Blank lines and lines
// starting with '#' are skipped; a line with the wrong number of fields or
// an outcome other than FAIL, WARN or ERROR is an ErrBadExpectation.
func ReadExpectations(r io.Reader) (Expectations, error) {
	var e Expectations
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		x, err := parseExpectation(line)
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %w", ErrBadExpectation, n, err)
		}
		e = append(e, x)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading expectations: %w", err)
	}
	return e, nil
}

func parseExpectation(line string) (Expectation, error) {
	f := strings.Split(line, "\t")
	if len(f) != 3 {
		return Expectation{}, fmt.Errorf("want REQ-ID<TAB>scenario<TAB>OUTCOME, got %d fields", len(f))
	}
	o, err := ParseOutcome(strings.TrimSpace(f[2]))
	if err != nil {
		return Expectation{}, err
	}
	if !expectable(o) {
		return Expectation{}, fmt.Errorf("outcome %s cannot be expected (only FAIL, WARN, ERROR)", o)
	}
	return Expectation{strings.TrimSpace(f[0]), cleanScenario(f[1]), o}, nil
}

type expectKey struct{ req, scenario string }

// expectIndex maps (requirement, scenario) to the expected outcome.
type expectIndex map[expectKey]Outcome

func (e Expectations) index() expectIndex {
	m := make(expectIndex, len(e))
	for _, x := range e {
		m[expectKey{x.Req, cleanScenario(x.Scenario)}] = x.Outcome
	}
	return m
}

// lookup finds the expected outcome for a result by any of its IDs.
func (m expectIndex) lookup(res Result) (Outcome, bool) {
	for _, id := range res.Reqs {
		if o, ok := m[expectKey{id, cleanScenario(res.Scenario)}]; ok {
			return o, true
		}
	}
	return "", false
}

// ApplyExpectations marks each result whose outcome is the expected one as
// Known, so it no longer blocks certification. A result that differs from
// its expectation gets a note: a fix ("now passes: remove the line") or a
// change ("expected WARN, got FAIL"), and stays unknown.
func (r *Run) ApplyExpectations(e Expectations) {
	idx := e.index()
	for i := range r.Results {
		res := &r.Results[i]
		want, ok := idx.lookup(*res)
		if !ok {
			continue
		}
		switch {
		case res.Outcome == want:
			res.Known = true
		case res.Outcome == Pass:
			addNote(res, fmt.Sprintf("expected %s (expectations file), now passes: remove its line", want))
		default:
			addNote(res, fmt.Sprintf("expected %s (expectations file), got %s", want, res.Outcome))
		}
	}
}

// Unmatched returns the expectations that name no result of the runs: stale
// lines for renamed or removed scenarios.
func (e Expectations) Unmatched(runs ...*Run) Expectations {
	seen := map[expectKey]bool{}
	for _, run := range runs {
		for _, res := range run.Results {
			for _, id := range res.Reqs {
				seen[expectKey{id, cleanScenario(res.Scenario)}] = true
			}
		}
	}
	var out Expectations
	for _, x := range e {
		if !seen[expectKey{x.Req, cleanScenario(x.Scenario)}] {
			out = append(out, x)
		}
	}
	return out
}

func addNote(res *Result, note string) {
	if !slices.Contains(res.Notes, note) {
		res.Notes = append(res.Notes, note)
	}
}
