package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/steps"
)

// listedRequirement is one line of `chatspec list`: a catalogue entry with
// the scenarios that check it, or why none does.
type listedRequirement struct {
	ID        string          `json:"id"`
	Protocol  string          `json:"protocol"`
	Level     catalog.Level   `json:"level"`
	Section   string          `json:"section"`
	Text      string          `json:"text"`
	NeedsExec bool            `json:"needs_exec,omitempty"`
	Scenarios []steps.Planned `json:"scenarios"`
	Reason    string          `json:"reason,omitempty"` // why no scenario covers it
}

// listMain is `chatspec list [chatos|patchat] [--json]`.
func listMain(args []string, stdout, stderr io.Writer) int {
	names, rest, err := protocolArg(args, "list")
	if err != nil {
		fmt.Fprintf(stderr, "chatspec list: %v\n", err)
		return 2
	}
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: chatspec list [chatos|patchat] [--json]: every requirement with the scenarios that check it")
		fs.PrintDefaults()
	}
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "chatspec list: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	reqs, err := listRequirements(names)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec list: %v\n", err)
		return 2
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		_ = enc.Encode(reqs)
		return 0
	}
	printRequirements(stdout, reqs)
	return 0
}

// protocolArg reads the optional protocol name that leads a command's
// arguments; none means every protocol.
func protocolArg(args []string, cmd string) ([]string, []string, error) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if _, ok := protocols[args[0]]; !ok {
			return nil, nil, fmt.Errorf("unknown protocol %q (want chatos or patchat)", args[0])
		}
		return args[:1], args[1:], nil
	}
	var all []string
	for _, name := range protocolOrder {
		if _, ok := protocols[name]; ok {
			all = append(all, name)
		}
	}
	return all, args, nil
}

// listRequirements joins the catalogue with the plan of a full run.
func listRequirements(names []string) ([]listedRequirement, error) {
	var out []listedRequirement
	for _, name := range names {
		plan, err := steps.Plan(protocols[name].features(), name, "")
		if err != nil {
			return nil, err
		}
		for _, req := range catalog.ForProtocol(name) {
			out = append(out, listed(req, plan))
		}
	}
	return out, nil
}

func listed(req catalog.Requirement, plan []steps.Planned) listedRequirement {
	l := listedRequirement{ID: req.ID, Protocol: req.Protocol, Level: req.Level, Section: req.Section, Text: req.Text,
		NeedsExec: req.Needs == catalog.NeedsExec, Scenarios: []steps.Planned{}}
	for _, p := range plan {
		for _, id := range p.Reqs {
			if id == req.ID {
				l.Scenarios = append(l.Scenarios, p)
			}
		}
	}
	if len(l.Scenarios) == 0 {
		l.Reason = results.ReasonNoScenario
		switch {
		case req.Untestable != "":
			l.Reason = req.Untestable
		case req.Needs == catalog.NeedsHistory:
			l.Reason = results.ReasonHistory
		}
	}
	return l
}

func printRequirements(w io.Writer, reqs []listedRequirement) {
	for _, r := range reqs {
		exec := ""
		if r.NeedsExec {
			exec = " [needs --exec]"
		}
		fmt.Fprintf(w, "%-11s %-6s %-4s %s%s\n", r.ID, r.Level, r.Section, r.Text, exec)
		for _, s := range r.Scenarios {
			fmt.Fprintf(w, "    - %s (%s)\n", s.Scenario, s.Location)
		}
		if r.Reason != "" {
			fmt.Fprintf(w, "    (no scenario: %s)\n", r.Reason)
		}
	}
}
