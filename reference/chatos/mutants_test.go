package chatos

import (
	"fmt"
	"strings"
	"testing"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	// Nothing orders the server's read of mallory's half before alice's
	// messages (under load it came after two of them), so alice keeps
	// sending for a second, a message every 50 ms: the half is read by then.
	run := func(f Faults) bool {
		ts := start(t, withFaults(f))
		alice, bob, mallory := ts.login(t, "alice"), ts.login(t, "bob"), ts.login(t, "mallory")
		frame := wire.Append(nil, wire.PublicMessage{Text: "held"})
		mallory.write(frame[:len(frame)/2])
		held := equal(wire.PublicMessage{From: "mallory", Text: "held"})
		until := time.Now().Add(time.Second)
		for n := 0; n < 2 || time.Now().Before(until); n++ {
			text := fmt.Sprint("message ", n)
			alice.send(wire.PublicMessage{Text: text})
			if !bob.arrives(equal(wire.PublicMessage{From: "alice", Text: text}), 500*time.Millisecond) {
				return false
			}
			require.False(t, bob.arrives(held, 50*time.Millisecond), "half a frame was delivered")
		}
		return true
	}
	assert.True(t, run(Faults{}))
	assert.False(t, run(Faults{PartialFrameBlocksAll: true}))
}

// An Exit* fault stops the whole server: every connection closes and Serve
// returns ErrExited, as a process that died would look from outside.
func TestFaultExitOnUnknownOpcode(t *testing.T) {
	ts := start(t, withFaults(Faults{ExitOnUnknownOpcode: true}))
	bob, mallory := ts.login(t, "bob"), ts.login(t, "mallory")
	mallory.write([]byte{0x0c, 0, 0, 0, 0})
	bob.expectClosed()
	select {
	case err := <-ts.done:
		assert.ErrorIs(t, err, ErrExited)
		ts.done <- nil // the cleanup's stop sees a clean end
	case <-time.After(waitFor):
		t.Fatal("Serve did not return")
	}
}

// Opcode12Extension skips "0c String" and keeps the stream aligned on the
// next frame, even when it comes in the same write; other opcodes close.
func TestFaultOpcode12Extension(t *testing.T) {
	ts := start(t, withFaults(Faults{Opcode12Extension: true}))
	bob, mallory := ts.login(t, "bob"), ts.login(t, "mallory")
	ext := wire.AppendString([]byte{0x0c}, "ping")
	mallory.write(append(ext, wire.Append(nil, wire.PublicMessage{Text: "after"})...))
	bob.expect("the frame after the extension", equal(wire.PublicMessage{From: "mallory", Text: "after"}))
	mallory.write([]byte{0x7f})
	mallory.expectClosed()
}

func TestFaultTruncateLongMessage(t *testing.T) {
	ts := start(t, withFaults(Faults{TruncateLongMessage: true}))
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	alice.send(wire.PublicMessage{Text: strings.Repeat("é", 513)})
	bob.expect("the cut message", equal(wire.PublicMessage{From: "alice", Text: strings.Repeat("é", 512)}))
}

func TestFaultUnknownIDJoinsWaiting(t *testing.T) {
	ts := start(t, withFaults(Faults{UnknownIDJoinsWaiting: true}))
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	id := negotiate(t, alice, bob)
	waiter := ts.present(t, "waiter", id)
	// The waiter's 10 and the stranger's arrive on different connections: a
	// stranger served before the waiter is closed (no half is waiting yet),
	// so a fresh stranger tries again until one is bridged or time runs out.
	deadline := time.Now().Add(waitFor)
	for {
		p, err := ts.present(t, "stranger", id^0x5a5a5a5a).next(deadline)
		if err == nil {
			require.Equal(t, wire.Established{}, p, "the stranger is bridged with the waiter")
			break
		}
		require.True(t, time.Now().Before(deadline), "no stranger was bridged with the waiter: %v", err)
	}
	waiter.expect("bridged with the stranger", equal(wire.Established{}))
}
