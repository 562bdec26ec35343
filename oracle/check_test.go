package oracle

import (
	"testing"
	"time"

	"github.com/chatspec/chatspec/results"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const ms = time.Millisecond

// roomHistory: alice (0) writes to room "r" at 100ms, acknowledged at
// 110ms; bob (1) is a member of "r" with the given bounds; carol (2) is a
// member throughout.
func roomHistory(bob results.Span) *results.History {
	bob.Conn, bob.Kind, bob.Key = 1, results.SpanMember, "r"
	return &results.History{
		Conns: []results.HistoryConn{{Name: "alice", Where: "s1"}, {Name: "bob", Where: "s2"}, {Name: "carol", Where: "s3"}},
		Messages: []results.Message{{Conn: 0, Kind: results.KindRoom, At: 100 * ms, Acked: 110 * ms,
			Rooms: []string{"r"}, Text: "tok-1"}},
		Spans: []results.Span{
			{Conn: 0, Kind: results.SpanLogin, Key: "alice", Begun: 1, End: results.Forever, Ended: results.Forever},
			bob,
			{Conn: 2, Kind: results.SpanMember, Key: "r", Begun: 1, End: results.Forever, Ended: results.Forever},
		},
		End: time.Second,
	}
}

func classOf(h *results.History, conn int32) Class {
	c := &checker{h: h, spansOf: make([][]int32, len(h.Conns))}
	for i, s := range h.Spans {
		c.spansOf[s.Conn] = append(c.spansOf[s.Conn], int32(i))
	}
	c.index()
	return c.Classify(0, conn, "r")
}

// TestJoinsAndLeavesConcurrentWithASendAreMay: a membership that changes
// while the message is being handled makes its delivery optional, never a
// leak and never a loss; one settled before the send makes it MUST or
// MUST NOT.
func TestJoinsAndLeavesConcurrentWithASendAreMay(t *testing.T) {
	forever := results.Forever
	cases := []struct {
		name string
		bob  results.Span
		want Class
	}{
		{"member throughout", results.Span{Begin: 10 * ms, Begun: 20 * ms, End: forever, Ended: forever}, Must},
		{"join asked before, confirmed during", results.Span{Begin: 90 * ms, Begun: 105 * ms, End: forever, Ended: forever}, May},
		{"join asked during", results.Span{Begin: 105 * ms, Begun: 120 * ms, End: forever, Ended: forever}, May},
		{"join asked after the answer", results.Span{Begin: 111 * ms, Begun: 120 * ms, End: forever, Ended: forever}, MustNot},
		{"leave asked during", results.Span{Begun: 1, End: 105 * ms, Ended: 130 * ms}, May},
		{"leave asked before, confirmed during", results.Span{Begun: 1, End: 90 * ms, Ended: 105 * ms}, May},
		{"leave confirmed before the send", results.Span{Begun: 1, End: 50 * ms, Ended: 60 * ms}, MustNot},
		{"join never confirmed", results.Span{Begin: 50 * ms, Begun: forever, End: forever, Ended: forever}, May},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := roomHistory(tc.bob)
			assert.Equal(t, tc.want, classOf(h, 1))
			assert.Equal(t, Must, classOf(h, 2), "carol")
			assert.Equal(t, May, classOf(h, 0), "the sender's own copy")

			h.Deliveries = []results.Delivery{{At: 108 * ms, Conn: 1, Msg: 0, Kind: results.KindRoom, Room: "r", From: "alice"},
				{At: 108 * ms, Conn: 2, Msg: 0, Kind: results.KindRoom, Room: "r", From: "alice"}}
			rep := Check(h, Options{Protocol: "patchat", Lost: true})
			if tc.want == MustNot {
				require.Len(t, rep.Violations, 1)
				assert.Equal(t, KindLeak, rep.Violations[0].Kind)
				return
			}
			assert.Empty(t, rep.Violations, "a delivery to a MUST or MAY receiver is no violation")
			h.Deliveries = h.Deliveries[1:]
			rep = Check(h, Options{Protocol: "patchat", Lost: true})
			if tc.want == May {
				assert.Empty(t, rep.Violations, "a MAY receiver may go without")
			} else {
				require.Len(t, rep.Violations, 1)
				assert.Equal(t, KindLost, rep.Violations[0].Kind)
				assert.Equal(t, "PAT-1-1", rep.Violations[0].Req)
			}
		})
	}
}

// TestALeakAfterLeavingNamesTheLeave: the row of a delivery after a
// confirmed leave is on PAT-6.4-1 and says when the receiver left.
func TestALeakAfterLeavingNamesTheLeave(t *testing.T) {
	h := roomHistory(results.Span{Begun: 1, End: 50 * ms, Ended: 60 * ms})
	h.Deliveries = []results.Delivery{{At: 108 * ms, Conn: 1, Msg: 0, Kind: results.KindRoom, Room: "r", From: "alice"}}
	rep := Check(h, Options{Protocol: "patchat"})
	require.Len(t, rep.Violations, 1)
	v := rep.Violations[0]
	assert.Equal(t, "PAT-6.4-1", v.Req)
	assert.Equal(t, "alice", v.Sender)
	assert.Equal(t, "bob", v.Receiver)
	assert.Equal(t, "s1", v.Where, "found in the scenario that wrote the message")
	assert.Equal(t, `the receiver had left room "r" (asked 0.050s, confirmed 0.060s) before the message was written at 0.100s`, v.Why)
	assert.Equal(t, []string{
		`   0.100s alice          -> room message rooms="r" text="tok-1"`,
		`   0.108s bob            <- room message from="alice" room="r" text="tok-1"`,
	}, v.Excerpts)
}

// publicHistory: n logged-in connections; conn 0 writes the given texts.
func publicHistory(n int, texts ...string) *results.History {
	h := &results.History{End: time.Second}
	for i := range n {
		h.Conns = append(h.Conns, results.HistoryConn{Name: string(rune('a' + i)), Where: "s"})
		h.Spans = append(h.Spans, results.Span{Conn: int32(i), Kind: results.SpanLogin, Key: string(rune('a' + i)),
			Begun: 1, End: results.Forever, Ended: results.Forever})
	}
	for i, text := range texts {
		h.Messages = append(h.Messages, results.Message{Conn: 0, Seq: int32(i), Kind: results.KindPublic,
			At: time.Duration(10+i) * ms, Text: text})
	}
	return h
}

func deliver(h *results.History, at time.Duration, conn, msg int32) {
	h.Deliveries = append(h.Deliveries, results.Delivery{At: at, Conn: conn, Msg: msg, Kind: results.KindPublic, From: "a"})
}

func kinds(rep Report) []string {
	var out []string
	for _, v := range rep.Violations {
		out = append(out, string(v.Kind)+" "+v.Req+" "+v.Text+" to "+v.Receiver)
	}
	return out
}

// TestDuplicatesOrderLossAndInventions: each broken property is one row on
// its requirement; a clean history has none.
func TestDuplicatesOrderLossAndInventions(t *testing.T) {
	h := publicHistory(3, "m0", "m1")
	deliver(h, 20*ms, 1, 0)
	deliver(h, 21*ms, 1, 1)
	deliver(h, 22*ms, 2, 0)
	deliver(h, 23*ms, 2, 1)
	assert.Empty(t, kinds(Check(h, Options{Protocol: "chatos", Lost: true})))

	dup := publicHistory(3, "m0", "m1")
	deliver(dup, 20*ms, 1, 0)
	deliver(dup, 21*ms, 1, 0)
	deliver(dup, 22*ms, 1, 1)
	deliver(dup, 23*ms, 2, 1)
	deliver(dup, 24*ms, 2, 0)
	assert.Equal(t, []string{"duplicate COP-H-1 m0 to b", "order COP-H-2 m0 to c"},
		kinds(Check(dup, Options{Protocol: "chatos"})))
	assert.Equal(t, []string{"duplicate COP-H-1 m0 to b", "order COP-H-2 m0 to c"},
		kinds(Check(dup, Options{Protocol: "chatos", Lost: true})), "nothing lost")

	lost := publicHistory(3, "m0")
	deliver(lost, 20*ms, 1, 0)
	assert.Equal(t, []string{"lost COP-2.5-1 m0 to c"}, kinds(Check(lost, Options{Protocol: "chatos", Lost: true})))
	assert.Empty(t, kinds(Check(lost, Options{Protocol: "chatos"})), "losses are only judged when asked")

	odd := publicHistory(2, "tok-abcdefgh-1")
	odd.Deliveries = []results.Delivery{
		{At: 20 * ms, Conn: 1, Msg: results.NoMessage, Kind: results.KindPublic, From: "a", Text: "tok-abcdefgh-X"},
		{At: 21 * ms, Conn: 1, Msg: results.NoMessage, Kind: results.KindPublic, From: "a", Text: "made up"},
		{At: 22 * ms, Conn: 1, Msg: results.RawMessage, Kind: results.KindPublic, From: "a", Text: "junk"},
		{At: 23 * ms, Conn: 1, Msg: 0, Kind: results.KindPublic, From: "mallory"},
	}
	assert.Equal(t, []string{"corrupted COP-3.6-1 tok-abcdefgh-1 to b", "invented COP-3.6-1 made up to b",
		"forged COP-2.3-1 tok-abcdefgh-1 to b"}, kinds(Check(odd, Options{Protocol: "chatos"})))
}

// TestPrivateMessagesByRecipient: only the addressee must, a third party
// must not; a repeated text is not judged at all.
func TestPrivateMessagesByRecipient(t *testing.T) {
	h := publicHistory(3, "p0", "again", "again")
	for i := range h.Messages {
		h.Messages[i].Kind, h.Messages[i].To = results.KindPrivate, "b"
	}
	h.Messages[1].Repeated, h.Messages[2].Repeated = true, true
	h.Deliveries = []results.Delivery{
		{At: 20 * ms, Conn: 1, Msg: 0, Kind: results.KindPrivate, From: "a"},
		{At: 21 * ms, Conn: 2, Msg: 0, Kind: results.KindPrivate, From: "a"},
		{At: 22 * ms, Conn: 2, Msg: 1, Kind: results.KindPrivate, From: "a"},
	}
	rep := Check(h, Options{Protocol: "chatos", Lost: true})
	assert.Equal(t, []string{"leak COP-2.4-1 p0 to c"}, kinds(rep))
	assert.Equal(t, `the message was for "b"; the receiver was logged in as "c" while the message was handled (0.010s to 0.020s)`,
		rep.Violations[0].Why)
}

// BenchmarkCheckMillionDeliveries: 100 logged-in clients, 10 000 public
// messages, each delivered to all 100: one million deliveries.
func BenchmarkCheckMillionDeliveries(b *testing.B) {
	const conns, msgs = 100, 10000
	h := publicHistory(conns)
	for i := range msgs {
		h.Messages = append(h.Messages, results.Message{Conn: int32(i % conns), Seq: int32(i / conns),
			Kind: results.KindPublic, At: time.Duration(i) * time.Microsecond, Text: "t"})
	}
	h.Deliveries = make([]results.Delivery, 0, conns*msgs)
	for i := range msgs {
		for c := range conns {
			h.Deliveries = append(h.Deliveries, results.Delivery{At: time.Duration(i)*time.Microsecond + 50*time.Microsecond,
				Conn: int32(c), Msg: int32(i), Kind: results.KindPublic, From: h.Conns[i%conns].Name})
		}
	}
	h.End = time.Second
	b.ResetTimer()
	for b.Loop() {
		rep := Check(h, Options{Protocol: "chatos", Lost: true})
		if len(rep.Violations) != 0 || rep.Judged != conns*msgs {
			b.Fatalf("%d violations, %d judged: %v", len(rep.Violations), rep.Judged, kinds(rep))
		}
	}
}
