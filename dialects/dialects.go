// Package dialects holds the Pat Chat dialect files bundled with chatspec:
// "reference" (the reference server's line wording, the default) and "menu"
// (its prompt-driven test variant). They are also the examples users copy.
package dialects

import (
	"embed"
	"errors"
	"fmt"
	"sort"
	"strings"
)

//go:embed *.yaml
var files embed.FS

// DefaultName is the dialect used when none is chosen.
const DefaultName = "reference"

// ErrUnknown means no bundled dialect has the requested name.
var ErrUnknown = errors.New("dialects: unknown dialect")

// Default returns the reference server's dialect file.
func Default() []byte {
	b, err := Get(DefaultName)
	if err != nil {
		panic(err) // the file is embedded: this cannot happen in a built binary
	}
	return b
}

// Get returns the bundled dialect file called name (without ".yaml").
func Get(name string) ([]byte, error) {
	if strings.ContainsAny(name, `/\.`) {
		return nil, fmt.Errorf("%w: %q (known: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
	}
	b, err := files.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("%w: %q (known: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
	}
	return b, nil
}

// Names lists the bundled dialects, sorted.
func Names() []string {
	entries, _ := files.ReadDir(".")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(out)
	return out
}
