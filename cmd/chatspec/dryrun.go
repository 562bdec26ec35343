package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/chatspec/chatspec/steps"
)

// dryRun is `chatspec run --dry-run`: the scenarios the flags select, per
// protocol, read from the feature files; no server is started or reached.
func dryRun(o *runOptions, stdout, stderr io.Writer) int {
	for _, name := range o.protocols {
		p := protocols[name]
		plan, err := steps.Plan(featuresFrom(p, o.featuresDir), name, o.tags)
		if err != nil {
			fmt.Fprintf(stderr, "chatspec run %s: %v\n", name, err)
			return 2
		}
		if len(plan) == 0 {
			fmt.Fprintf(stderr, "chatspec run %s: %v (tags %q)\n", name, steps.ErrNoScenarios, o.tags)
			return 2
		}
		fmt.Fprintf(stdout, "%s: %d scenarios would run\n", name, len(plan))
		for _, s := range plan {
			serial := ""
			if s.Serial {
				serial = " [serial: runs alone, after the others]"
			}
			fmt.Fprintf(stdout, "  %-23s %-6s %s (%s)%s\n", strings.Join(s.Reqs, " "), s.Level, s.Scenario, s.Location, serial)
		}
	}
	return 0
}
