package dialects

import (
	"errors"
	"fmt"
	"os"

	"github.com/chatspec/chatspec/wire/patchat"
)

// ErrNotFound means a name is neither a bundled dialect nor a readable file.
var ErrNotFound = errors.New("dialects: no such dialect")

// Read returns the text of a dialect and the name its problems are reported
// under: a bundled dialect by name ("reference", "menu"; "dialects/NAME.yaml"),
// else the file at nameOrPath. Empty means the default, the reference's.
func Read(nameOrPath string) ([]byte, string, error) {
	if nameOrPath == "" {
		nameOrPath = DefaultName
	}
	if data, err := Get(nameOrPath); err == nil {
		return data, "dialects/" + nameOrPath + ".yaml", nil
	}
	data, err := os.ReadFile(nameOrPath)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %q is neither a bundled dialect %v nor a readable file: %w",
			ErrNotFound, nameOrPath, Names(), err)
	}
	return data, nameOrPath, nil
}

// Load reads and parses a dialect (see Read): the one way every subcommand
// (run, fuzz, replay, dialect check and try) turns --dialect into a dialect.
// A dialect with problems gives a *patchat.DialectError.
func Load(nameOrPath string) (*patchat.Dialect, error) {
	data, source, err := Read(nameOrPath)
	if err != nil {
		return nil, err
	}
	return patchat.Parse(data, source)
}
