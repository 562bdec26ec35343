package fuzz

import (
	"sync/atomic"
	"time"
)

// A fill waits for a value the server sends at run time; when the case
// made the value impossible (the peer it waits for was closed by an earlier
// step, say) the wait runs to its end. With a fixed FillWait that is 300 ms
// of a worker's time against a server that answers in 100 µs, so during a
// run the engine learns how long the values that did come took and waits
// a generous multiple of that instead. Replay and minimisation keep the
// full FillWait: they run one case, and the case must run as recorded.

const (
	fillSlack = 8                     // a wait is this many times the slowest recent arrival
	fillFloor = 20 * time.Millisecond // and never shorter than this
	fillDecay = 64                    // each arrival forgets 1/fillDecay of the slowest one
)

// fillClock tracks the slowest recent value arrival on one server. Safe for
// concurrent use; the zero value has seen nothing and waits the full time.
type fillClock struct {
	slowest atomic.Int64 // nanoseconds, decaying; 0 before the first arrival
}

// wait is how long the next fill waits, at most limit.
func (c *fillClock) wait(limit time.Duration) time.Duration {
	if c == nil {
		return limit
	}
	s := time.Duration(c.slowest.Load())
	if s == 0 {
		return limit
	}
	return min(limit, max(fillFloor, fillSlack*s))
}

// arrived records that a value came d after its fill began to wait.
func (c *fillClock) arrived(d time.Duration) {
	if c == nil {
		return
	}
	d = max(d, 1) // 0 means "nothing seen yet"
	for {
		old := c.slowest.Load()
		next := max(int64(d), old-old/fillDecay)
		if next == old || c.slowest.CompareAndSwap(old, next) {
			return
		}
	}
}
