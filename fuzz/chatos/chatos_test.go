package chatos

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

func TestSameSeedSameCases(t *testing.T) {
	t.Parallel()
	for i := range 50 {
		a, b := fuzz.GenerateCase(New(), 42, i), fuzz.GenerateCase(New(), 42, i)
		require.True(t, a.Equal(b), "case %d", i)
		assert.Equal(t, Name, a.Protocol)
	}
	assert.False(t, fuzz.GenerateCase(New(), 42, 0).Equal(fuzz.GenerateCase(New(), 43, 0)))
}

func TestGeneratorCoversTheBrief(t *testing.T) {
	t.Parallel()
	notes := map[string]bool{}
	var bridged, dripped, paused bool
	for i := range 4000 {
		c := fuzz.GenerateCase(New(), 1, i)
		for _, cs := range c.Conns {
			for _, s := range cs.Steps {
				notes[s.Note] = true
				bridged = bridged || (s.Fill != nil && s.Fill.Var == VarConnectID)
				dripped, paused = dripped || len(s.Chunks) > 0, paused || s.Pause > 0 || s.Split
			}
		}
	}
	for _, n := range []string{"length field lies", "hostile string", "unknown or server-only opcode",
		"truncated frame", "out of state: before login", "answer a pending request", "raw bytes over the bridge",
		"dripped", "four frames in one write", "cut short", "rest once b was answered",
		"rest once the server answered"} {
		assert.True(t, notes[n], "no case does %q", n)
	}
	assert.True(t, bridged && dripped)
	assert.False(t, paused, "no fixed waits, no byte-at-a-time writes")
}

func TestWatchDecodesAcrossReadsAndFlagsGarbage(t *testing.T) {
	t.Parallel()
	w := newWatch()
	frame := wire.MustEncode(wire.ConnectID{From: "a", To: "b", ID: 0x0102030405060708})
	for _, b := range frame {
		require.Nil(t, w.Feed([]byte{b}))
	}
	id, ok := w.Value(VarConnectID)
	require.True(t, ok)
	assert.Equal(t, []byte{1, 2, 3, 4, 5, 6, 7, 8}, id)

	v := newWatch().Feed([]byte{0x42})
	require.NotNil(t, v)
	assert.Equal(t, "unknown-opcode", v.Token)

	bad := wire.AppendString([]byte{byte(wire.OpLoginAccepted)}, "\xff")
	assert.Equal(t, "invalid-utf8", newWatch().Feed(bad).Token)

	cut := newWatch()
	require.Nil(t, cut.Feed(frame[:5]))
	assert.Equal(t, "truncated", cut.End().Token)
}

func TestWatchStopsDecodingOnceBridged(t *testing.T) {
	t.Parallel()
	w := newWatch()
	require.Nil(t, w.Feed(append(wire.MustEncode(wire.Established{}), 0xff, 0x42)))
	assert.Nil(t, w.Feed([]byte{0xff}), "raw bridge bytes are not frames (A10)")
	assert.Nil(t, w.End())
}

func TestReduceKeepsLengthsHonest(t *testing.T) {
	t.Parallel()
	data := append(wire.MustEncode(wire.Login{Nick: "alice"}),
		wire.MustEncode(wire.PrivateMessage{From: "alice", To: "", Text: "hello"})...)
	cands := reduce(data)
	require.NotEmpty(t, cands)
	for _, c := range cands {
		assert.Less(t, len(c), len(data))
		n := decodeAll(t, c)
		assert.Contains(t, []int{1, 2}, n, "a candidate drops at most one of the 2 frames: %x", c)
		assert.Equal(t, len(c), frameEnd(splitFrames(c)), "every candidate is whole frames: %x", c)
	}
}

// decodeAll decodes data with the wire codec (not the fuzzer's own frame
// model), requires it to be whole valid frames, and returns how many.
func decodeAll(t *testing.T, data []byte) int {
	t.Helper()
	r := wire.NewReader(bytes.NewReader(data), 0)
	for n := 0; ; n++ {
		_, _, err := r.Next()
		if errors.Is(err, io.EOF) && len(r.Buffered()) == 0 {
			return n
		}
		require.NoError(t, err, "frame %d of %x", n, data)
	}
}

func frameEnd(s []span) int {
	if len(s) == 0 {
		return 0
	}
	return s[len(s)-1].end
}

func TestProbeAgainstReference(t *testing.T) {
	t.Parallel()
	tg := inProcess(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, New().Probe(ctx, tg.Addr()))
	require.NoError(t, tg.Close())
	err := New().Probe(ctx, tg.Addr())
	assert.ErrorIs(t, err, fuzz.ErrProbeRefused)
	assert.Equal(t, fuzz.KindCrash, fuzz.ClassifyProbe(err).Kind)
}
