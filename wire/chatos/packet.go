// Package chatos is the wire codec of the ChatOS protocol (COP): one Go type per
// packet, strict encoding and decoding, and a streaming Reader that is safe to
// point at an untrusted peer (bounded lengths, no allocation sized from the wire).
//
// Wire basics (COP 3.1): an opcode byte, then fields. Int is 4 signed bytes,
// Long 8 signed bytes (reading A3), both big-endian; a String is an Int byte
// length followed by that many bytes of UTF-8.
package chatos

import "fmt"

// Opcode is the first byte of every ChatOS packet (COP 3.3).
type Opcode uint8

// The twelve opcodes of COP 3.3.
const (
	OpLogin          Opcode = 0  // connection request with the server
	OpLoginAccepted  Opcode = 1  // connection acceptance
	OpLoginRefused   Opcode = 2  // connection refusal
	OpPrivateRequest Opcode = 3  // connection request with a specific user
	OpPublicMessage  Opcode = 4  // public message
	OpPrivateMessage Opcode = 5  // private message
	OpUnknownUser    Opcode = 6  // unknown user
	OpPrivateAccept  Opcode = 7  // private connection acceptance
	OpPrivateRefuse  Opcode = 8  // private connection refusal
	OpConnectID      Opcode = 9  // unique connect id creation
	OpPresentID      Opcode = 10 // connect id transmission on a new TCP connection
	OpEstablished    Opcode = 11 // private connection established
)

// MaxOpcode is the highest opcode the document defines.
const MaxOpcode = OpEstablished

var opcodeNames = [...]string{
	OpLogin:          "LOGIN",
	OpLoginAccepted:  "LOGIN_ACCEPTED",
	OpLoginRefused:   "LOGIN_REFUSED",
	OpPrivateRequest: "PRIVATE_REQUEST",
	OpPublicMessage:  "PUBLIC_MESSAGE",
	OpPrivateMessage: "PRIVATE_MESSAGE",
	OpUnknownUser:    "UNKNOWN_USER",
	OpPrivateAccept:  "PRIVATE_ACCEPT",
	OpPrivateRefuse:  "PRIVATE_REFUSE",
	OpConnectID:      "CONNECT_ID",
	OpPresentID:      "PRESENT_ID",
	OpEstablished:    "ESTABLISHED",
}

// Known reports whether the document defines this opcode.
func (o Opcode) Known() bool { return o <= MaxOpcode }

// String gives the opcode's name and number, e.g. "PUBLIC_MESSAGE(4)".
func (o Opcode) String() string {
	if o.Known() {
		return fmt.Sprintf("%s(%d)", opcodeNames[o], uint8(o))
	}
	return fmt.Sprintf("UNKNOWN(%d)", uint8(o))
}

// Packet is one ChatOS packet. Every concrete type below satisfies it.
type Packet interface {
	Opcode() Opcode
	// appendFields appends the packet's fields (everything after the opcode).
	appendFields(b []byte) []byte
	// String describes the packet for transcripts and reports.
	String() string
}

// Login (0) asks the server for a nickname.
type Login struct{ Nick string }

// LoginAccepted (1) tells a client its nickname was accepted.
type LoginAccepted struct{ Nick string }

// LoginRefused (2) carries the refused nickname (reading A6).
type LoginRefused struct{ Nick string }

// PrivateRequest (3) asks To for a private connection on behalf of From.
type PrivateRequest struct{ From, To string }

// PublicMessage (4) is a message for every logged-in client.
type PublicMessage struct{ From, Text string }

// PrivateMessage (5) is a message routed by the server to To only.
type PrivateMessage struct{ From, To, Text string }

// UnknownUser (6) says a nickname could not be found; Name is either the
// missing nickname or the requester's own (reading A6).
type UnknownUser struct{ Name string }

// PrivateAccept (7) answers a PrivateRequest positively. Field order follows
// the request (requester, receiver): reading A11.
type PrivateAccept struct{ From, To string }

// PrivateRefuse (8) answers a PrivateRequest negatively (same order as 7).
type PrivateRefuse struct{ From, To string }

// ConnectID (9) gives both parties the id of their private connection.
type ConnectID struct {
	From, To string
	ID       int64
}

// PresentID (10) is sent first on a new TCP connection to claim a bridge.
type PresentID struct{ ID int64 }

// Established (11) says both sides presented the id: the bridge is open.
type Established struct{}

func (Login) Opcode() Opcode          { return OpLogin }
func (LoginAccepted) Opcode() Opcode  { return OpLoginAccepted }
func (LoginRefused) Opcode() Opcode   { return OpLoginRefused }
func (PrivateRequest) Opcode() Opcode { return OpPrivateRequest }
func (PublicMessage) Opcode() Opcode  { return OpPublicMessage }
func (PrivateMessage) Opcode() Opcode { return OpPrivateMessage }
func (UnknownUser) Opcode() Opcode    { return OpUnknownUser }
func (PrivateAccept) Opcode() Opcode  { return OpPrivateAccept }
func (PrivateRefuse) Opcode() Opcode  { return OpPrivateRefuse }
func (ConnectID) Opcode() Opcode      { return OpConnectID }
func (PresentID) Opcode() Opcode      { return OpPresentID }
func (Established) Opcode() Opcode    { return OpEstablished }

func (p Login) appendFields(b []byte) []byte          { return AppendString(b, p.Nick) }
func (p LoginAccepted) appendFields(b []byte) []byte  { return AppendString(b, p.Nick) }
func (p LoginRefused) appendFields(b []byte) []byte   { return AppendString(b, p.Nick) }
func (p UnknownUser) appendFields(b []byte) []byte    { return AppendString(b, p.Name) }
func (p PrivateRequest) appendFields(b []byte) []byte { return appendPair(b, p.From, p.To) }
func (p PrivateAccept) appendFields(b []byte) []byte  { return appendPair(b, p.From, p.To) }
func (p PrivateRefuse) appendFields(b []byte) []byte  { return appendPair(b, p.From, p.To) }
func (p PublicMessage) appendFields(b []byte) []byte  { return appendPair(b, p.From, p.Text) }
func (p PrivateMessage) appendFields(b []byte) []byte {
	return AppendString(appendPair(b, p.From, p.To), p.Text)
}
func (p ConnectID) appendFields(b []byte) []byte {
	return AppendLong(appendPair(b, p.From, p.To), p.ID)
}
func (p PresentID) appendFields(b []byte) []byte { return AppendLong(b, p.ID) }
func (Established) appendFields(b []byte) []byte { return b }

func appendPair(b []byte, x, y string) []byte { return AppendString(AppendString(b, x), y) }

func (p Login) String() string         { return fmt.Sprintf("LOGIN(0) nick=%q", p.Nick) }
func (p LoginAccepted) String() string { return fmt.Sprintf("LOGIN_ACCEPTED(1) nick=%q", p.Nick) }
func (p LoginRefused) String() string  { return fmt.Sprintf("LOGIN_REFUSED(2) nick=%q", p.Nick) }
func (p UnknownUser) String() string   { return fmt.Sprintf("UNKNOWN_USER(6) name=%q", p.Name) }
func (p PrivateRequest) String() string {
	return fmt.Sprintf("PRIVATE_REQUEST(3) from=%q to=%q", p.From, p.To)
}
func (p PrivateAccept) String() string {
	return fmt.Sprintf("PRIVATE_ACCEPT(7) from=%q to=%q", p.From, p.To)
}
func (p PrivateRefuse) String() string {
	return fmt.Sprintf("PRIVATE_REFUSE(8) from=%q to=%q", p.From, p.To)
}
func (p PublicMessage) String() string {
	return fmt.Sprintf("PUBLIC_MESSAGE(4) from=%q text=%q", p.From, p.Text)
}
func (p PrivateMessage) String() string {
	return fmt.Sprintf("PRIVATE_MESSAGE(5) from=%q to=%q text=%q", p.From, p.To, p.Text)
}
func (p ConnectID) String() string {
	return fmt.Sprintf("CONNECT_ID(9) from=%q to=%q id=%d", p.From, p.To, p.ID)
}
func (p PresentID) String() string { return fmt.Sprintf("PRESENT_ID(10) id=%d", p.ID) }
func (Established) String() string { return "ESTABLISHED(11)" }
