package chatos

import (
	"fmt"
	"testing"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// COP-3.1-2: frames split at every byte boundary are reassembled.
func TestFramingByteAtATime(t *testing.T) {
	ts := start(t)
	bob := ts.login(t, "bob")
	slow := ts.dial(t, "slow")
	for _, b := range wire.Append(nil, wire.Login{Nick: "slow"}) {
		slow.write([]byte{b})
	}
	slow.expect("login accepted", equal(wire.LoginAccepted{Nick: "slow"}))
	for _, b := range wire.Append(nil, wire.PublicMessage{From: "slow", Text: "drip, drip"}) {
		slow.write([]byte{b})
	}
	bob.expect("message", equal(wire.PublicMessage{From: "slow", Text: "drip, drip"}))
}

// COP-3.1-2: several frames in one write are all handled.
func TestFramingCoalesced(t *testing.T) {
	ts := start(t)
	bob := ts.login(t, "bob")
	c := ts.dial(t, "fast")
	frames := wire.Append(nil, wire.Login{Nick: "fast"})
	frames = wire.Append(frames, wire.PublicMessage{From: "fast", Text: "one"})
	frames = wire.Append(frames, wire.PrivateMessage{From: "fast", To: "bob", Text: "two"})
	c.write(frames)
	c.expect("login accepted", equal(wire.LoginAccepted{Nick: "fast"}))
	bob.expect("public", equal(wire.PublicMessage{From: "fast", Text: "one"}))
	bob.expect("private", equal(wire.PrivateMessage{From: "fast", To: "bob", Text: "two"}))
}

// COP-R-1: a 2 GiB length prefix closes that connection only.
func TestFramingHugeLengthClosesOnlyThatConnection(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	for _, head := range [][]byte{
		{0x00, 0x7f, 0xff, 0xff, 0xff}, // login, 2 GiB - 1
		{0x00, 0xff, 0xff, 0xff, 0xff}, // negative
		append(wire.Append(nil, wire.Login{Nick: "x"}), 0x04, 0x7f, 0xff, 0xff, 0xff), // after login
	} {
		evil := ts.dial(t, "evil")
		evil.write(head)
		evil.write(make([]byte, 4096))
		evil.expectClosed()
		alice.marker("still served", alice, bob)
	}
}

// COP-3.3-1 and COP-3.3-2: an unknown opcode closes that connection; others are not disturbed.
func TestFramingUnknownOpcode(t *testing.T) {
	ts := start(t)
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	for i, op := range []byte{12, 0x7f, 0xff} {
		evil := ts.login(t, fmt.Sprintf("evil%d", i))
		evil.write([]byte{op, 0, 0, 0, 0})
		evil.expectClosed()
		alice.marker("after unknown opcode", alice, bob)
	}
}

// COP-5-1: a packet before login closes the connection and reaches no one.
func TestFramingPacketBeforeLogin(t *testing.T) {
	ts := start(t)
	bob := ts.login(t, "bob")
	for _, p := range []wire.Packet{
		wire.PublicMessage{From: "bob", Text: "sneaky"},
		wire.PrivateMessage{From: "x", To: "bob", Text: "sneaky"},
		wire.PrivateRequest{From: "x", To: "bob"},
		wire.PrivateAccept{From: "bob", To: "x"},
	} {
		anon := ts.dial(t, "anon")
		anon.send(p)
		anon.expectSilentClose()
		mark := wire.PublicMessage{From: "bob", Text: "marker"}
		bob.send(mark)
		bob.expectBefore("marker", equal(mark), func(q wire.Packet) bool { return q != mark })
	}
}

// COP-R-3: a String that is not valid UTF-8 closes the connection, never relayed.
func TestFramingInvalidUTF8(t *testing.T) {
	ts := start(t)
	bob := ts.login(t, "bob")
	evil := ts.login(t, "evil")
	frame := wire.AppendString(wire.AppendString([]byte{4}, "evil"), "bad \xff byte")
	evil.write(frame)
	evil.expectClosed()
	bob.marker("after bad utf8", bob)
}

// COP-R-2: a frame cut short by a disconnect has no effect on anyone.
func TestFramingTruncatedByDisconnect(t *testing.T) {
	ts := start(t)
	bob := ts.login(t, "bob")
	cut := ts.login(t, "cut")
	frame := wire.Append(nil, wire.PublicMessage{From: "cut", Text: "never finished"})
	cut.write(frame[:len(frame)-3])
	cut.nc.Close()
	ts.login(t, "cut2").marker("after the cut", bob)
	bob.send(wire.PublicMessage{Text: "mark"})
	bob.expectBefore("own marker", equal(wire.PublicMessage{From: "bob", Text: "mark"}),
		is[wire.PublicMessage](func(p wire.PublicMessage) bool { return p.From == "cut" }))
}
