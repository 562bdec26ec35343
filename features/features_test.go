package features

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/chatspec/chatspec/catalog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var reqTag = regexp.MustCompile(`@((?:COP|PAT)-[A-Za-z0-9.\-]+)`)

// tagsIn collects the requirement tags of every feature file of a suite.
func tagsIn(t *testing.T, suite fs.FS) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	err := fs.WalkDir(suite, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".feature") {
			return err
		}
		data, err := fs.ReadFile(suite, path)
		if err != nil {
			return err
		}
		for _, m := range reqTag.FindAllStringSubmatch(string(data), -1) {
			seen[m[1]] = true
		}
		return nil
	})
	require.NoError(t, err)
	return seen
}

// TestEveryRequirementHasAScenarioOrAReason fails when a catalogue ID is
// checked by no scenario and the catalogue gives no reason, and when a
// scenario carries an ID the catalogue does not know.
func TestEveryRequirementHasAScenarioOrAReason(t *testing.T) {
	for proto, suite := range suites() {
		tags := tagsIn(t, suite)
		require.NotEmpty(t, tags, proto)
		for id := range tags {
			_, ok := catalog.Lookup(id)
			assert.True(t, ok, "%s: a scenario carries %s, which the catalogue does not know", proto, id)
		}
		for _, req := range catalog.ForProtocol(proto) {
			if req.Untestable != "" || req.Needs == catalog.NeedsHistory {
				continue
			}
			assert.True(t, tags[req.ID], "%s: %s has no scenario and no stated reason", proto, req.ID)
		}
	}
}

// TestEveryScenarioHasALevel keeps the level visible in the feature text.
func TestEveryScenarioHasALevel(t *testing.T) {
	level := regexp.MustCompile(`@(must|should|info)\b`)
	for proto, suite := range suites() {
		_ = fs.WalkDir(suite, ".", func(path string, d fs.DirEntry, _ error) error {
			if d.IsDir() {
				return nil
			}
			data, _ := fs.ReadFile(suite, path)
			lines := strings.Split(string(data), "\n")
			for i, line := range lines {
				if !strings.HasPrefix(strings.TrimSpace(line), "Scenario") {
					continue
				}
				assert.Regexp(t, level, lines[i-1], "%s/%s:%d: scenario without a level tag", proto, path, i+1)
			}
			return nil
		})
	}
}
