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
	var v values
	ns, off := 0, 1
	for _, f := range layouts[op].Fields {
		if f.Kind == KindLong {
			if len(b) < off+8 {
				return nil, 0, errShort
			}
			v.id = int64(binary.BigEndian.Uint64(b[off:]))
			off += 8
			continue
		}
		s, next, err := parseString(b, off, maxString)
		if err != nil {
			if fe, ok := err.(*FrameError); ok {
				fe.Op, fe.Field = op, f.Label
			}
			return nil, 0, err
		}
		v.strs[ns], ns, off = s, ns+1, next
	}
	return layouts[op].make(v), off, nil
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
