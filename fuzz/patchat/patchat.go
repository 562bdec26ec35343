// Package patchat is the Pat Chat side of the fuzzer: generators (sessions
// with missing, huge and hostile arguments, commands before login, endless
// lines, control and invalid UTF-8 bytes, rapid create/join/leave, many
// connections at once), the stream oracle (everything the server sends must
// be text, PAT-3-3), and a health probe driven by a dialect: two fresh users
// register, log in, and one's room message must reach the other.
//
// Commands are built from the dialect's send lines, so the generator speaks
// the server's own vocabulary; the reference dialect is the default.
package patchat

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/chatspec/chatspec/dialects"
	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

// Name is the protocol's name in cases and findings.
const Name = "patchat"

// Protocol is the Pat Chat fuzz protocol for one dialect.
type Protocol struct {
	d        *wire.Dialect
	vocab    vocabulary
	maxUsers int // users a case may have logged in at once (0: no bound); see WithProfile
}

// New returns the Pat Chat fuzz protocol speaking dialect d.
func New(d *wire.Dialect) *Protocol { return &Protocol{d: d, vocab: newVocabulary(d)} }

// Default returns the protocol with the bundled reference dialect.
func Default() (*Protocol, error) {
	d, err := dialects.Load(dialects.DefaultName)
	if err != nil {
		return nil, fmt.Errorf("fuzz/patchat: bundled dialect: %w", err)
	}
	return New(d), nil
}

// Name is "patchat".
func (p *Protocol) Name() string { return Name }

// Generate builds one case from r.
func (p *Protocol) Generate(r *rand.Rand) fuzz.Case {
	g := newGen(r, p.vocab)
	g.maxUsers = p.maxUsers
	return g.generate()
}

// NewWatch returns the text oracle of one connection.
func (p *Protocol) NewWatch() fuzz.Watch { return &watch{} }

// Probe runs the dialect-driven health probe.
func (p *Protocol) Probe(ctx context.Context, addr string) error { return probe(ctx, addr, p.d) }

// Reducers shrink lines: drop one, or halve the longest.
func (p *Protocol) Reducers() []fuzz.Reducer { return []fuzz.Reducer{reduceLines} }
