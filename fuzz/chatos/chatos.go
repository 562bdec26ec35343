// Package chatos is the ChatOS side of the fuzzer: generators (field-by-field
// mutation of valid frames, random walks over the protocol's states, odd
// delivery), the stream oracle (every server frame must decode strictly), the
// health probe (two fresh clients and a public message), and a frame-aware
// reducer for the minimiser.
package chatos

import (
	"context"
	"math/rand/v2"

	"github.com/chatspec/chatspec/fuzz"
)

// Name is the protocol's name in cases and findings.
const Name = "chatos"

// Protocol is the ChatOS fuzz protocol; the zero value is ready to use
// (the profile's defaults).
type Protocol struct {
	reversed bool // 7 and 8 carry (answerer, requester): profile answer-order
}

// New returns the ChatOS fuzz protocol.
func New() fuzz.Protocol { return Protocol{} }

// Name is "chatos".
func (Protocol) Name() string { return Name }

// Generate builds one case from r.
func (p Protocol) Generate(r *rand.Rand) fuzz.Case { return generate(r, p.reversed) }

// NewWatch returns the strict decoder of one connection's server bytes.
func (Protocol) NewWatch() fuzz.Watch { return newWatch() }

// Probe runs the health probe against addr.
func (Protocol) Probe(ctx context.Context, addr string) error { return probe(ctx, addr) }

// Reducers shrink frames without breaking their length fields.
func (Protocol) Reducers() []fuzz.Reducer { return []fuzz.Reducer{reduce} }
