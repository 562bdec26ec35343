package chatos

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// golden pairs each packet with its bytes, written by hand from the tables of
// COP 3.4 to 3.7: opcode byte, then Int lengths and UTF-8, Long last.
var golden = []struct {
	name string
	pkt  Packet
	hex  string
}{
	{"login", Login{"bob"}, "00" + "00000003" + "626f62"},
	{"login accepted", LoginAccepted{"bob"}, "01" + "00000003" + "626f62"},
	{"login refused", LoginRefused{"bob"}, "02" + "00000003" + "626f62"},
	{"private request", PrivateRequest{"al", "bob"}, "03" + "00000002" + "616c" + "00000003" + "626f62"},
	{"public message", PublicMessage{"al", "hé"}, "04" + "00000002" + "616c" + "00000003" + "68c3a9"},
	{"private message", PrivateMessage{"al", "bob", "hi"}, "05" + "00000002" + "616c" + "00000003" + "626f62" + "00000002" + "6869"},
	{"unknown user", UnknownUser{"zed"}, "06" + "00000003" + "7a6564"},
	{"private accept", PrivateAccept{"al", "bob"}, "07" + "00000002" + "616c" + "00000003" + "626f62"},
	{"private refuse", PrivateRefuse{"al", "bob"}, "08" + "00000002" + "616c" + "00000003" + "626f62"},
	{"connect id", ConnectID{"al", "bob", 0x0102030405060708}, "09" + "00000002" + "616c" + "00000003" + "626f62" + "0102030405060708"},
	{"connect id negative", ConnectID{"a", "b", -2}, "09" + "00000001" + "61" + "00000001" + "62" + "fffffffffffffffe"},
	{"present id", PresentID{42}, "0a" + "000000000000002a"},
	{"established", Established{}, "0b"},
	{"empty nickname", Login{""}, "00" + "00000000"},
}

func TestGoldenEncode(t *testing.T) {
	for _, g := range golden {
		t.Run(g.name, func(t *testing.T) {
			b, err := Encode(g.pkt)
			require.NoError(t, err)
			assert.Equal(t, g.hex, hex.EncodeToString(b))
		})
	}
}

func TestGoldenDecode(t *testing.T) {
	for _, g := range golden {
		t.Run(g.name, func(t *testing.T) {
			b, err := hex.DecodeString(g.hex)
			require.NoError(t, err)
			p, err := Decode(b, 0+DefaultMaxString)
			require.NoError(t, err)
			assert.Equal(t, g.pkt, p)
		})
	}
}

func TestEveryOpcodeHasAGoldenVector(t *testing.T) {
	seen := map[Opcode]bool{}
	for _, g := range golden {
		seen[g.pkt.Opcode()] = true
	}
	for op := Opcode(0); op <= MaxOpcode; op++ {
		assert.True(t, seen[op], "no golden vector for %v", op)
	}
}

func allGolden(t *testing.T) ([]byte, []Packet) {
	var stream []byte
	var want []Packet
	for _, g := range golden {
		b, err := hex.DecodeString(g.hex)
		require.NoError(t, err)
		stream = append(stream, b...)
		want = append(want, g.pkt)
	}
	return stream, want
}

func readAll(t *testing.T, r *Reader) []Packet {
	var got []Packet
	for {
		p, _, err := r.Next()
		if errors.Is(err, io.EOF) {
			return got
		}
		require.NoError(t, err)
		got = append(got, p)
	}
}

func TestReaderByteAtATime(t *testing.T) {
	stream, want := allGolden(t)
	r := NewReader(iotest.OneByteReader(bytes.NewReader(stream)), 0)
	assert.Equal(t, want, readAll(t, r))
}

func TestReaderCoalesced(t *testing.T) {
	stream, want := allGolden(t)
	r := NewReader(bytes.NewReader(stream), 0)
	assert.Equal(t, want, readAll(t, r))
}

func TestReaderEverySplitPoint(t *testing.T) {
	stream, want := allGolden(t)
	for cut := 1; cut < len(stream); cut++ {
		src := io.MultiReader(bytes.NewReader(stream[:cut]), bytes.NewReader(stream[cut:]))
		assert.Equal(t, want, readAll(t, NewReader(src, 0)), "split at %d", cut)
	}
}

// countingReader counts the bytes handed out, to prove the reader does not try
// to read (and so never buffers) an announced 2 GiB body.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func TestReaderHugeLengthCostsNothing(t *testing.T) {
	// 2 GiB - 1 announced, followed by an endless source of bytes.
	head := []byte{0x04, 0x7f, 0xff, 0xff, 0xff}
	src := &countingReader{r: io.MultiReader(bytes.NewReader(head), zeros{})}
	r := NewReader(src, 0)
	_, _, err := r.Next()
	require.ErrorIs(t, err, ErrFrameTooLarge)
	var fe *FrameError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, int64(1<<31-1), fe.Length)
	assert.Equal(t, "sender login", fe.Field)
	assert.LessOrEqual(t, src.n, readChunk, "read past the length field")
	assert.LessOrEqual(t, cap(r.buf), 2*readChunk)
	_, _, err2 := r.Next()
	assert.ErrorIs(t, err2, ErrFrameTooLarge, "decoding errors are sticky")
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		name string
		hex  string
		want error
	}{
		{"unknown opcode", "0c", ErrUnknownOpcode},
		{"opcode 255", "ff00000000", ErrUnknownOpcode},
		{"negative length", "00ffffffff", ErrNegativeLength},
		{"over cap", "0000002001", ErrFrameTooLarge},
		{"invalid utf8", "0000000002c328", ErrInvalidUTF8},
		{"overlong encoding", "0000000002c0af", ErrInvalidUTF8},
		{"truncated", "00000000036162", ErrTruncated},
		{"trailing", "0b0b", ErrTrailingBytes},
		{"empty", "", ErrTruncated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := hex.DecodeString(c.hex)
			require.NoError(t, err)
			_, err = Decode(b, DefaultMaxString)
			assert.ErrorIs(t, err, c.want)
			assert.NotEqual(t, "other", Token(err))
		})
	}
}

func TestReaderTruncatedAtEOF(t *testing.T) {
	r := NewReader(strings.NewReader("\x04\x00\x00\x00\x05ab"), 0)
	_, _, err := r.Next()
	assert.ErrorIs(t, err, ErrTruncated)
	assert.Equal(t, []byte("\x04\x00\x00\x00\x05ab"), r.Buffered())
}

func TestReaderRawAfterEstablished(t *testing.T) {
	r := NewReader(strings.NewReader("\x0bhello raw \xff bytes"), 0)
	p, _, err := r.Next()
	require.NoError(t, err)
	assert.Equal(t, Established{}, p)
	rest, err := io.ReadAll(r)
	require.NoError(t, err)
	assert.Equal(t, "hello raw \xff bytes", string(rest))
}

func TestEncodeRefusesInvalidUTF8(t *testing.T) {
	_, err := Encode(PublicMessage{From: "a", Text: "\xff"})
	assert.ErrorIs(t, err, ErrInvalidUTF8)
	// The raw builders can still write it, for negative tests.
	b := AppendString([]byte{4}, "a")
	b = AppendString(b, "\xff")
	_, err = Decode(b, DefaultMaxString)
	assert.ErrorIs(t, err, ErrInvalidUTF8)
}

func TestOpcodeString(t *testing.T) {
	assert.Equal(t, "PUBLIC_MESSAGE(4)", OpPublicMessage.String())
	assert.Equal(t, "UNKNOWN(12)", Opcode(12).String())
}

// FuzzDecode checks the decoder never panics, and that whatever it accepts
// re-encodes to exactly the bytes it consumed (unpack, pack, compare).
func FuzzDecode(f *testing.F) {
	for _, g := range golden {
		b, _ := hex.DecodeString(g.hex)
		f.Add(b)
	}
	f.Add([]byte{0x04, 0x7f, 0xff, 0xff, 0xff})
	f.Add([]byte{0x05, 0xff, 0xff, 0xff, 0xff})
	f.Add([]byte{0x0c})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data), 64)
		consumed := 0
		for {
			p, raw, err := r.Next()
			if err != nil {
				return
			}
			if !bytes.Equal(raw, data[consumed:consumed+len(raw)]) {
				t.Fatalf("raw bytes do not match the input at %d", consumed)
			}
			consumed += len(raw)
			again, err := Encode(p)
			if err != nil {
				t.Fatalf("decoded packet does not encode: %v", err)
			}
			if !bytes.Equal(again, raw) {
				t.Fatalf("round trip: %x became %x", raw, again)
			}
		}
	})
}

func BenchmarkDecodePublicMessage(b *testing.B) {
	frame := MustEncode(PublicMessage{From: "alice", Text: strings.Repeat("é", 256)})
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(frame, DefaultMaxString); err != nil {
			b.Fatal(err)
		}
	}
}
