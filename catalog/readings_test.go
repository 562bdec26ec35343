package catalog

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	readingHead = regexp.MustCompile(`(?m)^### <a id="([AP][0-9]+)"></a>([AP][0-9]+)\. `)
	requirement = regexp.MustCompile(`\b(?:COP|PAT)-(?:[0-9]+(?:\.[0-9]+)*|R)-[0-9]+\b`)
)

// readings splits readings.md into its entries, by name.
func readings(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("readings.md")
	require.NoError(t, err)
	text := string(data)
	heads := readingHead.FindAllStringSubmatchIndex(text, -1)
	require.NotEmpty(t, heads, "readings.md has no entries")
	entries := map[string]string{}
	for i, h := range heads {
		end := len(text)
		if i+1 < len(heads) {
			end = heads[i+1][0]
		}
		name, label := text[h[2]:h[3]], text[h[4]:h[5]]
		require.Equal(t, name, label, "the anchor and the title of %s differ", name)
		require.NotContains(t, entries, name, "%s is defined twice", name)
		entries[name] = text[h[1]:end]
	}
	return entries
}

// TestEveryReadingShapesKnownRequirements fails when a reading names no
// requirement, or one the catalogue does not know.
func TestEveryReadingShapesKnownRequirements(t *testing.T) {
	entries := readings(t)
	for _, name := range []string{"A1", "A11", "A12", "P1", "P10"} {
		assert.Contains(t, entries, name)
	}
	for name, body := range entries {
		_, shapes, found := strings.Cut(body, "\nShapes: ")
		if !assert.True(t, found, "%s has no Shapes: line", name) {
			continue
		}
		shapes, _, _ = strings.Cut(shapes, "\n")
		ids := requirement.FindAllString(shapes, -1)
		assert.True(t, len(ids) > 0 || strings.HasPrefix(shapes, "every requirement"),
			"%s shapes no requirement: %q", name, shapes)
		for _, id := range requirement.FindAllString(body, -1) {
			_, ok := Lookup(id)
			assert.True(t, ok, "%s names %s, which the catalogue does not know", name, id)
		}
	}
}
