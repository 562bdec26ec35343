// Package catalog is chatspec's machine-readable list of requirements: every
// COP-* (ChatOS) and PAT-* (Pat Chat) ID with its level, section and a one-line
// reading. Scenario tags are checked against it, so an ID that is not here can
// never reach a report, and a requirement that no scenario covers is still
// listed (as untestable) instead of silently vanishing.
package catalog

import (
	_ "embed"
	"fmt"
	"slices"
)

// Level is how much a requirement weighs in the verdict.
type Level string

// The three levels. The documents' MAY is recorded as Info.
const (
	Must   Level = "MUST"   // not met: the server is not certified
	Should Level = "SHOULD" // not met: a warning
	Info   Level = "INFO"   // observed and reported, never a failure
)

// Protocol names used in Requirement.Protocol and across chatspec.
const (
	ChatOS  = "chatos"
	PatChat = "patchat"
)

// NeedsExec marks a requirement that can only be checked when chatspec starts
// the server itself (port default, startup file, restart).
const NeedsExec = "exec"

// NeedsHistory marks a requirement no single scenario checks: the history
// checker (package oracle) judges it over every delivery of a run.
const NeedsHistory = "history"

// Requirement is one checkable statement of a protocol document.
type Requirement struct {
	ID         string // e.g. "COP-3.5-6"; never derived from anything else
	Protocol   string // ChatOS or PatChat
	Section    string // "3.5", "1", or "R" for robustness
	Level      Level
	Text       string // chatspec's own one-line reading
	Needs      string // NeedsExec, NeedsHistory, or empty
	Untestable string // why it cannot be checked over the wire, or empty
}

//go:embed requirements.tsv
var requirementsTSV []byte

var (
	all  []Requirement
	byID map[string]Requirement
)

func init() {
	all, byID = mustLoad(requirementsTSV)
}

// mustLoad parses the embedded catalogue; a malformed catalogue is a build
// defect, so it panics with the line at fault.
func mustLoad(data []byte) ([]Requirement, map[string]Requirement) {
	reqs, err := parse(data)
	if err != nil {
		panic(fmt.Sprintf("catalog: embedded requirements.tsv: %v", err))
	}
	slices.SortFunc(reqs, compareRequirements)
	index := make(map[string]Requirement, len(reqs))
	for _, r := range reqs {
		index[r.ID] = r
	}
	return reqs, index
}

// Lookup returns the requirement with this exact ID.
func Lookup(id string) (Requirement, bool) {
	r, ok := byID[id]
	return r, ok
}

// All returns every requirement, sorted by protocol, section and ID
// (numeric-aware). The slice is a copy the caller may keep or modify.
func All() []Requirement {
	return slices.Clone(all)
}

// ForProtocol returns the requirements of one protocol, in All's order.
func ForProtocol(p string) []Requirement {
	var out []Requirement
	for _, r := range all {
		if r.Protocol == p {
			out = append(out, r)
		}
	}
	return out
}

// Stronger reports whether level a weighs more than level b
// (MUST > SHOULD > INFO; an unknown level weighs nothing).
func Stronger(a, b Level) bool {
	return weight(a) > weight(b)
}

func weight(l Level) int {
	switch l {
	case Must:
		return 3
	case Should:
		return 2
	case Info:
		return 1
	}
	return 0
}

// Valid reports whether l is one of the three levels.
func (l Level) Valid() bool {
	return weight(l) > 0
}

func compareRequirements(a, b Requirement) int {
	if c := compareStrings(a.Protocol, b.Protocol); c != 0 {
		return c
	}
	if c := CompareSection(a.Section, b.Section); c != 0 {
		return c
	}
	return CompareID(a.ID, b.ID)
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
