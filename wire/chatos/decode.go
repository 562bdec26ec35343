package chatos

import (
	"encoding/binary"
	"unicode/utf8"
)

// DefaultMaxString is the default cap on one String's byte length. A legal
// message is at most 512 code points (2048 bytes of UTF-8); the cap leaves
// room for a server's longer nicknames while bounding what a peer can make
// us hold.
const DefaultMaxString = 8192

// fieldKind is the wire type of one field.
type fieldKind uint8

const (
	kString fieldKind = iota
	kLong
)

type field struct {
	name string
	kind fieldKind
}

var (
	fNick = field{"nickname", kString}
	fName = field{"sender", kString}
	fFrom = field{"sender login", kString}
	fTo   = field{"receiver login", kString}
	fText = field{"message", kString}
	fID   = field{"id", kLong}
)

// layouts gives the fields of each opcode, in wire order (COP 3.4 to 3.7).
var layouts = [...][]field{
	OpLogin:          {fNick},
	OpLoginAccepted:  {fNick},
	OpLoginRefused:   {fNick},
	OpPrivateRequest: {fFrom, fTo},
	OpPublicMessage:  {fFrom, fText},
	OpPrivateMessage: {fFrom, fTo, fText},
	OpUnknownUser:    {fName},
	OpPrivateAccept:  {fFrom, fTo},
	OpPrivateRefuse:  {fFrom, fTo},
	OpConnectID:      {fFrom, fTo, fID},
	OpPresentID:      {fID},
	OpEstablished:    {},
}

// MaxFrame is the largest frame possible when Strings are capped at maxString.
func MaxFrame(maxString int) int { return 1 + 3*(4+maxString) + 8 }

// Decode decodes exactly one frame. It fails with ErrTruncated when frame is
// short and ErrTrailingBytes when it is long.
func Decode(frame []byte, maxString int) (Packet, error) {
	p, n, err := parse(frame, maxString)
	if err == errShort {
		return nil, &FrameError{Op: Opcode(frame0(frame)), Err: ErrTruncated}
	}
	if err != nil {
		return nil, err
	}
	if n != len(frame) {
		return nil, &FrameError{Op: p.Opcode(), Offset: n, Err: ErrTrailingBytes}
	}
	return p, nil
}

func frame0(b []byte) byte {
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// parse decodes the frame at the start of b. It returns errShort when b holds
// only a prefix of a valid frame. Lengths are checked against maxString as
// soon as they are visible, so a hostile length costs nothing.
func parse(b []byte, maxString int) (Packet, int, error) {
	if len(b) == 0 {
		return nil, 0, errShort
	}
	op := Opcode(b[0])
	if !op.Known() {
		return nil, 0, &FrameError{Op: op, Err: ErrUnknownOpcode}
	}
	var strs [3]string
	var id int64
	ns, off := 0, 1
	for _, f := range layouts[op] {
		switch f.kind {
		case kLong:
			if len(b) < off+8 {
				return nil, 0, errShort
			}
			id = int64(binary.BigEndian.Uint64(b[off:]))
			off += 8
		case kString:
			s, next, err := parseString(b, off, maxString)
			if err != nil {
				if fe, ok := err.(*FrameError); ok {
					fe.Op, fe.Field = op, f.name
				}
				return nil, 0, err
			}
			strs[ns], ns, off = s, ns+1, next
		}
	}
	return build(op, strs, id), off, nil
}

func parseString(b []byte, off, maxString int) (string, int, error) {
	if len(b) < off+4 {
		return "", 0, errShort
	}
	n := int64(int32(binary.BigEndian.Uint32(b[off:])))
	switch {
	case n < 0:
		return "", 0, &FrameError{Offset: off, Length: n, Err: ErrNegativeLength}
	case n > int64(maxString):
		return "", 0, &FrameError{Offset: off, Length: n, Err: ErrFrameTooLarge}
	}
	start := off + 4
	if int64(len(b)-start) < n {
		return "", 0, errShort
	}
	raw := b[start : start+int(n)]
	if !utf8.Valid(raw) {
		return "", 0, &FrameError{Offset: off, Err: ErrInvalidUTF8}
	}
	return string(raw), start + int(n), nil
}

func build(op Opcode, s [3]string, id int64) Packet {
	switch op {
	case OpLogin:
		return Login{Nick: s[0]}
	case OpLoginAccepted:
		return LoginAccepted{Nick: s[0]}
	case OpLoginRefused:
		return LoginRefused{Nick: s[0]}
	case OpPrivateRequest:
		return PrivateRequest{From: s[0], To: s[1]}
	case OpPublicMessage:
		return PublicMessage{From: s[0], Text: s[1]}
	case OpPrivateMessage:
		return PrivateMessage{From: s[0], To: s[1], Text: s[2]}
	case OpUnknownUser:
		return UnknownUser{Name: s[0]}
	case OpPrivateAccept:
		return PrivateAccept{From: s[0], To: s[1]}
	case OpPrivateRefuse:
		return PrivateRefuse{From: s[0], To: s[1]}
	case OpConnectID:
		return ConnectID{From: s[0], To: s[1], ID: id}
	case OpPresentID:
		return PresentID{ID: id}
	default:
		return Established{}
	}
}
