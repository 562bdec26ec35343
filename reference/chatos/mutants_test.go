package chatos

import (
	"testing"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
)

// Each test below shows one fault of mutants.go over the network, against
// the same exchange without it.

// arrives reports whether a packet matching m reaches c within d.
func (c *client) arrives(m matcher, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		p, err := c.next(deadline)
		if err != nil {
			return false
		}
		if m(p) {
			return true
		}
	}
}

func TestFaultPartialFrameBlocksAll(t *testing.T) {
	run := func(f Faults) bool {
		ts := start(t, withFaults(f))
		alice, bob, mallory := ts.login(t, "alice"), ts.login(t, "bob"), ts.login(t, "mallory")
		frame := wire.Append(nil, wire.PublicMessage{Text: "held"})
		mallory.write(frame[:len(frame)/2])
		ok := true
		for _, text := range []string{"one", "two"} { // by the second, the half was surely read
			alice.send(wire.PublicMessage{Text: text})
			ok = bob.arrives(equal(wire.PublicMessage{From: "alice", Text: text}), 500*time.Millisecond)
		}
		return ok
	}
	assert.True(t, run(Faults{}))
	assert.False(t, run(Faults{PartialFrameBlocksAll: true}))
}
