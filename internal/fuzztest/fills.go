// Package fuzztest holds what the fuzzer's protocol tests share: counting
// how each fill of generated cases ended (see Tally), so a test can prove
// that cases against a correct server do not wait for answers that never
// come. Only tests import it.
package fuzztest

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// How a fill ended, told apart by what its source connection's watch saw,
// never by a clock: the executor asks the watch for the value when it
// starts waiting and each time bytes arrive or the stream ends, and gives
// up at its deadline without asking again. So a fill that was never
// answered and whose last question came before the server closed the
// stream waited out its deadline.
type Outcome int

const (
	Skipped  Outcome = iota // never asked: its connection was dead or never dialled
	Arrived                 // the value came
	Closed                  // the server closed the stream first
	TimedOut                // neither: the wait reached its deadline
	NumOutcomes
)

var outcomeNames = [NumOutcomes]string{"skipped", "arrived", "closed", "timed out"}

// fillRecord is what the watches saw of one case's fills, by fill number.
type fillRecord struct {
	mu    sync.Mutex
	asked []int  // questions per fill
	got   []bool // some question was answered
	late  []bool // the last question came after the stream ended
}

func (r *fillRecord) outcome(k int) Outcome {
	switch {
	case r.asked[k] == 0:
		return Skipped
	case r.got[k]:
		return Arrived
	case r.late[k]:
		return Closed
	}
	return TimedOut
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

// countingProtocol is a protocol with watches that record the questions of
// tagged fills in rec.
type countingProtocol struct {
	fuzz.Protocol
	rec *fillRecord
}

func (p countingProtocol) NewWatch() fuzz.Watch {
	return &countingWatch{Watch: p.Protocol.NewWatch(), rec: p.rec}
}

type countingWatch struct {
	fuzz.Watch
	rec   *fillRecord
	ended bool
}

func (w *countingWatch) End() *fuzz.Violation {
	w.ended = true
	return w.Watch.End()
}

func (w *countingWatch) Value(name string) ([]byte, bool) {
	num, inner, ok := strings.Cut(name, ":")
	k, err := strconv.Atoi(num)
	if !ok || err != nil || k < 0 || k >= len(w.rec.asked) {
		return w.Watch.Value(name)
	}
	v, got := w.Watch.Value(inner)
	w.rec.mu.Lock()
	w.rec.asked[k]++
	w.rec.got[k] = w.rec.got[k] || got
	w.rec.late[k] = w.ended
	w.rec.mu.Unlock()
	return v, got
}

// Tally counts fill outcomes over cases, overall and by step note.
type Tally struct {
	mu     sync.Mutex
	Total  [NumOutcomes]int
	ByNote map[string]*[NumOutcomes]int
}

// runCounted executes c against addr and adds its fill outcomes to t.
func (t *Tally) runCounted(ctx context.Context, addr string, p fuzz.Protocol, c fuzz.Case, o fuzz.ExecOptions) fuzz.Result {
	tagged, order, rec := tagFills(c)
	res := fuzz.Execute(ctx, addr, tagged, countingProtocol{Protocol: p, rec: rec}, o)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.ByNote == nil {
		t.ByNote = map[string]*[NumOutcomes]int{}
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for k, st := range order {
		out := rec.outcome(k)
		t.Total[out]++
		n := t.ByNote[st.Note]
		if n == nil {
			n = new([NumOutcomes]int)
			t.ByNote[st.Note] = n
		}
		n[out]++
	}
	return res
}

// Fills is the number of fills that waited (skipped ones left out).
func (t *Tally) Fills() int {
	return t.Total[Arrived] + t.Total[Closed] + t.Total[TimedOut]
}

// LogTimedOut logs, per step note, the fills that waited out their deadline.
func (t *Tally) LogTimedOut(tb testing.TB) {
	tb.Helper()
	for note, n := range t.ByNote {
		if n[TimedOut] > 0 {
			tb.Logf("%q: %d timed out of %d", note, n[TimedOut], n[Arrived]+n[Closed]+n[TimedOut])
		}
	}
}

func (t *Tally) String() string {
	var b strings.Builder
	for o, n := range t.Total {
		b.WriteString(outcomeNames[o] + " " + strconv.Itoa(n) + "; ")
	}
	return b.String()
}

// RunCases executes cases first..first+n of seed against addr, workers at a
// time, counting their fills; a case whose connections see a protocol
// violation fails t.
func RunCases(t *testing.T, addr string, p fuzz.Protocol, seed int64, first, n, workers int, o fuzz.ExecOptions) *Tally {
	t.Helper()
	tally := &Tally{}
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
	require.Positive(t, tally.Fills())
	return tally
}

// AssertFillsCome runs cases 0..n of seed against addr, four at a time (see
// RunCases), and asserts that at most perMille of their fills waited out
// their deadline, logging the steps that did.
func AssertFillsCome(t *testing.T, addr string, p fuzz.Protocol, seed int64, n, perMille int, o fuzz.ExecOptions) {
	t.Helper()
	tally := RunCases(t, addr, p, seed, 0, n, 4, o)
	t.Logf("fills of %d cases: %s", n, tally)
	tally.LogTimedOut(t)
	assert.LessOrEqual(t, tally.Total[TimedOut], tally.Fills()*perMille/1000,
		"timed-out fills: at most %d per thousand", perMille)
}
