package patchat

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/internal/testserver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFillsDoNotWaitOutTheirDeadline: generated cases against the reference
// wait only for answers that come. A fill that waits for an answer a
// correct server never sends lasts its whole deadline (300 ms alone, at
// least 20 ms in a run) and was most of a case's time. The deadline here
// is wide, so a slow answer on a busy machine still counts as arrived; the
// outcomes are counted from what the watches saw, not timed.
func TestFillsDoNotWaitOutTheirDeadline(t *testing.T) {
	t.Parallel()
	tg := inProcess(t)
	tally := runCases(t, tg.Addr(), protocol(t), 1, 0, 300, 4, fuzz.ExecOptions{FillWait: testserver.Wide})
	t.Logf("fills of 300 cases: %s", tally)
	for note, n := range tally.byNote {
		if n[fillTimedOut] > 0 {
			t.Logf("%q: %d timed out of %d", note, n[fillTimedOut], n[fillArrived]+n[fillClosed]+n[fillTimedOut])
		}
	}
	assert.LessOrEqual(t, tally.total[fillTimedOut], tally.fills()/500, "timed-out fills: at most 0.2% of all")
}

// How a fill ended, told apart by what its source connection's watch saw,
// never by a clock: the executor asks the watch for the value when it
// starts waiting and each time bytes arrive or the stream ends, and gives
// up at its deadline without asking again. So a fill that was never
// answered and whose last question came before the server closed the
// stream waited out its deadline.
type fillOutcome int

const (
	fillSkipped  fillOutcome = iota // never asked: its connection was dead or never dialled
	fillArrived                     // the value came
	fillClosed                      // the server closed the stream first
	fillTimedOut                    // neither: the wait reached its deadline
	fillOutcomes
)

var fillOutcomeNames = [fillOutcomes]string{"skipped", "arrived", "closed", "timed out"}

// fillRecord is what the watches saw of one case's fills, by fill number.
type fillRecord struct {
	mu    sync.Mutex
	asked []int  // questions per fill
	got   []bool // some question was answered
	late  []bool // the last question came after the stream ended
}

func (r *fillRecord) outcome(k int) fillOutcome {
	switch {
	case r.asked[k] == 0:
		return fillSkipped
	case r.got[k]:
		return fillArrived
	case r.late[k]:
		return fillClosed
	}
	return fillTimedOut
}

// tagFills returns a copy of c in which fill number k waits for the name
// "k:" + its own (the counting watch takes the prefix off), the fills in
// the order Execute runs them, and a record for them.
func tagFills(c fuzz.Case) (fuzz.Case, []*fuzz.Step, *fillRecord) {
	c = c.Clone()
	var order []*fuzz.Step
	for k := range c.Rounds() {
		for i := range c.Conns {
			if st := c.Conns[i].Steps; k < len(st) && st[k].Fill != nil {
				st[k].Fill.Var = strconv.Itoa(len(order)) + ":" + st[k].Fill.Var
				order = append(order, &st[k])
			}
		}
	}
	n := len(order)
	return c, order, &fillRecord{asked: make([]int, n), got: make([]bool, n), late: make([]bool, n)}
}

// countingProtocol is the Pat Chat protocol with watches that record the
// questions of tagged fills in rec.
type countingProtocol struct {
	*Protocol
	rec *fillRecord
}

func (p countingProtocol) NewWatch() fuzz.Watch {
	return &countingWatch{watch: p.Protocol.NewWatch().(*watch), rec: p.rec}
}

type countingWatch struct {
	*watch
	rec   *fillRecord
	ended bool
}

func (w *countingWatch) End() *fuzz.Violation {
	w.ended = true
	return w.watch.End()
}

func (w *countingWatch) Value(name string) ([]byte, bool) {
	num, inner, ok := strings.Cut(name, ":")
	k, err := strconv.Atoi(num)
	if !ok || err != nil || k < 0 || k >= len(w.rec.asked) {
		return w.watch.Value(name)
	}
	v, got := w.watch.Value(inner)
	w.rec.mu.Lock()
	w.rec.asked[k]++
	w.rec.got[k] = w.rec.got[k] || got
	w.rec.late[k] = w.ended
	w.rec.mu.Unlock()
	return v, got
}

// fillTally counts fill outcomes over cases, overall and by step note.
type fillTally struct {
	mu     sync.Mutex
	total  [fillOutcomes]int
	byNote map[string]*[fillOutcomes]int
}

// runCounted executes c against addr and adds its fill outcomes to t.
func (t *fillTally) runCounted(ctx context.Context, addr string, p *Protocol, c fuzz.Case, o fuzz.ExecOptions) fuzz.Result {
	tagged, order, rec := tagFills(c)
	res := fuzz.Execute(ctx, addr, tagged, countingProtocol{Protocol: p, rec: rec}, o)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byNote == nil {
		t.byNote = map[string]*[fillOutcomes]int{}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for k, st := range order {
		out := rec.outcome(k)
		t.total[out]++
		n := t.byNote[st.Note]
		if n == nil {
			n = new([fillOutcomes]int)
			t.byNote[st.Note] = n
		}
		n[out]++
	}
	return res
}

// fills is the number of fills that waited (skipped ones left out).
func (t *fillTally) fills() int {
	return t.total[fillArrived] + t.total[fillClosed] + t.total[fillTimedOut]
}

func (t *fillTally) String() string {
	var b strings.Builder
	for o, n := range t.total {
		b.WriteString(fillOutcomeNames[o] + " " + strconv.Itoa(n) + "; ")
	}
	return b.String()
}

// runCases executes cases first..first+n of seed against addr, workers at a
// time, counting their fills.
func runCases(t *testing.T, addr string, p *Protocol, seed int64, first, n, workers int, o fuzz.ExecOptions) *fillTally {
	t.Helper()
	tally := &fillTally{}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				res := tally.runCounted(context.Background(), addr, p, fuzz.GenerateCase(p, seed, i), o)
				assert.Nil(t, res.Violation, "case %d", i)
			}
		})
	}
	for i := first; i < first+n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	require.Positive(t, tally.fills())
	return tally
}
