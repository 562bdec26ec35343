package chatspec_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/chatspec/chatspec"

// rule is what one package may import directly. Module packages and external
// modules are matched by prefix ("wire" allows wire/chatos and wire/patchat);
// the standard library is allowed except for banStd.
type rule struct {
	module   []string // module packages (relative to the module root) it may import
	external []string // external modules it may import
	banStd   []string // standard packages it must not import
}

// Externals that belong to one layer each.
const (
	godog       = "github.com/cucumber/"
	tablewriter = "github.com/olekukonko/tablewriter"
	yaml        = "go.yaml.in/yaml/v3"
	bcrypt      = "golang.org/x/crypto/bcrypt"
)

// noNet keeps codecs off the network: clients own connections.
var noNet = []string{"net", "net/"}

// rules gives every package of the module its arrows. A package missing here
// fails the test: a new package must say where it sits.
var rules = map[string]rule{
	"":                  {}, // the root holds only repository-wide tests
	"catalog":           {},
	"transcript":        {},
	"features":          {},
	"dialects":          {module: []string{"wire/patchat"}}, // dialects.Load parses with the engine's loader
	"target":            {},
	"wire/chatos":       {banStd: noNet},
	"wire/patchat":      {external: []string{yaml}, banStd: noNet},
	"profile":           {external: []string{yaml}},
	"results":           {module: []string{"catalog"}},
	"reports":           {module: []string{"results", "catalog"}, external: []string{tablewriter}},
	"reference/chatos":  {module: []string{"wire"}},
	"reference/patchat": {module: []string{"wire"}, external: []string{bcrypt}},
	"client/chatos":     {module: []string{"wire/chatos", "transcript"}},
	"client/patchat":    {module: []string{"wire/patchat", "transcript"}},
	"steps": {module: []string{"catalog", "profile", "results", "target", "transcript", "oracle"},
		external: []string{godog}},
	"steps/chatos": {module: []string{"steps", "client/chatos", "wire/chatos", "catalog", "profile", "results",
		"target", "transcript"}, external: []string{godog}},
	"steps/patchat": {module: []string{"steps", "client/patchat", "wire/patchat", "dialects", "catalog", "profile",
		"results", "target", "transcript"}, external: []string{godog}},
	"steps/mutation":      {module: []string{"results"}}, // scores fault runs for the fault tests
	"fuzz":                {module: []string{"target", "results", "catalog", "transcript"}},
	"fuzz/chatos":         {module: []string{"fuzz", "wire/chatos", "client/chatos", "target", "results", "transcript"}},
	"fuzz/patchat":        {module: []string{"fuzz", "wire/patchat", "client/patchat", "dialects", "target", "results", "transcript"}},
	"oracle":              {module: []string{"catalog", "results", "transcript"}},
	"load":                {module: []string{"client/patchat", "oracle", "results", "transcript", "wire/chatos", "wire/patchat"}},
	"internal/testserver": {module: []string{"target", "fuzz"}, external: []string{"github.com/stretchr/testify"}}, // shared by tests only
	"internal/fuzztest":   {module: []string{"fuzz"}, external: []string{"github.com/stretchr/testify"}},           // shared by the fuzzer's tests only
	"cmd/chatspec":        {module: []string{""}, external: []string{"github.com/mattn/go-isatty", bcrypt}},
}

// pending lists arrows known to be wrong that another change is removing,
// "package -> import" with the reason. Each must still exist: once the import
// is gone, delete its line here.
var pending = map[string]string{}

// TestArchitectureArrowsPointOneWay keeps the layering of the tree: codecs,
// catalogue and transcript need only the standard library (codecs without
// the network), reference servers only the codecs, clients only codecs and
// transcripts, and godog and tablewriter stay in steps and reports.
func TestArchitectureArrowsPointOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./...").Output()
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		r, ok := rules[pkg]
		if !assert.True(t, ok, "package %q has no rule in arrows_test.go", pkg) {
			continue
		}
		for _, imp := range fields[1:] {
			arrow := pkg + " -> " + strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
			if _, known := pending[arrow]; known {
				seen[arrow] = true
				continue
			}
			assert.True(t, r.allows(imp), "%s must not import %s", pkg, imp)
		}
	}
	for arrow, why := range pending {
		assert.True(t, seen[arrow], "%s is gone (%s): delete it from pending in arrows_test.go", arrow, why)
	}
}

// allows reports whether the rule lets its package import imp.
func (r rule) allows(imp string) bool {
	switch {
	case imp == module || strings.HasPrefix(imp, module+"/"):
		return matches(strings.TrimPrefix(strings.TrimPrefix(imp, module), "/"), r.module)
	case strings.Contains(strings.Split(imp, "/")[0], "."):
		return matches(imp, r.external)
	default:
		return !matches(imp, r.banStd)
	}
}

// matches reports whether path is one of prefixes or below one ("" matches all).
func matches(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if p == "" || path == p || strings.HasPrefix(path, strings.TrimSuffix(p, "/")+"/") {
			return true
		}
	}
	return false
}
