package chatos

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// fieldKind is the wire type of one field of a frame under construction.
type fieldKind uint8

const (
	kString fieldKind = iota
	kLong
	kRaw // bytes written as they are (garbage, a cut field)
)

// field is one field of a frame, kept apart so it can be mutated alone.
type field struct {
	kind   fieldKind
	data   string // string bytes or raw bytes (a string: generators share long ones, never copy them)
	long   int64
	length *int32 // a lying length prefix; nil means the true length
}

// frame is a ChatOS frame as fields, so generators can break one field and
// keep the rest valid.
type frame struct {
	op     byte
	fields []field
	cut    int // when > 0, only the first cut bytes are sent (truncation)
}

func str(s string) field    { return field{kind: kString, data: s} }
func long(v int64) field    { return field{kind: kLong, long: v} }
func raw(b []byte) field    { return field{kind: kRaw, data: string(b)} }
func op(o wire.Opcode) byte { return byte(o) }

// bytes encodes the frame, lies and cuts included.
func (f frame) bytes() []byte { return f.appendTo(nil) }

// size is the length of the frame's bytes before any cut.
func (f frame) size() int {
	n := 1
	for _, fl := range f.fields {
		switch fl.kind {
		case kString:
			n += 4 + len(fl.data)
		case kLong:
			n += 8
		default:
			n += len(fl.data)
		}
	}
	return n
}

// appendTo appends the frame's bytes to b (see bytes).
func (f frame) appendTo(b []byte) []byte {
	b = slices.Grow(b, f.size())
	start := len(b)
	b = append(b, f.op)
	for _, fl := range f.fields {
		switch fl.kind {
		case kString:
			n := int32(len(fl.data))
			if fl.length != nil {
				n = *fl.length
			}
			b = append(wire.AppendInt(b, n), fl.data...)
		case kLong:
			b = wire.AppendLong(b, fl.long)
		case kRaw:
			b = append(b, fl.data...)
		}
	}
	if f.cut > 0 && f.cut < len(b)-start {
		b = b[:start+f.cut]
	}
	return b
}

// fromPacket is p as a frame of separate fields, laid out by the wire codec's table.
func fromPacket(p wire.Packet) frame {
	f := frame{op: op(p.Opcode())}
	for _, v := range wire.Values(p) {
		if v.Kind == wire.KindLong {
			f.fields = append(f.fields, long(v.Long))
		} else {
			f.fields = append(f.fields, str(v.Str))
		}
	}
	return f
}

// Client frames, valid by construction.
func login(nick string) frame        { return fromPacket(wire.Login{Nick: nick}) }
func public(from, text string) frame { return fromPacket(wire.PublicMessage{From: from, Text: text}) }
func private(from, to, text string) frame {
	return fromPacket(wire.PrivateMessage{From: from, To: to, Text: text})
}
func request(from, to string) frame { return fromPacket(wire.PrivateRequest{From: from, To: to}) }
func present(id int64) frame        { return fromPacket(wire.PresentID{ID: id}) }
func answer(accept bool, from, to string) frame {
	if accept {
		return fromPacket(wire.PrivateAccept{From: from, To: to})
	}
	return fromPacket(wire.PrivateRefuse{From: from, To: to})
}

// lengths a length field is set to: the classic boundary values.
func lyingLength(r *rand.Rand, f frame, i int) int32 {
	trueLen := int32(len(f.fields[i].data))
	rest := int32(0)
	for _, fl := range f.fields[i:] {
		rest += int32(len(fl.data)) + 4
	}
	choices := []int32{-1, 0, trueLen - 1, trueLen + 1, rest + 1 + r.Int32N(64), math.MaxInt32,
		math.MinInt32, 1 << 16, 8193, int32(r.Uint32())}
	return choices[r.IntN(len(choices))]
}

// Hostile strings: short ones (invalid or overlong UTF-8, NUL, control
// bytes), and boundary lengths in ASCII or multi-byte characters.
var (
	nastySmall = []string{
		"\xff", "\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", // invalid, overlong
		"\xed\xa0\x80", "\xf4\x90\x80\x80", // surrogate, above U+10FFFF
		"\x00", "a\x00b", "\r\n", "\x1b[31m", "@", "@x", "", " ", "\u202e", "é", "😀",
	}
	nastyCounts = []int{511, 512, 513, 1024, 2048, 8192, 8193, 65536}
	nastyChars  = []string{"a", "é", "€", "😀"}
	nastyLong   = sync.OnceValue(repeats) // [char][count], built once and shared: up to 256 KiB each
)

// repeats builds every long hostile string.
func repeats() [][]string {
	out := make([][]string, len(nastyChars))
	for i, c := range nastyChars {
		for _, n := range nastyCounts {
			out[i] = append(out[i], strings.Repeat(c, n))
		}
	}
	return out
}

// nastyString returns a hostile string (see nastySmall, nastyCounts).
func nastyString(r *rand.Rand) string {
	if r.IntN(3) > 0 {
		return nastySmall[r.IntN(len(nastySmall))]
	}
	n := r.IntN(len(nastyCounts))
	if nastyCounts[n] > 8193 && r.IntN(2) == 0 {
		n = 1 + r.IntN(2) // 512 or 513: keep the huge ones rarer
	}
	return nastyLong()[r.IntN(len(nastyChars))][n]
}

// mutate breaks one thing in the frame, field by field.
func mutate(r *rand.Rand, f frame) (frame, string) {
	f.fields = append([]field(nil), f.fields...)
	strs := stringFields(f)
	switch pick := r.IntN(10); {
	case pick < 3 && len(strs) > 0:
		i := strs[r.IntN(len(strs))]
		n := lyingLength(r, f, i)
		f.fields[i].length = &n
		return f, "length field lies"
	case pick < 6 && len(strs) > 0:
		i := strs[r.IntN(len(strs))]
		f.fields[i].data = nastyString(r)
		return f, "hostile string"
	case pick < 7:
		f.op = badOpcode(r)
		return f, "unknown or server-only opcode"
	case pick < 8:
		f.cut = 1 + r.IntN(max(len(f.bytes())-1, 1))
		return f, "truncated frame"
	case pick < 9:
		f.fields = append(f.fields, raw(randomBytes(r, 1+r.IntN(16))))
		return f, "trailing garbage"
	default:
		if len(f.fields) > 0 {
			f.fields = f.fields[:r.IntN(len(f.fields))]
		}
		return f, "missing fields"
	}
}

// stringFields returns the indices of the frame's String fields.
func stringFields(f frame) []int {
	var out []int
	for i, fl := range f.fields {
		if fl.kind == kString {
			out = append(out, i)
		}
	}
	return out
}

// badOpcode is an opcode a client must not send: unknown, or server-only.
func badOpcode(r *rand.Rand) byte {
	var serverOnly []wire.Opcode
	for o := wire.Opcode(0); o <= wire.MaxOpcode; o++ {
		if l, _ := wire.LayoutOf(o); l.ServerOnly {
			serverOnly = append(serverOnly, o)
		}
	}
	if r.IntN(2) == 0 {
		return byte(serverOnly[r.IntN(len(serverOnly))])
	}
	return byte(12 + r.IntN(244))
}

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}
