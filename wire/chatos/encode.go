package chatos

import (
	"encoding/binary"
	"unicode/utf8"
)

// Encode returns the wire bytes of p. It refuses strings that are not valid
// UTF-8 (ErrInvalidUTF8); a conformance tool that must send such bytes builds
// the frame itself with AppendString, AppendInt and AppendLong.
func Encode(p Packet) ([]byte, error) {
	if err := validate(p); err != nil {
		return nil, err
	}
	return Append(nil, p), nil
}

// MustEncode is Encode for packets built from constants; it panics on an
// invalid packet, which is a programming error.
func MustEncode(p Packet) []byte {
	b, err := Encode(p)
	if err != nil {
		panic(err)
	}
	return b
}

// Append appends the wire bytes of p to b without validating it.
func Append(b []byte, p Packet) []byte {
	op, v := p.Opcode(), p.values()
	b = append(b, byte(op))
	for i, f := range layouts[op].Fields {
		if f.Kind == KindLong {
			b = AppendLong(b, v.id)
		} else {
			b = AppendString(b, v.strs[i])
		}
	}
	return b
}

// AppendInt appends a 4-byte big-endian signed Int.
func AppendInt(b []byte, v int32) []byte { return binary.BigEndian.AppendUint32(b, uint32(v)) }

// AppendLong appends an 8-byte big-endian signed Long.
func AppendLong(b []byte, v int64) []byte { return binary.BigEndian.AppendUint64(b, uint64(v)) }

// AppendString appends a String: its byte length as an Int, then its bytes.
// It does not check UTF-8, so it can also build deliberately invalid frames.
func AppendString(b []byte, s string) []byte {
	return append(AppendInt(b, int32(len(s))), s...)
}

// validate checks every String field of p for UTF-8 validity.
func validate(p Packet) error {
	for _, v := range Values(p) {
		if v.Kind == KindString && !utf8.ValidString(v.Str) {
			return &FrameError{Op: p.Opcode(), Field: v.Label, Err: ErrInvalidUTF8}
		}
	}
	return nil
}
