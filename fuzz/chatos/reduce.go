package chatos

import (
	"encoding/binary"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// span is where one well-formed frame sits in a step's data, and its strings.
type span struct {
	start, end int
	strs       [][2]int // [length field offset, end of string] per String
}

// splitFrames finds the well-formed frames at the start of data (lengths
// honest, within data). It stops at the first one that is not.
func splitFrames(data []byte) []span {
	var out []span
	for off := 0; off < len(data); {
		sp, ok := frameAt(data, off)
		if !ok {
			break
		}
		out = append(out, sp)
		off = sp.end
	}
	return out
}

func frameAt(data []byte, off int) (span, bool) {
	layout, ok := wire.LayoutOf(wire.Opcode(data[off]))
	if !ok {
		return span{}, false
	}
	sp := span{start: off}
	pos := off + 1
	for _, f := range layout.Fields {
		if f.Kind == wire.KindLong {
			pos += 8
			if pos > len(data) {
				return span{}, false
			}
			continue
		}
		if pos+4 > len(data) {
			return span{}, false
		}
		n := int(int32(binary.BigEndian.Uint32(data[pos:])))
		if n < 0 || pos+4+n > len(data) {
			return span{}, false
		}
		sp.strs = append(sp.strs, [2]int{pos, pos + 4 + n})
		pos += 4 + n
	}
	sp.end = pos
	return sp, true
}

// reduce proposes smaller versions of a step: each well-formed frame
// removed, then each String emptied or cut to one byte, lengths kept honest.
func reduce(data []byte) [][]byte {
	frames := splitFrames(data)
	var out [][]byte
	if len(frames) > 1 {
		for _, f := range frames {
			out = append(out, splice(data, f.start, f.end, nil))
		}
	}
	for _, f := range frames {
		for _, s := range f.strs {
			if s[1]-s[0] > 4 {
				out = append(out, shortString(data, s, 0))
			}
			if s[1]-s[0] > 5 {
				out = append(out, shortString(data, s, 1))
			}
		}
	}
	return out
}

// shortString rewrites the String at s to keep only its first n bytes.
func shortString(data []byte, s [2]int, n int) []byte {
	field := wire.AppendString(nil, string(data[s[0]+4:s[0]+4+n]))
	return splice(data, s[0], s[1], field)
}

// splice returns a copy of data with data[lo:hi] replaced by mid.
func splice(data []byte, lo, hi int, mid []byte) []byte {
	out := make([]byte, 0, len(data)-(hi-lo)+len(mid))
	return append(append(append(out, data[:lo]...), mid...), data[hi:]...)
}
