package fuzz

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrCannotExport means a finding cannot become a scenario: its case
// needs a value only the server knows at run time, or its kind has no
// step that checks it.
var ErrCannotExport = errors.New("fuzz: finding cannot be exported as a scenario")

// exportRule is, per protocol, how a case's steps and its oracle's check
// are written in Gherkin.
type exportRule struct {
	section  string              // the section tag of the suite's robustness feature
	survives string              // requirement whose "Then" is: others are still served
	decodes  string              // requirement whose "Then" is: only well-formed output arrived
	sends    string              // step sending one connection's bytes: "%s sends these bytes:"
	alive    string              // the check that the server still serves others
	wellFrom string              // the check on one connection's output: "%s received only ..."
	doc      func([]byte) string // a step's bytes as a DocString body
}

var exportRules = map[string]exportRule{
	"chatos": {section: "@section-R", survives: "COP-R-1", decodes: "COP-3.1-1",
		sends: "%s sends these bytes:", alive: "the server still serves other clients",
		wellFrom: "%s received only frames that decode", doc: hexDoc},
	"patchat": {section: "@section-R", survives: "PAT-R-2", decodes: "PAT-3-3",
		sends: "%s sends these raw lines:", alive: "the server still serves others",
		wellFrom: "everything %s received is text", doc: quotedDoc},
}

// ExportFeature writes f as a .feature file that "chatspec run --features"
// runs against any server: each connection a role (c0, c1, ...) sending the
// case's bytes in the case's order, then the oracle's check as a Then
// step. name labels the feature (usually the finding file's base name).
func ExportFeature(f Finding, name string) ([]byte, error) {
	rule, ok := exportRules[f.Case.Protocol]
	if !ok {
		return nil, fmt.Errorf("%w: protocol %q", ErrCannotExport, f.Case.Protocol)
	}
	if hasFillAnywhere(f.Case) {
		return nil, fmt.Errorf("%w: a step waits for a value the server sends at run time (minimise it first)", ErrCannotExport)
	}
	req, then := rule.survives, []string{rule.alive}
	if f.Kind == KindProtocol {
		req, then = rule.decodes, nil
		for i := range f.Case.Conns {
			then = append(then, fmt.Sprintf(rule.wellFrom, role(i)))
		}
	} else if f.Kind == KindMemory {
		return nil, fmt.Errorf("%w: a memory finding has no scenario check", ErrCannotExport)
	}
	var b strings.Builder
	writeFeatureHead(&b, f, name, rule.section)
	fmt.Fprintf(&b, "  @%s @must\n  Scenario: The server survives fuzz case %s\n", req, oneLine(name))
	writeSends(&b, f.Case, rule)
	for i := range f.Case.Conns {
		fmt.Fprintf(&b, "    And %s finishes sending\n", role(i))
	}
	for i, t := range then {
		kw := "Then"
		if i > 0 {
			kw = "And"
		}
		fmt.Fprintf(&b, "    %s %s\n", kw, t)
	}
	return []byte(b.String()), nil
}

func writeFeatureHead(b *strings.Builder, f Finding, name, section string) {
	fmt.Fprintf(b, "# Exported by chatspec fuzz --export-feature: a regression check to keep.\n")
	fmt.Fprintf(b, "# finding: %s\n# signature: %s\n# found against %s, seed %d, case %d\n",
		oneLine(f.Title), oneLine(f.Signature.Key), oneLine(f.Target), f.Seed, f.CaseIndex)
	fmt.Fprintf(b, "%s\nFeature: Fuzz regression %s\n", section, oneLine(name))
	fmt.Fprintf(b, "  The fuzzer found this case made the server fail (%s). Replayed connection by\n", f.Kind)
	b.WriteString("  connection, it must leave the server serving others and its output well-formed.\n\n")
}

// writeSends writes the case's steps in the order the executor sends them:
// round by round, connection by connection; empty steps are skipped.
func writeSends(b *strings.Builder, c Case, rule exportRule) {
	first := true
	for k := range c.Rounds() {
		for i, cs := range c.Conns {
			if k >= len(cs.Steps) || len(cs.Steps[k].Data) == 0 {
				continue
			}
			kw := "And"
			if first {
				kw, first = "When", false
			}
			fmt.Fprintf(b, "    %s "+rule.sends+"\n      \"\"\"\n%s      \"\"\"\n", kw, role(i), rule.doc(cs.Steps[k].Data))
		}
	}
	if first { // a case of connections that send nothing
		for i := range c.Conns {
			fmt.Fprintf(b, "    When "+rule.sends+"\n      \"\"\"\n      \"\"\"\n", role(i))
		}
	}
}

// role names connection i in a scenario.
func role(i int) string { return "c" + strconv.Itoa(i) }

// hexDoc writes bytes as hex lines of 16, with an ASCII gutter after '#'.
func hexDoc(data []byte) string {
	var b strings.Builder
	for len(data) > 0 {
		n := min(len(data), hexPerLine)
		line := data[:n]
		data = data[n:]
		b.WriteString("      ")
		for _, c := range line {
			fmt.Fprintf(&b, "%02x ", c)
		}
		b.WriteString(strings.Repeat("   ", hexPerLine-n) + "# ")
		for _, c := range line {
			if c >= 0x20 && c < 0x7f && c != '"' {
				b.WriteByte(c)
			} else {
				b.WriteByte('.')
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// quotedDoc writes bytes as Go-quoted lines, one per line of the data
// (the newline kept in the quotes), so every byte survives the file.
func quotedDoc(data []byte) string {
	var b strings.Builder
	for len(data) > 0 {
		n := len(data)
		if i := strings.IndexByte(string(data), '\n'); i >= 0 {
			n = i + 1
		}
		fmt.Fprintf(&b, "      %s\n", strconv.Quote(string(data[:n])))
		data = data[n:]
	}
	return b.String()
}

func hasFillAnywhere(c Case) bool {
	for _, cs := range c.Conns {
		for _, s := range cs.Steps {
			if s.Fill != nil && s.Fill.Offset >= 0 {
				return true
			}
		}
	}
	return false
}
