package chatos

import (
	"bytes"
	"strings"
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
				if string(s.Data) == string(r.Data) || s.Note == "rest once the server answered" {
					continue // the rest of a cut frame was checked with its first part
				}
				if strings.HasSuffix(s.Note, "cut, behind a message to an unknown user") {
					s, r = joined(t, plain.Conns[c].Steps[j:]), joined(t, rev.Conns[c].Steps[j:])
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

// joined is a frame cut behind a message to an unknown user (splitAfterReply)
// made whole again: the two steps' data without the message.
func joined(t *testing.T, steps []fuzz.Step) fuzz.Step {
	data := append(bytes.Clone(steps[0].Data), steps[1].Data...)
	rd := wire.NewReader(bytes.NewReader(data), wire.DefaultMaxString)
	_, raw, err := rd.Next()
	require.NoError(t, err)
	return fuzz.Step{Data: data[len(raw):], Note: steps[0].Note}
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
