package chatos

import "strconv"

// Kind is the wire type of one field of a packet.
type Kind uint8

// The two field types of COP 3.1 (an Int appears only as a String's length).
const (
	KindString Kind = iota // Int byte length, then UTF-8 bytes
	KindLong               // 8 signed bytes, big-endian (reading A3)
)

// Field is one field of a packet layout.
type Field struct {
	Key   string // short name, used in String(): "from"
	Label string // the document's label, used in decoding errors: "sender login"
	Kind  Kind
}

// Layout is everything chatspec knows of one opcode's packet: its name, its
// fields in wire order (COP 3.4 to 3.7), and whether only a server sends it.
// The codec, the packets' String and the fuzzer's frame model all read it.
type Layout struct {
	Name       string
	Fields     []Field
	ServerOnly bool // a client sending it is misbehaving (COP 5)
	make       func(values) Packet
}

// values are a packet's field values in layout order: its Strings, then its Long.
type values struct {
	strs [3]string
	id   int64
}

var (
	fNick = Field{"nick", "nickname", KindString}
	fName = Field{"name", "sender", KindString}
	fFrom = Field{"from", "sender login", KindString}
	fTo   = Field{"to", "receiver login", KindString}
	fText = Field{"text", "message", KindString}
	fID   = Field{"id", "id", KindLong}
)

// layouts is the one table of ChatOS packets, indexed by opcode.
var layouts = [...]Layout{
	OpLogin: {"LOGIN", []Field{fNick}, false, func(v values) Packet { return Login{v.strs[0]} }},
	OpLoginAccepted: {"LOGIN_ACCEPTED", []Field{fNick}, true,
		func(v values) Packet { return LoginAccepted{v.strs[0]} }},
	OpLoginRefused: {"LOGIN_REFUSED", []Field{fNick}, true,
		func(v values) Packet { return LoginRefused{v.strs[0]} }},
	OpPrivateRequest: {"PRIVATE_REQUEST", []Field{fFrom, fTo}, false,
		func(v values) Packet { return PrivateRequest{v.strs[0], v.strs[1]} }},
	OpPublicMessage: {"PUBLIC_MESSAGE", []Field{fFrom, fText}, false,
		func(v values) Packet { return PublicMessage{v.strs[0], v.strs[1]} }},
	OpPrivateMessage: {"PRIVATE_MESSAGE", []Field{fFrom, fTo, fText}, false,
		func(v values) Packet { return PrivateMessage{v.strs[0], v.strs[1], v.strs[2]} }},
	OpUnknownUser: {"UNKNOWN_USER", []Field{fName}, true,
		func(v values) Packet { return UnknownUser{v.strs[0]} }},
	OpPrivateAccept: {"PRIVATE_ACCEPT", []Field{fFrom, fTo}, false,
		func(v values) Packet { return PrivateAccept{v.strs[0], v.strs[1]} }},
	OpPrivateRefuse: {"PRIVATE_REFUSE", []Field{fFrom, fTo}, false,
		func(v values) Packet { return PrivateRefuse{v.strs[0], v.strs[1]} }},
	OpConnectID: {"CONNECT_ID", []Field{fFrom, fTo, fID}, true,
		func(v values) Packet { return ConnectID{v.strs[0], v.strs[1], v.id} }},
	OpPresentID:   {"PRESENT_ID", []Field{fID}, false, func(v values) Packet { return PresentID{v.id} }},
	OpEstablished: {"ESTABLISHED", nil, true, func(values) Packet { return Established{} }},
}

// LayoutOf returns the layout of op; ok is false for an opcode the document
// does not define.
func LayoutOf(op Opcode) (Layout, bool) {
	if !op.Known() {
		return Layout{}, false
	}
	return layouts[op], true
}

// Value is one field of a packet with its value.
type Value struct {
	Field
	Str  string // for KindString
	Long int64  // for KindLong
}

// Values lists the fields of p with their values, in wire order.
func Values(p Packet) []Value {
	v := p.values()
	fields := layouts[p.Opcode()].Fields
	out := make([]Value, len(fields))
	for i, f := range fields {
		out[i] = Value{Field: f, Long: v.id}
		if f.Kind == KindString {
			out[i].Str = v.strs[i]
		}
	}
	return out
}

// describe is every packet's String: "PRIVATE_MESSAGE(5) from="a" to="b" text="hi"".
// Transcripts call it for every packet received, so it avoids fmt.
func describe(p Packet) string {
	op, v := p.Opcode(), p.values()
	b := make([]byte, 0, 48)
	b = append(append(b, layouts[op].Name...), '(')
	b = append(strconv.AppendUint(b, uint64(op), 10), ')')
	for i, f := range layouts[op].Fields {
		b = append(append(append(b, ' '), f.Key...), '=')
		if f.Kind == KindLong {
			b = strconv.AppendInt(b, v.id, 10)
		} else {
			b = strconv.AppendQuote(b, v.strs[i])
		}
	}
	return string(b)
}
