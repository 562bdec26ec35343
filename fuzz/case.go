// Package fuzz is chatspec's protocol fuzzer: one Case type shared by
// generation, execution, finding files, replay and minimisation; a seeded
// engine that runs cases against a target and watches it with oracles
// (health probe, protocol decoding, exit status, memory); and findings with a
// closed set of kinds, saved as readable versioned text files.
//
// The protocol-specific parts (generators, stream oracles, health probes) live
// in fuzz/chatos and fuzz/patchat and plug in through the Protocol interface.
package fuzz

import (
	"bytes"
	"slices"
	"time"
)

// Case is one fuzz input: what each connection sends, in order.
//
// How a case runs: every connection is opened at the start, in order. Steps
// then run in rounds: round k sends step k of each connection that has one,
// in connection order. After the last round every connection half-closes its
// sending side and reads until the server closes it or a drain deadline ends.
// Empty steps are allowed and only keep a connection's later steps in line.
type Case struct {
	Protocol string       // "chatos" or "patchat"
	Conns    []ConnScript // one per TCP connection
}

// ConnScript is what one connection sends.
type ConnScript struct {
	Steps []Step
}

// Step is one write (or one byte-at-a-time delivery) on a connection.
type Step struct {
	Data   []byte        // bytes to send
	Pause  time.Duration // wait this long before sending
	Split  bool          // deliver one byte per write
	Chunks []int         // a drip: write Data cut at these offsets (ascending), one write per piece
	Fill   *Fill         // run-time value written over part of Data before sending
	Note   string        // what the generator meant, for humans reading a finding
}

// Fill writes a value the server chose at run time over part of a step's
// data (ChatOS: the connect id a 9 packet carried, which a 10 must present;
// no case can carry it in advance). The executor waits a bounded time for the
// value; when it never comes the data is sent unchanged. With a negative
// Offset the step only waits for the value (ordering across connections:
// "answer once the request has arrived").
type Fill struct {
	Var    string // value name, e.g. "connect-id" (see Watch.Value)
	Conn   int    // connection whose received stream carries the value
	Offset int    // where in Data the value is written; < 0: wait only
}

// Clone returns a deep copy of c, so mutations never alias the original.
func (c Case) Clone() Case {
	out := Case{Protocol: c.Protocol, Conns: make([]ConnScript, len(c.Conns))}
	for i, cs := range c.Conns {
		out.Conns[i].Steps = make([]Step, len(cs.Steps))
		for j, s := range cs.Steps {
			out.Conns[i].Steps[j] = s.clone()
		}
	}
	return out
}

func (s Step) clone() Step {
	s.Data = bytes.Clone(s.Data)
	s.Chunks = slices.Clone(s.Chunks)
	if s.Fill != nil {
		f := *s.Fill
		s.Fill = &f
	}
	return s
}

// Size is the number of bytes the case sends over all connections.
func (c Case) Size() int {
	n := 0
	for _, cs := range c.Conns {
		for _, s := range cs.Steps {
			n += len(s.Data)
		}
	}
	return n
}

// StepCount is the number of steps over all connections.
func (c Case) StepCount() int {
	n := 0
	for _, cs := range c.Conns {
		n += len(cs.Steps)
	}
	return n
}

// Rounds is the number of rounds the case runs (its longest script).
func (c Case) Rounds() int {
	n := 0
	for _, cs := range c.Conns {
		n = max(n, len(cs.Steps))
	}
	return n
}

// Equal reports whether two cases send the same thing the same way.
func (c Case) Equal(o Case) bool {
	if c.Protocol != o.Protocol || len(c.Conns) != len(o.Conns) {
		return false
	}
	for i := range c.Conns {
		a, b := c.Conns[i].Steps, o.Conns[i].Steps
		if len(a) != len(b) {
			return false
		}
		for j := range a {
			if !a[j].equal(b[j]) {
				return false
			}
		}
	}
	return true
}

func (s Step) equal(o Step) bool {
	if !bytes.Equal(s.Data, o.Data) || s.Pause != o.Pause || s.Split != o.Split || s.Note != o.Note ||
		!slices.Equal(s.Chunks, o.Chunks) {
		return false
	}
	if (s.Fill == nil) != (o.Fill == nil) {
		return false
	}
	return s.Fill == nil || *s.Fill == *o.Fill
}

// Builder accumulates a case connection by connection; generators use it.
type Builder struct{ c Case }

// NewBuilder starts an empty case for protocol.
func NewBuilder(protocol string) *Builder { return &Builder{c: Case{Protocol: protocol}} }

// Conn adds a connection and returns its index.
func (b *Builder) Conn() int {
	b.c.Conns = append(b.c.Conns, ConnScript{})
	return len(b.c.Conns) - 1
}

// Send appends a step to connection i.
func (b *Builder) Send(i int, s Step) { b.c.Conns[i].Steps = append(b.c.Conns[i].Steps, s) }

// Align pads every connection with empty steps up to the longest one, so the
// next Send on any connection happens after everything sent so far.
func (b *Builder) Align() {
	n := b.c.Rounds()
	for i := range b.c.Conns {
		for len(b.c.Conns[i].Steps) < n {
			b.c.Conns[i].Steps = append(b.c.Conns[i].Steps, Step{})
		}
	}
}

// Case returns the case built so far.
func (b *Builder) Case() Case { return b.c }
