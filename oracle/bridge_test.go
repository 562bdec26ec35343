package oracle

import (
	"testing"

	"github.com/chatspec/chatspec/results"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bridgeHistory: alice/bridge (0) and bob/bridge (1) are the two halves of
// private connection 77, joined at 20ms; mallory/bridge (2) presented 77
// too and never got 11; carol/bridge (3) is a half of private connection
// 88 with dave. alice writes one line into 77 at 100ms.
func bridgeHistory() *results.History {
	forever := results.Forever
	half := func(conn int32, key, owner, with string, begun results.Span) results.Span {
		begun.Conn, begun.Kind, begun.Key, begun.Owner, begun.With = conn, results.SpanBridge, key, owner, with
		begun.End, begun.Ended = forever, forever
		return begun
	}
	return &results.History{
		Conns: []results.HistoryConn{{Name: "alice/bridge", Where: "load"}, {Name: "bob/bridge", Where: "load"},
			{Name: "mallory/bridge", Where: "load"}, {Name: "carol/bridge", Where: "load"}},
		Messages: []results.Message{{Conn: 0, Kind: results.KindBridge, At: 100 * ms, To: "bob", Text: "tok-b1"}},
		Spans: []results.Span{
			half(0, "77", "alice", "bob", results.Span{Begin: 10 * ms, Begun: 20 * ms}),
			half(1, "77", "bob", "alice", results.Span{Begin: 15 * ms, Begun: 20 * ms}),
			half(2, "77", "mallory", "", results.Span{Begin: 30 * ms, Begun: forever}),
			half(3, "88", "carol", "dave", results.Span{Begin: 12 * ms, Begun: 25 * ms}),
		},
		End: 1000 * ms,
	}
}

// TestBridgedBytesGoToTheFarHalfOnly: the far half MUST get them, a third
// connection on the same id and a half of another private connection MUST
// NOT, and the sender's own half MAY.
func TestBridgedBytesGoToTheFarHalfOnly(t *testing.T) {
	h := bridgeHistory()
	c := &checker{h: h, spansOf: make([][]int32, len(h.Conns))}
	for i, s := range h.Spans {
		c.spansOf[s.Conn] = append(c.spansOf[s.Conn], int32(i))
	}
	c.index()
	assert.Equal(t, []Class{May, Must, MustNot, MustNot},
		[]Class{c.Classify(0, 0, ""), c.Classify(0, 1, ""), c.Classify(0, 2, ""), c.Classify(0, 3, "")})
}

// TestBridgedBytesElsewhereAreLeaksNamingTheBridges: a copy on mallory's
// unjoined connection is a leak on COP-3.5-9, one on carol's half of
// another private connection a leak on COP-3.5-6, each naming the private
// connections; bob never getting them is a loss on COP-2.6-1.
func TestBridgedBytesElsewhereAreLeaksNamingTheBridges(t *testing.T) {
	h := bridgeHistory()
	h.Deliveries = []results.Delivery{{At: 105 * ms, Conn: 2, Msg: 0, Kind: results.KindBridge},
		{At: 106 * ms, Conn: 3, Msg: 0, Kind: results.KindBridge}}
	rep := Check(h, Options{Protocol: "chatos", Lost: true})
	require.Len(t, rep.Violations, 3)
	leak9, leak6, lost := rep.Violations[0], rep.Violations[1], rep.Violations[2]
	assert.Equal(t, []string{"leak COP-3.5-9", "leak COP-3.5-6", "lost COP-2.6-1"},
		[]string{string(leak9.Kind) + " " + leak9.Req, string(leak6.Kind) + " " + leak6.Req, string(lost.Kind) + " " + lost.Req})
	assert.Equal(t, `the bytes were written into "alice"'s half of private connection 77 (with "bob"); `+
		`the receiver presented connect id 77 at 0.030s but never got 11: it was not joined`, leak9.Why)
	assert.Equal(t, `the bytes were written into "alice"'s half of private connection 77 (with "bob"); `+
		`the receiver was "carol"'s half of private connection 88 (with "dave") from 0.012s (11 at 0.025s) to never`, leak6.Why)
	assert.Equal(t, "bob/bridge", lost.Receiver)
	assert.Contains(t, lost.Why, `the receiver was the far half of "alice"'s half of private connection 77`)
	assert.Contains(t, leak9.Excerpts[0], `-> bridge message into the private connection with "bob" text="tok-b1"`)
}

// TestAPublicMessageOnABridgeSaysItIsABridge: a chat frame delivered on a
// private connection's half is a leak whose reason names the bridge.
func TestAPublicMessageOnABridgeSaysItIsABridge(t *testing.T) {
	h := bridgeHistory()
	h.Conns = append(h.Conns, results.HistoryConn{Name: "erin", Where: "load"})
	h.Spans = append(h.Spans, results.Span{Conn: 4, Kind: results.SpanLogin, Key: "erin", End: results.Forever, Ended: results.Forever})
	h.Messages = append(h.Messages, results.Message{Conn: 4, Kind: results.KindPublic, At: 200 * ms, Text: "pub-1"})
	h.Deliveries = []results.Delivery{{At: 101 * ms, Conn: 1, Msg: 0, Kind: results.KindBridge},
		{At: 201 * ms, Conn: 1, Msg: 1, Kind: results.KindPublic, From: "erin"}}
	rep := Check(h, Options{Protocol: "chatos"})
	require.Len(t, rep.Violations, 1)
	v := rep.Violations[0]
	assert.Equal(t, "COP-2.5-1", v.Req)
	assert.Contains(t, v.Why, `; the connection is "bob"'s half of private connection 77 (with "alice"), presented at 0.015s`)
}
