package chatspec_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readingsFile is where every reading of the documents is written down.
const readingsFile = "catalog/readings.md"

var (
	readingAnchor = regexp.MustCompile(`<a id="([APH][0-9]+)"></a>`)
	readingCite   = regexp.MustCompile(`\b[APH][0-9]{1,2}\b`)
	// outside are markers of files outside the repository that a comment or
	// test once leaned on (split so this file does not match itself).
	outside = []string{"spec" + "-notes", "/work/" + "shared", "shared/" + "seeds"}
)

// repoTexts calls visit with every source and documentation file of the repository.
func repoTexts(t *testing.T, visit func(path, text string)) {
	t.Helper()
	exts := map[string]bool{".go": true, ".feature": true, ".md": true, ".yaml": true, ".tsv": true, ".golden": true}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !exts[filepath.Ext(path)] {
			return nil
		}
		data, err := os.ReadFile(path)
		if err == nil {
			visit(filepath.ToSlash(path), string(data))
		}
		return err
	})
	require.NoError(t, err)
}

// TestEveryCitedReadingIsDefined fails when code, a scenario or a document
// cites a reading (A11, P3, ...) that catalog/readings.md does not define.
func TestEveryCitedReadingIsDefined(t *testing.T) {
	data, err := os.ReadFile(readingsFile)
	require.NoError(t, err)
	defined := map[string]bool{}
	for _, m := range readingAnchor.FindAllStringSubmatch(string(data), -1) {
		defined[m[1]] = true
	}
	require.NotEmpty(t, defined)
	cited := 0
	repoTexts(t, func(path, text string) {
		for _, name := range readingCite.FindAllString(text, -1) {
			cited++
			assert.True(t, defined[name], "%s cites reading %s, which %s does not define", path, name, readingsFile)
		}
	})
	assert.Greater(t, cited, len(defined), "the tree cites readings")
}

// TestNothingPointsOutsideTheRepository fails when a file refers to notes or
// documents that a fresh clone does not have.
func TestNothingPointsOutsideTheRepository(t *testing.T) {
	repoTexts(t, func(path, text string) {
		for _, marker := range outside {
			assert.False(t, strings.Contains(text, marker), "%s mentions %q, which is outside the repository", path, marker)
		}
	})
}
