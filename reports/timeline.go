package reports

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/chatspec/chatspec/results"
)

// Bounds and geometry of the per-client timeline: whatever the run's size,
// it has at most timelineRows rows, and each row at most timelineBuckets
// density cells per kind, timelineSpans identity bars and timelineMarks
// violation marks; the caption says what was left out.
const (
	timelineFirst   = 16 // the first connections, always shown
	timelineRows    = 32 // rows at most: the first ones, then those a violation involves
	timelineBuckets = 60
	timelineSpans   = 40
	timelineMarks   = 10
	timelineLanes   = 3
	tlW, tlLabel    = 900.0, 170.0
	tlTop, tlRowH   = 28.0, 30.0
	maxRoomColours  = 8
)

// legendItem is one colour of the timeline's legend.
type legendItem struct{ Class, Name string }

// timelineBuilder holds the indexes of one timeline drawing.
type timelineBuilder struct {
	h       *results.History
	f       *svgFigure
	end     time.Duration
	rowOf   map[int32]int
	rooms   map[string]string // room -> colour class
	legend  []legendItem
	spansOf map[int32][]int32
	halves  map[int32]int32 // a private connection's half -> its owner's connection
	left    struct{ spans, marks int }
}

// timeline draws one row per connection shown: when it was logged in,
// its room memberships and bridges, how many messages it sent and received
// over time, and where violations sit. It returns nil for an empty history.
func timeline(run *results.LoadRun) (*svgFigure, []legendItem, string) {
	h := run.History
	if h == nil || len(h.Conns) == 0 {
		return nil, nil, "No connection was recorded."
	}
	halves := bridgeOwners(h)
	sel := timelineSelect(h, run.Marks, halves)
	rows := sel.rows
	b := &timelineBuilder{h: h, end: max(h.End, time.Millisecond), rowOf: map[int32]int{}, rooms: map[string]string{},
		spansOf: map[int32][]int32{}, halves: halves,
		f: &svgFigure{Label: "per-client timeline", Width: tlW, Height: tlTop + tlRowH*float64(len(rows)) + 4}}
	for i, c := range rows {
		b.rowOf[c] = i
	}
	for i, s := range h.Spans {
		if r, ok := b.rowConn(s.Conn); ok {
			b.spansOf[r] = append(b.spansOf[r], int32(i))
		}
	}
	b.axis()
	for i, c := range rows {
		b.row(i, c)
	}
	b.density()
	b.marks(run.Marks)
	return b.f, b.legend, b.caption(sel)
}

// bridgeOwners maps each connection that was only ever a half of a ChatOS
// private connection to the connection its owner was logged in on, so the
// timeline draws a client's private connections on the client's own row.
func bridgeOwners(h *results.History) map[int32]int32 {
	login := map[string]int32{}
	other := map[int32]bool{} // connections holding an identity that is no bridge
	for _, s := range h.Spans {
		if s.Kind != results.SpanBridge {
			other[s.Conn] = true
		}
		if s.Kind == results.SpanLogin {
			login[s.Key] = s.Conn
		}
	}
	out := map[int32]int32{}
	for _, s := range h.Spans {
		if owner, ok := login[s.Owner]; ok && s.Kind == results.SpanBridge && !other[s.Conn] {
			out[s.Conn] = owner
		}
	}
	return out
}

// rowConn is the connection whose row shows conn (its owner's, for a half
// of a private connection), and whether that row is drawn.
func (b *timelineBuilder) rowConn(conn int32) (int32, bool) {
	if owner, ok := b.halves[conn]; ok {
		conn = owner
	}
	_, ok := b.rowOf[conn]
	return conn, ok
}

// timelineSelect picks the rows: the first timelineFirst clients (a half of
// a private connection shows on its owner's row), then every client a
// violation involves, up to timelineRows. It also says how many clients
// violations involve and how many of those are not shown.
func timelineSelect(h *results.History, marks []results.Mark, halves map[int32]int32) timelineSelection {
	var rows []int32
	shown := map[int32]bool{}
	for c := 0; c < len(h.Conns) && len(rows) < timelineFirst; c++ {
		if _, half := halves[int32(c)]; !half {
			rows = append(rows, int32(c))
			shown[int32(c)] = true
		}
	}
	sel := timelineSelection{first: len(rows)}
	involved := map[int32]bool{}
	unshown := 0
	for _, m := range sortedMarkConns(marks, halves) {
		involved[m] = true
		switch {
		case shown[m]:
		case len(rows) < timelineRows:
			rows, shown[m] = append(rows, m), true
		default:
			unshown++
		}
	}
	sel.rows, sel.involved, sel.unshown = rows, len(involved), unshown
	return sel
}

// timelineSelection is which rows the timeline draws: the first clients,
// then those violations involve (how many, and how many not drawn).
type timelineSelection struct {
	rows                     []int32
	first, involved, unshown int
}

// sortedMarkConns lists the clients of the marks (a half's owner for a
// half), each once, ascending.
func sortedMarkConns(marks []results.Mark, halves map[int32]int32) []int32 {
	seen := map[int32]bool{}
	var out []int32
	for _, m := range marks {
		c := m.Conn
		if owner, ok := halves[c]; ok {
			c = owner
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// x is the horizontal place of a time (Forever: the end).
func (b *timelineBuilder) x(t time.Duration) float64 {
	t = min(max(t, 0), b.end)
	return tlLabel + float64(t)/float64(b.end)*(tlW-tlLabel-10)
}

func (b *timelineBuilder) top(row int) float64 { return tlTop + float64(row)*tlRowH }

// axis draws the time ticks along the top.
func (b *timelineBuilder) axis() {
	step := niceStep(b.end / 8)
	bottom := b.f.Height - 2
	for t := time.Duration(0); t <= b.end; t += step {
		b.f.line(b.x(t), tlTop-6, b.x(t), bottom, "grid", "")
		b.f.text(b.x(t), tlTop-10, "axis", "middle", span(t))
	}
	b.f.text(4, tlTop-10, "axis", "start", "client")
}

// niceStep rounds d up to 1, 2 or 5 times a power of ten.
func niceStep(d time.Duration) time.Duration {
	d = max(d, time.Microsecond)
	p := math.Pow(10, math.Floor(math.Log10(float64(d))))
	for _, m := range []float64{1, 2, 5, 10} {
		if float64(d) <= m*p {
			return time.Duration(m * p)
		}
	}
	return time.Duration(10 * p)
}

// row draws one connection's label and identities.
func (b *timelineBuilder) row(i int, conn int32) {
	y := b.top(i)
	c := b.h.Conns[conn]
	b.f.text(4, y+tlRowH/2+4, "name", "start", cut(clean(c.Name), 24))
	lanes := make([]time.Duration, timelineLanes) // per lane: when its last bar ends
	for k := range lanes {
		lanes[k] = -1
	}
	drawn := 0
	for _, si := range b.spansOf[conn] {
		s := &b.h.Spans[si]
		if s.Kind == results.SpanLogin {
			b.f.rect(b.x(s.Begin), y+1, b.x(s.Ended)-b.x(s.Begin), tlRowH-2, "login", b.spanTitle(s))
			continue
		}
		if drawn++; drawn > timelineSpans {
			b.left.spans++
			continue
		}
		lane := pickLane(lanes, s.Begin, s.Ended)
		b.f.rect(b.x(s.Begin), y+4+float64(lane)*5, b.x(s.Ended)-b.x(s.Begin), 4, b.spanClass(s), b.spanTitle(s))
	}
}

// pickLane is the first lane free at begin (the last lane when none is),
// which then stays taken until end.
func pickLane(lanes []time.Duration, begin, end time.Duration) int {
	lane := len(lanes) - 1
	for i, busy := range lanes {
		if busy < begin {
			lane = i
			break
		}
	}
	lanes[lane] = end
	return lane
}

// spanClass colours a membership by its room (the first maxRoomColours
// rooms get their own colour, the rest share one) and a bridge apart; a
// span never confirmed is drawn faint.
func (b *timelineBuilder) spanClass(s *results.Span) string {
	class := "bridge"
	if s.Kind == results.SpanMember {
		class = b.roomClass(s.Key)
	}
	if s.Begun == results.Forever {
		class += " unconfirmed"
	}
	return class
}

func (b *timelineBuilder) roomClass(room string) string {
	if c, ok := b.rooms[room]; ok {
		return c
	}
	c := "rooms"
	if n := len(b.legend); n < maxRoomColours {
		c = fmt.Sprintf("r%d", n)
		b.legend = append(b.legend, legendItem{Class: c, Name: "room " + room})
	} else if n == maxRoomColours {
		b.legend = append(b.legend, legendItem{Class: c, Name: "every other room"})
	}
	b.rooms[room] = c
	return c
}

var spanWords = map[results.SpanKind]string{results.SpanLogin: "logged in as",
	results.SpanMember: "member of", results.SpanBridge: "bridged with"}

// spanTitle is a span's tooltip: what it was and its four times.
func (b *timelineBuilder) spanTitle(s *results.Span) string {
	if s.Kind == results.SpanBridge {
		with := s.With
		if with == "" {
			with = "nobody expected"
		}
		return fmt.Sprintf("%s: %s's half of private connection %s with %s: presented %s, 11 %s; ended %s, confirmed %s",
			b.h.Conns[s.Conn].Name, s.Owner, s.Key, with, stamp(s.Begin), stamp(s.Begun), stamp(s.End), stamp(s.Ended))
	}
	return fmt.Sprintf("%s %s %s: asked %s, confirmed %s; ended %s, confirmed %s", b.h.Conns[s.Conn].Name,
		spanWords[s.Kind], s.Key, stamp(s.Begin), stamp(s.Begun), stamp(s.End), stamp(s.Ended))
}

func stamp(t time.Duration) string {
	if t == results.Forever {
		return "never"
	}
	return fmt.Sprintf("%.3fs", t.Seconds())
}

// density counts each shown connection's sends and receives per bucket of
// time and draws them in five shades, darkest for the busiest bucket of
// the drawing.
func (b *timelineBuilder) density() {
	sends := make([][timelineBuckets]int, len(b.rowOf))
	recvs := make([][timelineBuckets]int, len(b.rowOf))
	for _, m := range b.h.Messages {
		if c, ok := b.rowConn(m.Conn); ok {
			sends[b.rowOf[c]][b.bucket(m.At)]++
		}
	}
	for _, d := range b.h.Deliveries {
		if c, ok := b.rowConn(d.Conn); ok {
			recvs[b.rowOf[c]][b.bucket(d.At)]++
		}
	}
	b.shade(sends, tlRowH-10, "sent")
	b.shade(recvs, tlRowH-6, "received")
}

func (b *timelineBuilder) bucket(t time.Duration) int {
	return min(max(int(float64(t)/float64(b.end)*timelineBuckets), 0), timelineBuckets-1)
}

// shade draws one kind of density at offset dy in every row.
func (b *timelineBuilder) shade(counts [][timelineBuckets]int, dy float64, kind string) {
	busiest := 0
	for _, row := range counts {
		for _, n := range row {
			busiest = max(busiest, n)
		}
	}
	w := (tlW - tlLabel - 10) / timelineBuckets
	for r, row := range counts {
		for k, n := range row {
			if n == 0 {
				continue
			}
			level := int(math.Ceil(5 * float64(n) / float64(busiest)))
			t0 := b.end * time.Duration(k) / timelineBuckets
			b.f.rect(tlLabel+float64(k)*w, b.top(r)+dy, w, 3, fmt.Sprintf("%s d%d", kind, level),
				fmt.Sprintf("%d %s from %s", n, kind, span(t0)))
		}
	}
}

// marks draws each violation as a red line on its connection's row.
func (b *timelineBuilder) marks(marks []results.Mark) {
	per := map[int32]int{}
	for _, m := range marks {
		c, ok := b.rowConn(m.Conn)
		if !ok {
			continue
		}
		r := b.rowOf[c]
		if per[c]++; per[c] > timelineMarks {
			b.left.marks++
			continue
		}
		y := b.top(r)
		b.f.line(b.x(m.At), y, b.x(m.At), y+tlRowH, "mark", m.Req+": "+m.What)
	}
}

// caption says what the timeline shows and what it leaves out.
func (b *timelineBuilder) caption(sel timelineSelection) string {
	parts := []string{fmt.Sprintf("%d of %d clients: the first %d to appear, then those a violation involves (%d involved",
		len(sel.rows), len(b.h.Conns)-len(b.halves), sel.first, sel.involved)}
	if sel.unshown > 0 {
		parts[0] += fmt.Sprintf(", %d of them not shown", sel.unshown)
	}
	if len(b.halves) > 0 {
		parts[0] += fmt.Sprintf("; the %d halves of private connections are drawn on their owners' rows", len(b.halves))
	}
	parts[0] += ")."
	parts = append(parts, fmt.Sprintf("Sends (upper strip) and receives (lower strip) are counted per 1/%d of the run, "+
		"in five shades; the light band is a login, coloured bars are room memberships and bridges (faint: never confirmed), "+
		"red lines are violations (at most %d per row).", timelineBuckets, timelineMarks))
	if b.left.spans > 0 || b.left.marks > 0 {
		parts = append(parts, fmt.Sprintf("Left out: %d identity bars (over %d per row) and %d violation marks.",
			b.left.spans, timelineSpans, b.left.marks))
	}
	return strings.Join(parts, " ")
}
