package patchat_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/features"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scenarioTags returns the tag lines of every scenario in the Pat Chat
// features, one slice of tags per scenario.
func scenarioTags(t *testing.T) [][]string {
	t.Helper()
	var out [][]string
	files, err := fs.Glob(features.PatChat(), "*.feature")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, name := range files {
		b, err := fs.ReadFile(features.PatChat(), name)
		require.NoError(t, err)
		var pending []string
		for _, line := range strings.Split(string(b), "\n") {
			line = strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(line, "@"):
				pending = append(pending, strings.Fields(line)...)
			case strings.HasPrefix(line, "Scenario"):
				out = append(out, pending)
				pending = nil
			case strings.HasPrefix(line, "Feature:"):
				pending = nil
			}
		}
	}
	return out
}

// TestEveryRequirementIsCoveredOrExplained: every PAT ID of the catalogue is
// the tag of a scenario, or the catalogue says why it cannot be checked; and
// each scenario's level tag is its requirement's catalogue level.
func TestEveryRequirementIsCoveredOrExplained(t *testing.T) {
	t.Parallel()
	covered := map[string]bool{}
	for _, tags := range scenarioTags(t) {
		parsed, err := catalog.ParseTags(tags)
		require.NoError(t, err, tags)
		for _, id := range parsed.IDs {
			require.True(t, strings.HasPrefix(id, "PAT-"), "a ChatOS ID in the Pat Chat features: %s", id)
			covered[id] = true
			req, _ := catalog.Lookup(id)
			assert.Equal(t, req.Level, parsed.Level, "scenario tagged %v: level tag differs from the catalogue", tags)
		}
	}
	reqs := catalog.ForProtocol(catalog.PatChat)
	require.NotEmpty(t, reqs)
	for _, req := range reqs {
		assert.True(t, covered[req.ID] || req.Untestable != "" || req.Needs == catalog.NeedsHistory,
			"%s has no scenario and no reason in the catalogue why it cannot be checked", req.ID)
	}
}

// forbidden are words of the reference server and of its menu variant:
// steps speak only through dialect actions, so none may appear in them.
var forbidden = regexp.MustCompile(`"(OK|ERR|HELLO|BYE|USERS|ROOMS|ROOM |l|c |j |r |s |m |b |bx |rooms|exit|register |login |Welcome|Server full|Goodbye|/who|/rooms|/create|/join|/leave|/switch|/multi|/quit)`)

// TestStepsUseNoServerWording scans the step sources for reference wording.
func TestStepsUseNoServerWording(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		n++
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		for i, line := range strings.Split(string(b), "\n") {
			assert.False(t, forbidden.MatchString(line), "%s:%d uses a server's wording: %s", f, i+1, strings.TrimSpace(line))
		}
	}
	require.Greater(t, n, 3)
}
