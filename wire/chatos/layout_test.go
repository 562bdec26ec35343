package chatos

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPacketStrings pins the transcript wording of every packet, written by
// hand: reports and golden files quote it.
func TestPacketStrings(t *testing.T) {
	cases := map[Packet]string{
		Login{"bob"}:                      `LOGIN(0) nick="bob"`,
		LoginAccepted{"bob"}:              `LOGIN_ACCEPTED(1) nick="bob"`,
		LoginRefused{"bob"}:               `LOGIN_REFUSED(2) nick="bob"`,
		PrivateRequest{"al", "bob"}:       `PRIVATE_REQUEST(3) from="al" to="bob"`,
		PublicMessage{"al", "hé\n"}:       `PUBLIC_MESSAGE(4) from="al" text="hé\n"`,
		PrivateMessage{"al", "bob", "hi"}: `PRIVATE_MESSAGE(5) from="al" to="bob" text="hi"`,
		UnknownUser{"zed"}:                `UNKNOWN_USER(6) name="zed"`,
		PrivateAccept{"al", "bob"}:        `PRIVATE_ACCEPT(7) from="al" to="bob"`,
		PrivateRefuse{"al", "bob"}:        `PRIVATE_REFUSE(8) from="al" to="bob"`,
		ConnectID{"al", "bob", -2}:        `CONNECT_ID(9) from="al" to="bob" id=-2`,
		PresentID{42}:                     `PRESENT_ID(10) id=42`,
		Established{}:                     `ESTABLISHED(11)`,
	}
	for p, want := range cases {
		assert.Equal(t, want, p.String())
	}
	assert.Len(t, cases, int(MaxOpcode)+1, "every opcode has a case")
}

// TestLayoutTable: every defined opcode has a layout whose packet carries
// that opcode, and only the server's own packets are marked server-only.
func TestLayoutTable(t *testing.T) {
	serverOnly := map[Opcode]bool{OpLoginAccepted: true, OpLoginRefused: true, OpUnknownUser: true,
		OpConnectID: true, OpEstablished: true}
	for op := Opcode(0); op <= MaxOpcode; op++ {
		l, ok := LayoutOf(op)
		if assert.True(t, ok, op) {
			assert.Equal(t, op, l.make(values{}).Opcode(), "layout %d builds its own packet", op)
			assert.Equal(t, serverOnly[op], l.ServerOnly, "%v", op)
			assert.Len(t, Values(l.make(values{})), len(l.Fields))
		}
	}
	_, ok := LayoutOf(MaxOpcode + 1)
	assert.False(t, ok)
}
