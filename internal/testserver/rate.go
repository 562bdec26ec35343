package testserver

import (
	"io"
	"net"
	"slices"
	"sync"
	"testing"
	"time"
)

// BareLoop opens n connections to addr, workers at once, each the cheapest a
// client can make: connect, write first, half-close, read until the server
// closes (within 10 s). It is the yardstick of the fuzzers'
// connection-rate benchmarks.
func BareLoop(tb testing.TB, addr string, first []byte, n, workers int) {
	tb.Helper()
	var wg sync.WaitGroup
	next := make(chan struct{})
	for range workers {
		wg.Go(func() {
			for range next {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					tb.Error(err)
					return
				}
				_ = c.SetDeadline(time.Now().Add(10 * time.Second))
				_, _ = c.Write(first)
				_ = c.(*net.TCPConn).CloseWrite()
				_, _ = io.Copy(io.Discard, c)
				_ = c.Close()
			}
		})
	}
	for range n {
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
}

// Rates sums the pairs of a connection-rate benchmark (a fuzz run, then the
// bare loop for as many connections) and keeps each pair's ratio.
type Rates struct {
	conns              int64
	fuzzTime, bareTime time.Duration
	ratios             []float64
}

// Add records one pair: conns connections in fuzz time by the fuzzer, in bare time by the loop.
func (r *Rates) Add(conns int64, fuzz, bare time.Duration) {
	r.conns += conns
	r.fuzzTime += fuzz
	r.bareTime += bare
	r.ratios = append(r.ratios, bare.Seconds()/fuzz.Seconds()) // same connections: the rates' ratio
}

// Fuzz is the fuzzer's connections per second over all pairs.
func (r *Rates) Fuzz() float64 { return float64(r.conns) / r.fuzzTime.Seconds() }

// Bare is the loop's connections per second over all pairs.
func (r *Rates) Bare() float64 { return float64(r.conns) / r.bareTime.Seconds() }

// Median is the middle pair's ratio of the fuzzer's rate to the loop's: on
// two cores shared with the server, a burst of other work hits one pair's
// side and not the other's, and the median is what such bursts do not move.
func (r *Rates) Median() float64 {
	if len(r.ratios) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(r.ratios))
	return s[len(s)/2]
}
