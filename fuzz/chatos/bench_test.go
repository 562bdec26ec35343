package chatos

import (
	"context"
	"io"
	"math/rand/v2"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/target"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// benchWorkers is the concurrency of the fuzzer and of the bare loop, so
// they compare.
const benchWorkers = 4

// BenchmarkFuzzChatos: fuzz cases per second against the in-process
// reference, with the CLI's defaults (4 workers, adaptive health probes).
func BenchmarkFuzzChatos(b *testing.B) {
	tg := inProcess(b)
	sum := fuzzFor(b, oracles(tg), b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
	b.ReportMetric(float64(sum.Connections)/b.Elapsed().Seconds(), "conns/s")
}

// BenchmarkConnectionRate runs the fuzzer and a bare loop side by side
// against the same in-process reference, with the same concurrency: the
// loop connects, sends one LOGIN, half-closes and waits for the server to
// close, as many connections as the fuzzer's cases and probes opened. One
// iteration alternates the two ratePairs times, rateCases cases each, so a
// change in the machine's load hits both alike and the ends of the runs
// (workers finishing unevenly) weigh alike on both; the fuzzer's time is
// the engine's own clock (first case to summary), the loop's its wall time.
//
// "ratio" is the fuzzer's connections per second over the loop's (the
// target is >= 0.8). Its cases send more than one LOGIN (walks that wait
// for replies, byte-at-a-time writes, 64 KiB strings), so "path-ratio"
// runs the same engine on cases that are exactly the loop's connection:
// the cost of the fuzzer's path alone (generation aside), like with like.
func BenchmarkConnectionRate(b *testing.B) {
	tg := inProcess(b)
	real, path := rates{}, rates{}
	for range b.N * ratePairs {
		real.pair(b, tg, New())
		path.pair(b, tg, loginCases{New()})
	}
	b.ReportMetric(real.fuzz(), "fuzz-conns/s")
	b.ReportMetric(real.bare(), "bare-conns/s")
	b.ReportMetric(real.fuzz()/real.bare(), "ratio")
	b.ReportMetric(path.fuzz()/path.bare(), "path-ratio")
}

// ratePairs and rateCases shape one iteration of BenchmarkConnectionRate.
const ratePairs, rateCases = 10, 200

// rates sums the two sides of BenchmarkConnectionRate.
type rates struct {
	conns              int64
	fuzzTime, bareTime time.Duration
}

// pair runs rateCases cases of p, then the bare loop for as many connections.
func (r *rates) pair(b *testing.B, tg target.Target, p fuzz.Protocol) {
	sum := fuzzFor(b, &fuzz.Oracles{Target: tg, Protocol: p}, rateCases)
	r.fuzzTime += sum.Elapsed
	r.conns += sum.Connections
	start := time.Now()
	bareLoop(b, tg.Addr(), int(sum.Connections))
	r.bareTime += time.Since(start)
}

func (r *rates) fuzz() float64 { return float64(r.conns) / r.fuzzTime.Seconds() }
func (r *rates) bare() float64 { return float64(r.conns) / r.bareTime.Seconds() }

// loginCases is the ChatOS protocol with every case the bare loop's
// connection: one LOGIN.
type loginCases struct{ fuzz.Protocol }

func (loginCases) Generate(*rand.Rand) fuzz.Case {
	step := fuzz.Step{Data: wire.MustEncode(wire.Login{Nick: "bench"})}
	return fuzz.Case{Conns: []fuzz.ConnScript{{Steps: []fuzz.Step{step}}}}
}

// fuzzFor runs n cases with the CLI's defaults; a finding fails the benchmark.
func fuzzFor(b *testing.B, o *fuzz.Oracles, n int) fuzz.Summary {
	b.Helper()
	e := fuzz.NewEngine(fuzz.Config{Oracles: o, Seed: 1, Cases: n, Workers: benchWorkers, ProbeEvery: 4})
	sum, err := e.Run(context.Background())
	require.NoError(b, err)
	require.Empty(b, sum.Findings)
	return sum
}

// bareLoop opens n connections to addr with benchWorkers at once: connect,
// one login frame, half-close, read until the server closes.
func bareLoop(b *testing.B, addr string, n int) {
	b.Helper()
	frame := wire.MustEncode(wire.Login{Nick: "bench"})
	var wg sync.WaitGroup
	next := make(chan struct{})
	for range benchWorkers {
		wg.Go(func() {
			for range next {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = c.Write(frame)
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
