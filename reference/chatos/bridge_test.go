package chatos

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quietWindow is how long a half is watched to show no 11 arrives early. It
// only bounds a negative check; correctness never waits on it.
const quietWindow = 300 * time.Millisecond

// expectQuiet fails if anything arrives within d.
func (c *client) expectQuiet(d time.Duration) {
	c.t.Helper()
	p, err := c.next(time.Now().Add(d))
	require.Error(c.t, err, "%s: received %v", c.name, p)
	require.True(c.t, errors.Is(err, os.ErrDeadlineExceeded), "%s: closed: %v", c.name, err)
}

// COP-3.5-6, COP-2.6-1, A10: 11 on both once both presented, then raw bytes
// relayed unchanged both ways.
func TestBridgeRelaysRawBytes(t *testing.T) {
	ts := start(t)
	x, y := bridged(t, ts, "alice", "bob")
	raw := []byte("not a frame \x00\xff\x0b hello")
	x.write(raw)
	assert.Equal(t, raw, y.readRaw(len(raw)))
	y.write([]byte("reply"))
	assert.Equal(t, []byte("reply"), x.readRaw(5))
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	go func() { _, _ = x.nc.Write(big) }()
	assert.Equal(t, big, y.readRaw(len(big)))
}

// COP-3.5-6: no 11 until the second connection presented the id.
func TestBridgeEstablishedOnlyWhenBoth(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	id := negotiate(t, alice, bob)
	x := ts.present(t, "x", id)
	x.expectQuiet(quietWindow)
	y := ts.present(t, "y", id)
	x.expect("established", equal(wire.Established{}))
	y.expect("established", equal(wire.Established{}))
}

// Bytes a half sends before its 11 are relayed once the bridge opens.
func TestBridgeEarlyBytesKept(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	id := negotiate(t, alice, bob)
	x := ts.dial(t, "x")
	x.write(append(wire.Append(nil, wire.PresentID{ID: id}), "early"...))
	y := ts.present(t, "y", id)
	y.expect("established", equal(wire.Established{}))
	assert.Equal(t, []byte("early"), y.readRaw(5))
	x.expect("established", equal(wire.Established{}))
}

// COP-3.5-8: an id never issued is closed without 11.
func TestBridgeUnknownIDClosed(t *testing.T) {
	ts := start(t)
	ts.present(t, "stranger", 123456789).expectSilentClose()
}

// COP-3.5-9: a third connection on a used id is closed without 11.
func TestBridgeThirdConnectionClosed(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	id := negotiate(t, alice, bob)
	x, y := ts.present(t, "x", id), ts.present(t, "y", id)
	x.expect("established", equal(wire.Established{}))
	y.expect("established", equal(wire.Established{}))
	ts.present(t, "third", id).expectSilentClose()
	x.write([]byte("ok"))
	assert.Equal(t, []byte("ok"), y.readRaw(2), "the established pair is untouched")
}

// COP-4-1: when one half closes, the other is closed.
func TestBridgeOneSideClosesOther(t *testing.T) {
	ts := start(t)
	for _, first := range []int{0, 1} {
		x, y := bridged(t, ts, "a"+string(rune('0'+first)), "b"+string(rune('0'+first)))
		halves := []*client{x, y}
		halves[first].write([]byte("bye"))
		halves[first].nc.Close()
		other := halves[1-first]
		assert.Equal(t, []byte("bye"), other.readRaw(3), "bytes sent before the close arrive first")
		other.expectClosed()
	}
}

// COP-4-1: when an owner's main connection closes, its bridges close.
func TestBridgeClosedWhenOwnerLeaves(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	id := negotiate(t, alice, bob)
	x, y := ts.present(t, "x", id), ts.present(t, "y", id)
	x.expect("established", equal(wire.Established{}))
	y.expect("established", equal(wire.Established{}))
	alice.nc.Close()
	x.expectClosed()
	y.expectClosed()
}

// A waiting half is closed when its id is dropped by an owner leaving.
func TestBridgeWaiterClosedWhenOwnerLeaves(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	id := negotiate(t, alice, bob)
	x := ts.present(t, "x", id)
	bob.nc.Close()
	x.expectSilentClose()
	ts.present(t, "late", id).expectSilentClose()
}
