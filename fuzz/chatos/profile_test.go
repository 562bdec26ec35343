package chatos

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// With answer-order reversed, every answer a case sends carries (answerer,
// requester); everything else stays the same case for the same seed.
func TestReversedAnswerOrderSwapsTheAnswersOnly(t *testing.T) {
	t.Parallel()
	answers := 0
	for i := range 300 {
		plain := fuzz.GenerateCase(New(), 1, i)
		rev := fuzz.GenerateCase(WithAnswerOrder(true), 1, i)
		require.Equal(t, len(plain.Conns), len(rev.Conns))
		for c := range plain.Conns {
			for j, s := range plain.Conns[c].Steps {
				r := rev.Conns[c].Steps[j]
				if string(s.Data) == string(r.Data) {
					continue
				}
				p, err := wire.Decode(s.Data, wire.DefaultMaxString)
				require.NoError(t, err, "case %d conn %d step %d (%s): only answers change", i, c, j, s.Note)
				q, err := wire.Decode(r.Data, wire.DefaultMaxString)
				require.NoError(t, err)
				require.Contains(t, []wire.Opcode{wire.OpPrivateAccept, wire.OpPrivateRefuse}, p.Opcode())
				pf, pt := fields(p)
				qf, qt := fields(q)
				assert.Equal(t, [2]string{pf, pt}, [2]string{qt, qf}, "case %d: the answer's fields swap", i)
				answers++
			}
		}
	}
	assert.Greater(t, answers, 10, "the walk answers requests")
}

func fields(p wire.Packet) (string, string) {
	switch p := p.(type) {
	case wire.PrivateAccept:
		return p.From, p.To
	case wire.PrivateRefuse:
		return p.From, p.To
	}
	return "", ""
}
