package patchat

import (
	"fmt"
	"testing"
)

// BenchmarkCoreSay measures routing one room message to 99 other members.
func BenchmarkCoreSay(b *testing.B) {
	c := NewCore(100, Faults{})
	for i := range 100 {
		id := SessionID(i + 1)
		c.Step(id, Connect{})
		c.Step(id, Login{User: fmt.Sprintf("u%d", i), PasswordOK: true})
	}
	b.ReportAllocs()
	for b.Loop() {
		if outs := c.Step(1, Say{Text: "hello"}); len(outs) != 100 {
			b.Fatalf("%d outputs", len(outs))
		}
	}
}
