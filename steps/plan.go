package steps

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/chatspec/chatspec/catalog"
	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"
)

// Planned is one scenario a run would execute: what `run --dry-run` and
// `chatspec list` show, read from the feature files without running them.
type Planned struct {
	Reqs     []string      `json:"reqs"`
	Level    catalog.Level `json:"level"`
	Scenario string        `json:"scenario"` // as the runner names it (an Outline example by its values)
	Location string        `json:"location"` // "features/chatos/2_3_message.feature:16"
	Serial   bool          `json:"serial,omitempty"`
}

// Plan lists the scenarios of fsys that the godog tag expression tags
// (as TranslateTags and And build it) selects, in file and line order,
// with the catalogue IDs of their tags. protocol names the features folder.
func Plan(fsys fs.FS, protocol, tags string) ([]Planned, error) {
	var out []Planned
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".feature" {
			return err
		}
		planned, err := planFile(fsys, p, protocol, tags)
		out = append(out, planned...)
		return err
	})
	return out, err
}

func planFile(fsys fs.FS, name, protocol, tags string) ([]Planned, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	ids := (&messages.Incrementing{}).NewId
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(data), ids)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var out []Planned
	examples := map[string][2]string{}
	if doc.Feature != nil {
		examples = examplesOf(doc.Feature)
	}
	for _, p := range gherkin.Pickles(*doc, name, ids) {
		if !tagsMatch(tags, p.Tags) {
			continue
		}
		pl, err := planned(p, protocol, name)
		if err != nil {
			return nil, err
		}
		if n := len(p.AstNodeIds); n > 0 {
			ex := examples[p.AstNodeIds[n-1]]
			pl.Scenario = scenarioName(p.Name, ex[0], ex[1])
		}
		out = append(out, pl)
	}
	return out, nil
}

func planned(p *messages.Pickle, protocol, name string) (Planned, error) {
	var names []string
	for _, t := range p.Tags {
		names = append(names, t.Name)
	}
	pt, err := catalog.ParseTags(names)
	if err != nil {
		return Planned{}, fmt.Errorf("%s: %q: %w", name, p.Name, err)
	}
	line := ""
	if p.Location != nil {
		line = ":" + strconv.FormatInt(p.Location.Line, 10)
	}
	return Planned{Reqs: pt.IDs, Level: pt.Level, Scenario: p.Name, Serial: slices.Contains(names, "@serial"),
		Location: "features/" + protocol + "/" + name + line}, nil
}

// tagsMatch reads a godog tag expression the way godog does: an OR (",")
// of AND-lists ("&&") of tags, each possibly negated ("~").
func tagsMatch(expr string, tags []*messages.PickleTag) bool {
	if strings.TrimSpace(expr) == "" {
		return true
	}
	for _, alt := range strings.Split(expr, ",") {
		if allMatch(alt, tags) {
			return true
		}
	}
	return false
}

func allMatch(alt string, tags []*messages.PickleTag) bool {
	for _, term := range strings.Split(alt, "&&") {
		term = strings.TrimSpace(term)
		want := !strings.HasPrefix(term, "~")
		name := "@" + strings.TrimPrefix(strings.TrimPrefix(term, "~"), "@")
		if hasTag(tags, name) != want {
			return false
		}
	}
	return true
}

func hasTag(tags []*messages.PickleTag, name string) bool {
	return slices.ContainsFunc(tags, func(t *messages.PickleTag) bool { return t.Name == name })
}
