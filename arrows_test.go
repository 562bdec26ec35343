package chatspec_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/chatspec/chatspec/"

// TestArchitectureArrowsPointOneWay keeps the layering of the tree: the
// codecs, catalogue and transcript need only the standard library, the
// reference servers only the codecs, and godog and tablewriter stay in the
// packages that own them.
func TestArchitectureArrowsPointOneWay(t *testing.T) {
	rules := map[string]struct {
		allowed []string // module packages (prefixes) it may import
		banned  []string // external modules it must not import
	}{
		"wire/chatos":       {allowed: nil},
		"catalog":           {allowed: nil},
		"transcript":        {allowed: nil},
		"results":           {allowed: []string{"catalog"}},
		"reports":           {allowed: []string{"results", "catalog"}, banned: []string{"github.com/cucumber"}},
		"reference/chatos":  {allowed: []string{"wire/chatos"}, banned: []string{"github.com/cucumber", "github.com/olekukonko"}},
		"reference/patchat": {allowed: nil, banned: []string{"github.com/cucumber", "github.com/olekukonko"}},
		"target":            {allowed: nil},
		"client/chatos":     {allowed: []string{"wire/chatos", "transcript"}, banned: []string{"github.com/cucumber"}},
	}
	for pkg, rule := range rules {
		out, err := exec.Command("go", "list", "-deps", "./"+pkg).Output()
		require.NoError(t, err, pkg)
		for _, dep := range strings.Fields(string(out)) {
			if dep == module+pkg {
				continue
			}
			if strings.HasPrefix(dep, module) {
				rel := strings.TrimPrefix(dep, module)
				ok := false
				for _, a := range rule.allowed {
					ok = ok || rel == a || strings.HasPrefix(rel, a+"/")
				}
				assert.True(t, ok, "%s must not import %s", pkg, rel)
			}
			for _, b := range rule.banned {
				assert.False(t, strings.HasPrefix(dep, b), "%s must not import %s", pkg, dep)
			}
		}
	}
}
