// Package mutation scores a suite against the fault switches of a
// reference server: each fault is a realistic bug, and the suite must catch
// it on the row of the requirement it breaks. The fault tests of
// steps/chatos and steps/patchat share it.
package mutation

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/chatspec/chatspec/results"
)

// Row is one fault and the requirements that must catch it: Reqs[0] is the
// requirement the fault breaks, the others also fail (or warn, for a
// SHOULD). Scenario, when set, is part of the name of the Reqs[0] scenario
// that must be the one to catch it.
type Row struct {
	Fault    string
	Reqs     []string
	Scenario string
}

// Caught is what one fault's runs showed.
type Caught struct {
	Own, Other bool // its own requirement's row caught it; another listed row did
	Missed     []string
}

// Judge reads the runs of a row's requirements (runs[i] for Reqs[i]): a
// requirement catches the fault when one of its rows is FAIL or WARN (for
// Reqs[0], a row whose scenario contains Scenario). Missed describes each
// requirement that did not, with its rows.
func Judge(row Row, runs []*results.Run) Caught {
	var c Caught
	for i, req := range row.Reqs {
		hit, rows := false, []string{}
		for _, r := range runs[i].Results {
			if !slices.Contains(r.Reqs, req) {
				continue
			}
			first, _, _ := strings.Cut(r.Message, "\n")
			rows = append(rows, fmt.Sprintf("%s %q: %s", r.Outcome, r.Scenario, first))
			caught := r.Outcome == results.Fail || r.Outcome == results.Warn
			hit = hit || caught && (i > 0 || strings.Contains(r.Scenario, row.Scenario))
		}
		switch {
		case !hit:
			c.Missed = append(c.Missed, fmt.Sprintf("%s not FAIL or WARN (scenario %q); rows:\n  %s",
				req, row.Scenario, strings.Join(rows, "\n  ")))
		case i == 0:
			c.Own = true
		default:
			c.Other = true
		}
	}
	return c
}

// Score collects the Caught of each fault, safely from parallel subtests.
type Score struct {
	mu     sync.Mutex
	caught map[string]Caught
}

// Add records a fault's result.
func (s *Score) Add(fault string, c Caught) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.caught == nil {
		s.caught = map[string]Caught{}
	}
	s.caught[fault] = c
}

// Line is the mutation score the README quotes: faults caught by their own
// requirement's row out of all faults run, those caught only through
// another row, and the faults tested elsewhere (apart).
func (s *Score) Line(protocol string, apart []string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	own, onlyOther := 0, []string{}
	for name, c := range s.caught {
		switch {
		case c.Own:
			own++
		case c.Other:
			onlyOther = append(onlyOther, name)
		}
	}
	slices.Sort(onlyOther)
	return fmt.Sprintf("mutation score %s: %d/%d faults caught by their own requirement's row; "+
		"caught only through another row: %v; tested apart (they kill the process): %v",
		protocol, own, len(s.caught), onlyOther, apart)
}

// Apart lists the fault names that have no row.
func Apart(names []string, rows []Row) []string {
	var out []string
	for _, n := range names {
		if !slices.ContainsFunc(rows, func(r Row) bool { return r.Fault == n }) {
			out = append(out, n)
		}
	}
	return out
}

// Outcomes maps each scenario of a run to its outcome, for tests that
// assert a whole set of rows, and logs the message of every row that did
// not pass.
func Outcomes(run *results.Run, logf func(format string, args ...any)) map[string]results.Outcome {
	rows := map[string]results.Outcome{}
	for _, r := range run.Results {
		if r.Location == "" { // a run-wide row (the history checker's), no scenario's
			continue
		}
		rows[r.Scenario] = r.Outcome
		if r.Outcome != results.Pass {
			logf("%s %s: %s", r.Outcome, r.Scenario, r.Message)
		}
	}
	return rows
}
