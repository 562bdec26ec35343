package patchat

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/dialects"
	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

func TestSameSeedSameCases(t *testing.T) {
	t.Parallel()
	p := protocol(t)
	for i := range 50 {
		a, b := fuzz.GenerateCase(p, 42, i), fuzz.GenerateCase(p, 42, i)
		require.True(t, a.Equal(b), "case %d", i)
		assert.Equal(t, Name, a.Protocol)
	}
}

func TestGeneratorCoversTheBrief(t *testing.T) {
	t.Parallel()
	p := protocol(t)
	notes := map[string]bool{}
	var endless, manyConns, controls bool
	for i := range 1500 {
		c := fuzz.GenerateCase(p, 1, i)
		manyConns = manyConns || len(c.Conns) >= 10
		for _, cs := range c.Conns {
			for _, s := range cs.Steps {
				notes[s.Note] = true
				endless = endless || (len(s.Data) > 8192 && bytes.IndexByte(s.Data, '\n') < 0)
				controls = controls || bytes.ContainsAny(s.Data, "\x00\x1b")
				assert.False(t, s.Pause > 0 || s.Split, "no fixed waits, no byte-at-a-time writes")
			}
		}
	}
	for _, n := range []string{"register", "login", "create", "join", "leave", "rapid create", "junk line",
		"dripped", "rest, dripped", "end the long line, then list rooms"} {
		assert.True(t, notes[n], "no case does %q", n)
	}
	assert.True(t, endless && manyConns && controls)
}

func TestCommandsFollowTheDialect(t *testing.T) {
	t.Parallel()
	d, err := wire.Parse(mustDialect(t, "menu"), "menu.yaml")
	require.NoError(t, err)
	v := newVocabulary(d)
	got := string(v.render(wire.ActionCreate, map[string]string{"room": "foo"}, "\n"))
	assert.Equal(t, "/create\nfoo\n", got)
	ref := newVocabulary(protocol(t).d)
	assert.Equal(t, "c foo\n", string(ref.render(wire.ActionCreate, map[string]string{"room": "foo"}, "\n")))
	assert.Equal(t, "a{b} 1", fill("a{{b} {missing}", nil))
}

func mustDialect(t *testing.T, name string) []byte {
	b, err := dialects.Get(name)
	require.NoError(t, err)
	return b
}

func TestWatchWantsText(t *testing.T) {
	t.Parallel()
	w := &watch{}
	require.Nil(t, w.Feed([]byte("OK sent\r\n\té")[:11]), "a character cut by a read waits for the next")
	require.Nil(t, w.Feed([]byte{0xa9, '\n'}))
	assert.Nil(t, w.End())
	assert.Equal(t, "control-byte", (&watch{}).Feed([]byte("ERR no room \x1b[2J\n")).Token)
	assert.Equal(t, "control-byte", (&watch{}).Feed([]byte("x\x00")).Token)
	assert.Equal(t, "invalid-utf8", (&watch{}).Feed([]byte("bad \xff\n")).Token)
	cut := &watch{}
	require.Nil(t, cut.Feed([]byte{'a', 0xe2, 0x82}))
	assert.Equal(t, "invalid-utf8", cut.End().Token)
}

func TestReduceLines(t *testing.T) {
	t.Parallel()
	data := []byte("register a b\nc " + string(bytes.Repeat([]byte{'y'}, 40)) + "\nl\n")
	cands := reduceLines(data)
	assert.Contains(t, cands, []byte("c "+string(bytes.Repeat([]byte{'y'}, 40))+"\nl\n"))
	for _, c := range cands {
		assert.Less(t, len(c), len(data))
	}
}

func TestProbeAgainstReference(t *testing.T) {
	t.Parallel()
	tg := inProcess(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	p := protocol(t)
	require.NoError(t, p.Probe(ctx, tg.Addr()))
	require.NoError(t, tg.Close())
	assert.ErrorIs(t, p.Probe(ctx, tg.Addr()), fuzz.ErrProbeRefused)
}
