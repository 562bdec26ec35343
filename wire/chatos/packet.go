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

// Known reports whether the document defines this opcode.
func (o Opcode) Known() bool { return o <= MaxOpcode }

// String gives the opcode's name and number, e.g. "PUBLIC_MESSAGE(4)".
func (o Opcode) String() string {
	if o.Known() {
		return fmt.Sprintf("%s(%d)", layouts[o].Name, uint8(o))
	}
	return fmt.Sprintf("UNKNOWN(%d)", uint8(o))
}

// Packet is one ChatOS packet. Every concrete type below satisfies it.
type Packet interface {
	Opcode() Opcode
	// values gives the packet's fields in the order of its Layout.
	values() values
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

func (p Login) values() values          { return values{strs: [3]string{p.Nick}} }
func (p LoginAccepted) values() values  { return values{strs: [3]string{p.Nick}} }
func (p LoginRefused) values() values   { return values{strs: [3]string{p.Nick}} }
func (p UnknownUser) values() values    { return values{strs: [3]string{p.Name}} }
func (p PrivateRequest) values() values { return values{strs: [3]string{p.From, p.To}} }
func (p PrivateAccept) values() values  { return values{strs: [3]string{p.From, p.To}} }
func (p PrivateRefuse) values() values  { return values{strs: [3]string{p.From, p.To}} }
func (p PublicMessage) values() values  { return values{strs: [3]string{p.From, p.Text}} }
func (p PrivateMessage) values() values { return values{strs: [3]string{p.From, p.To, p.Text}} }
func (p ConnectID) values() values      { return values{strs: [3]string{p.From, p.To}, id: p.ID} }
func (p PresentID) values() values      { return values{id: p.ID} }
func (Established) values() values      { return values{} }

func (p Login) String() string          { return describe(p) }
func (p LoginAccepted) String() string  { return describe(p) }
func (p LoginRefused) String() string   { return describe(p) }
func (p UnknownUser) String() string    { return describe(p) }
func (p PrivateRequest) String() string { return describe(p) }
func (p PrivateAccept) String() string  { return describe(p) }
func (p PrivateRefuse) String() string  { return describe(p) }
func (p PublicMessage) String() string  { return describe(p) }
func (p PrivateMessage) String() string { return describe(p) }
func (p ConnectID) String() string      { return describe(p) }
func (p PresentID) String() string      { return describe(p) }
func (p Established) String() string    { return describe(p) }
