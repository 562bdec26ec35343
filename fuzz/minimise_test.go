package fuzz

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

// needsXY fails when some connection sends 'X' and a later one sends 'Y'.
func needsXY(c Case) bool {
	x := -1
	for i, cs := range c.Conns {
		for _, s := range cs.Steps {
			if x < 0 && bytes.IndexByte(s.Data, 'X') >= 0 {
				x = i
			}
			if x >= 0 && i > x && bytes.IndexByte(s.Data, 'Y') >= 0 {
				return true
			}
		}
	}
	return false
}

func bigCase() Case {
	b := NewBuilder("test")
	for i := range 6 {
		c := b.Conn()
		for j := range 5 {
			data := bytes.Repeat([]byte{'.'}, 50)
			if i == 2 && j == 3 {
				data[17] = 'X'
			}
			if i == 4 && j == 1 {
				data[40] = 'Y'
			}
			b.Send(c, Step{Data: data, Split: j == 0})
		}
	}
	return b.Case()
}

func TestMinimiseShrinksToTheEssential(t *testing.T) {
	c := bigCase()
	tests := 0
	small := Minimise(c, func(c Case) bool { tests++; return needsXY(c) })
	assert.True(t, needsXY(small))
	assert.Len(t, small.Conns, 2)
	assert.Equal(t, 2, small.Size(), "one X and one Y")
	for _, cs := range small.Conns {
		for _, s := range cs.Steps {
			assert.False(t, s.Split)
		}
	}
	assert.True(t, needsXY(c), "the original is not modified")
	assert.Equal(t, 6, len(c.Conns))
	t.Logf("%d tests", tests)
}

func TestMinimiseRespectsBudget(t *testing.T) {
	tests := 0
	small := MinimiseWith(bigCase(), func(c Case) bool { tests++; return needsXY(c) }, MinimiseOptions{MaxTests: 10})
	assert.LessOrEqual(t, tests, 10)
	assert.True(t, needsXY(small))
}

func TestMinimiseUsesReducers(t *testing.T) {
	// A "length-prefixed" step: byte 0 is the length of the rest; only a
	// reducer that keeps it honest can shrink it.
	honest := func(d []byte) bool { return len(d) > 0 && int(d[0]) == len(d)-1 }
	c := Case{Conns: []ConnScript{{Steps: []Step{{Data: append([]byte{8}, "abcdZefg"...)}}}}}
	fails := func(c Case) bool {
		if len(c.Conns) != 1 || len(c.Conns[0].Steps) != 1 {
			return false
		}
		d := c.Conns[0].Steps[0].Data
		return honest(d) && bytes.IndexByte(d, 'Z') > 0
	}
	halve := func(d []byte) [][]byte {
		var out [][]byte
		for i := 1; i < len(d); i++ {
			rest := append(append([]byte(nil), d[1:i]...), d[i+1:]...)
			out = append(out, append([]byte{byte(len(rest))}, rest...))
		}
		return out
	}
	small := MinimiseWith(c, fails, MinimiseOptions{Reducers: []Reducer{halve}})
	assert.Equal(t, []byte{1, 'Z'}, small.Conns[0].Steps[0].Data)
}

func TestKeepConnsRenumbersFills(t *testing.T) {
	c := Case{Conns: []ConnScript{
		{Steps: []Step{{Data: []byte("a")}}},
		{Steps: []Step{{Data: []byte("b")}}},
		{Steps: []Step{{Data: []byte("c"), Fill: &Fill{Var: "v", Conn: 1}}, {Data: []byte("d"), Fill: &Fill{Var: "v", Conn: 0}}}},
	}}
	out := keepConns(c, []int{1, 2})
	assert.Equal(t, 0, out.Conns[1].Steps[0].Fill.Conn, "conn 1 became conn 0")
	assert.Nil(t, out.Conns[1].Steps[1].Fill, "a fill from a removed connection is dropped")
	assert.Equal(t, 1, c.Conns[2].Steps[0].Fill.Conn, "the original keeps its numbering")
}

func TestDdminFindsSingleElement(t *testing.T) {
	keep := ddmin(100, func() bool { return true }, func(k []int) bool {
		for _, i := range k {
			if i == 63 {
				return true
			}
		}
		return false
	})
	assert.Equal(t, []int{63}, keep)
}
