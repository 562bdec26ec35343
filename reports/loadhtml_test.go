package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
)

const ms = time.Millisecond

// loadFixture is a small Pat Chat load run: three clients, two rooms, one
// leak after a leave (a violation on bob), one client that stopped.
func loadFixture() *results.LoadRun {
	h := &results.History{End: 2 * time.Second,
		Conns: []results.HistoryConn{{Name: "alice", Where: "load"}, {Name: "bob", Where: "load"}, {Name: "carol<x>", Where: "load"}},
		Spans: []results.Span{
			{Conn: 0, Kind: results.SpanLogin, Key: "alice", Begin: 0, Begun: 2 * ms, End: results.Forever, Ended: results.Forever},
			{Conn: 1, Kind: results.SpanLogin, Key: "bob", Begin: ms, Begun: 3 * ms, End: 1900 * ms, Ended: 1950 * ms},
			{Conn: 2, Kind: results.SpanLogin, Key: "carol", Begin: ms, Begun: 4 * ms, End: results.Forever, Ended: results.Forever},
			{Conn: 0, Kind: results.SpanMember, Key: "Main Room", Begin: 0, Begun: 2 * ms, End: results.Forever, Ended: results.Forever},
			{Conn: 1, Kind: results.SpanMember, Key: "Main Room", Begin: ms, Begun: 3 * ms, End: 500 * ms, Ended: 510 * ms},
			{Conn: 1, Kind: results.SpanMember, Key: "lounge", Begin: 600 * ms, Begun: 610 * ms, End: 1900 * ms, Ended: 1950 * ms},
			{Conn: 2, Kind: results.SpanMember, Key: "lounge", Begin: 700 * ms, Begun: results.Forever, End: 720 * ms, Ended: 720 * ms},
		},
		Messages: []results.Message{
			{Conn: 0, Seq: 0, Kind: results.KindRoom, At: 100 * ms, Rooms: []string{"Main Room"}, Text: "m-0-1"},
			{Conn: 0, Seq: 1, Kind: results.KindRoom, At: 800 * ms, Rooms: []string{"Main Room"}, Text: "m-0-2"},
			{Conn: 1, Seq: 0, Kind: results.KindRoom, At: 1000 * ms, Rooms: []string{"lounge"}, Text: "m-1-1"},
		},
		Deliveries: []results.Delivery{
			{At: 101 * ms, Conn: 1, Msg: 0, Kind: results.KindRoom, Room: "Main Room", From: "alice"},
			{At: 102 * ms, Conn: 2, Msg: 0, Kind: results.KindRoom, Room: "Main Room", From: "alice"},
			{At: 812 * ms, Conn: 1, Msg: 1, Kind: results.KindRoom, Room: "Main Room", From: "alice"},
			{At: 803 * ms, Conn: 2, Msg: 1, Kind: results.KindRoom, Room: "Main Room", From: "alice"},
		},
	}
	leak := results.Result{Protocol: "patchat", Reqs: []string{"PAT-6.4-1"}, Level: "MUST", Section: "6.4",
		Scenario: "history checker: leak found in load", Outcome: results.Fail,
		Message:    `history checker: leak of "m-0-2" from alice to bob (sent 0.800s, received 0.812s): the receiver had left room "Main Room"`,
		Check:      &results.Check{Expected: []string{"the message delivered only to its addressees while they were addressees"}, Actual: `the receiver had left room "Main Room"`},
		Transcript: "   0.800s alice          -> room message rooms=\"Main Room\" text=\"m-0-2\"\n   0.812s bob            <- room message from=\"alice\" room=\"Main Room\" text=\"m-0-2\"\n"}
	return &results.LoadRun{LoadFigures: results.LoadFigures{Protocol: "patchat", Clients: 3, Duration: 2 * time.Second, Seed: 7,
		Sent: 3, Deliveries: 4, PerSecond: 2, LatencyP50: 3 * ms, LatencyP99: 12 * ms, LatencyMax: 12 * ms},
		Target: "127.0.0.1:8083", Violations: 1, ClientErrors: []string{"carol: join \"lounge\": refused"}, Rows: []results.Result{leak},
		Marks:   []results.Mark{{Conn: 1, At: 812 * ms, Req: "PAT-6.4-1", What: leak.Message}, {Conn: 0, At: 800 * ms, Req: "PAT-6.4-1", What: leak.Message}},
		History: h}
}

func loadOut(t *testing.T, run *results.LoadRun) string {
	return string(render(t, func(b *bytes.Buffer) error { return LoadHTML(b, run) }))
}

func TestLoadHTMLGolden(t *testing.T) {
	page := loadOut(t, loadFixture())
	golden(t, "load.html.golden", []byte(page))
	checkSelfContained(t, page)
}

// TestLoadHTMLDrawsBothFigures reads the fixture's page the way a person
// would: the latency histogram with its three marks, and one timeline row
// per client with its identities, its traffic and the violation.
func TestLoadHTMLDrawsBothFigures(t *testing.T) {
	page := loadOut(t, loadFixture())
	has(t, page, `aria-label="delivery latency histogram"`)
	for _, q := range []string{"p50 3ms", "p99 12ms", "max 12ms"} {
		has(t, page, ">"+q+"</text>")
	}
	has(t, page, `aria-label="per-client timeline"`)
	for _, name := range []string{">alice</text>", ">bob</text>", ">carol&lt;x&gt;</text>"} {
		has(t, page, name, "every client has a row, its name escaped")
	}
	has(t, page, "<title>bob member of lounge: asked 0.600s, confirmed 0.610s; ended 1.900s, confirmed 1.950s</title>")
	has(t, page, "carol&lt;x&gt; member of lounge: asked 0.700s, confirmed never", "a refused join is drawn faint")
	has(t, page, `class="r1 unconfirmed"`)
	has(t, page, `class="mark"><title>PAT-6.4-1: history checker: leak of`)
	has(t, page, "3 of 3 clients: the first 3 to appear")
	has(t, page, "carol: join")
}

// TestLoadHTMLIsBounded renders a run of 100 clients for 30 s with a
// million deliveries and violations on 60 clients: the page stays small,
// shows 32 rows and says what it left out.
func TestLoadHTMLIsBounded(t *testing.T) {
	run := bigLoadRun(100, 30*time.Second, 1_000_000, 60)
	page := loadOut(t, run)
	assert.Less(t, len(page), 1<<20, "the page stays under 1 MiB")
	assert.Equal(t, timelineRows, strings.Count(page, `class="name"`))
	has(t, page, "32 of 100 clients: the first 16 to appear, then those a violation involves (60 involved, 44 of them not shown)")
	has(t, page, "Left out: ")
	assert.LessOrEqual(t, strings.Count(page, `class="bar"`), maxLatencyBins)
	checkSelfContained(t, page)
}

// bigLoadRun is a synthetic ChatOS run: every client sends in turn, every
// message reaches every other client, a violation mark every so often on
// the first marked clients, and room memberships churning on each client.
func bigLoadRun(clients int, d time.Duration, deliveries, marked int) *results.LoadRun {
	h := &results.History{End: d}
	for c := range clients {
		h.Conns = append(h.Conns, results.HistoryConn{Name: fmt.Sprintf("lclient%d", c), Where: "load"})
		h.Spans = append(h.Spans, results.Span{Conn: int32(c), Kind: results.SpanLogin, Key: fmt.Sprintf("lclient%d", c),
			End: results.Forever, Ended: results.Forever})
		for k := range 100 {
			t := time.Duration(k) * d / 100
			h.Spans = append(h.Spans, results.Span{Conn: int32(c), Kind: results.SpanMember, Key: fmt.Sprintf("r%d", k%12),
				Begin: t, Begun: t + ms, End: t + d/150, Ended: t + d/150 + ms})
		}
	}
	msgs := deliveries / (clients - 1)
	for i := range msgs {
		at := time.Duration(i) * d / time.Duration(msgs)
		h.Messages = append(h.Messages, results.Message{Conn: int32(i % clients), Seq: int32(i / clients), Kind: results.KindPublic, At: at})
		for r := range clients {
			if r != i%clients {
				lat := time.Duration(50+(i*r)%5000) * time.Microsecond
				h.Deliveries = append(h.Deliveries, results.Delivery{At: at + lat, Conn: int32(r), Msg: int32(i), Kind: results.KindPublic})
			}
		}
	}
	run := &results.LoadRun{LoadFigures: results.LoadFigures{Protocol: "chatos", Clients: clients, Duration: d,
		Sent: len(h.Messages), Deliveries: len(h.Deliveries), LatencyP50: 2 * ms, LatencyP99: 5 * ms, LatencyMax: 5 * ms},
		Target: "big", History: h}
	for k := range marked * 12 {
		run.Marks = append(run.Marks, results.Mark{Conn: int32(clients - 1 - k%marked), At: time.Duration(k) * d / time.Duration(marked*12),
			Req: "COP-H-1", What: "duplicate"})
	}
	run.Violations = len(run.Marks)
	return run
}

// TestTimelineShowsBridges: a ChatOS half of a private connection is a
// bar saying whose half it is, of which connect id, with whom; a half that
// never got 11 is faint.
func TestTimelineShowsBridges(t *testing.T) {
	run := loadFixture()
	h := run.History
	h.Conns = append(h.Conns, results.HistoryConn{Name: "alice/bridge0", Where: "load"}, results.HistoryConn{Name: "bob/bridge0", Where: "load"})
	h.Spans = append(h.Spans,
		results.Span{Conn: 3, Kind: results.SpanBridge, Key: "4242", Owner: "alice", With: "bob", Begin: 300 * ms, Begun: 310 * ms, End: results.Forever, Ended: results.Forever},
		results.Span{Conn: 4, Kind: results.SpanBridge, Key: "4242", Owner: "bob", Begin: 305 * ms, Begun: results.Forever, End: 900 * ms, Ended: 900 * ms})
	page := loadOut(t, run)
	has(t, page, `class="bridge"><title>alice/bridge0: alice&#39;s half of private connection 4242 with bob: presented 0.300s, 11 0.310s; ended never, confirmed never</title>`)
	has(t, page, `class="bridge unconfirmed"><title>bob/bridge0: bob&#39;s half of private connection 4242 with nobody expected: presented 0.305s, 11 never`)
	assert.Equal(t, 3, strings.Count(page, `class="name"`), "the halves are drawn on alice's and bob's rows")
	has(t, page, "3 of 3 clients: the first 3 to appear, then those a violation involves (2 involved; the 2 halves of private connections are drawn on their owners&#39; rows)")
	has(t, page, `<rect x="278" y="37" width="612" height="4" class="bridge">`, "alice's half on alice's row (y 28), below Main Room")
}

func TestLatencyBucketsAndTimelineSteps(t *testing.T) {
	lo, hi := decadeBounds([]time.Duration{300 * time.Nanosecond, 42 * ms})
	assert.Equal(t, []float64{1e3, 1e8}, []float64{lo, hi}, "1µs to 100ms: five decades")
	assert.Equal(t, 5*time.Second, niceStep(3700*ms))
	assert.Equal(t, 200*ms, niceStep(150*ms))
	require.Equal(t, 1, pickLane([]time.Duration{5, 0, 0}, 3, 9))
}

// has asserts that page holds want, printing only want when it does not
// (a page is too long to print).
func has(t *testing.T, page, want string, msg ...any) {
	t.Helper()
	if !strings.Contains(page, want) {
		t.Errorf("the page does not contain %q %v", want, msg)
	}
}
