package results

import (
	"fmt"
	"slices"
	"strings"
)

// MergeRepeats folds several runs of the same suite against the same server
// into one: each scenario keeps its worst outcome, and a scenario whose
// outcome changed between repetitions gets a note saying so, with the count
// of each outcome (a flaky server, or a flaky check). The first run gives
// everything else.
func MergeRepeats(runs []*Run) *Run {
	if len(runs) == 0 {
		return nil
	}
	merged := *runs[0]
	merged.Results, merged.Crashes = nil, nil
	index := map[string]int{}
	seen := map[string][]Outcome{}
	for _, run := range runs {
		merged.Crashes = append(merged.Crashes, run.Crashes...)
		for _, res := range run.Results {
			key := res.Key() + "\x00" + strings.Join(res.Reqs, " ")
			seen[key] = append(seen[key], res.Outcome)
			i, ok := index[key]
			if !ok {
				index[key] = len(merged.Results)
				merged.Results = append(merged.Results, res)
				continue
			}
			if severity[res.Outcome] > severity[merged.Results[i].Outcome] {
				merged.Results[i] = res
			}
		}
	}
	for key, i := range index {
		if note := unstable(seen[key]); note != "" {
			merged.Results[i].Notes = append(slices.Clone(merged.Results[i].Notes), note)
		}
	}
	merged.Duration = 0
	for _, run := range runs {
		merged.Duration += run.Duration
	}
	merged.Sort()
	return &merged
}

// unstable describes outcomes that differ between repetitions, "" if none.
func unstable(outcomes []Outcome) string {
	counts := map[Outcome]int{}
	for _, o := range outcomes {
		counts[o]++
	}
	if len(counts) < 2 {
		return ""
	}
	var parts []string
	for _, o := range outcomes {
		if n, ok := counts[o]; ok {
			parts = append(parts, fmt.Sprintf("%s %d/%d", o, n, len(outcomes)))
			delete(counts, o)
		}
	}
	return "UNSTABLE across repetitions: " + strings.Join(parts, ", ")
}
