package chatos

import (
	"context"
	"io"
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
	sum := fuzzFor(b, tg, b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
	b.ReportMetric(float64(sum.Connections)/b.Elapsed().Seconds(), "conns/s")
}

// BenchmarkConnectionRate runs the fuzzer and a bare loop side by side
// against the same in-process reference, with the same concurrency: the
// loop connects, sends one LOGIN, half-closes and waits for the server to
// close, as many connections as the fuzzer's cases and probes opened. Each
// iteration is one such pair, rateCases cases long, so that the ends of
// the runs (workers finishing unevenly) weigh alike on both; the fuzzer's
// time is the engine's own clock (first case to summary), the loop's its
// wall time. "ratio" is the fuzzer's connections per second over the
// loop's: the target is >= 0.8.
func BenchmarkConnectionRate(b *testing.B) {
	tg := inProcess(b)
	const rateCases = 500
	var conns int64
	var fuzzTime, bareTime time.Duration
	for range b.N { // alternate the two, so a change in the machine's load hits both alike
		sum := fuzzFor(b, tg, rateCases)
		fuzzTime += sum.Elapsed
		conns += sum.Connections
		start := time.Now()
		bareLoop(b, tg.Addr(), int(sum.Connections))
		bareTime += time.Since(start)
	}
	fuzzRate := float64(conns) / fuzzTime.Seconds()
	bareRate := float64(conns) / bareTime.Seconds()
	b.ReportMetric(fuzzRate, "fuzz-conns/s")
	b.ReportMetric(bareRate, "bare-conns/s")
	b.ReportMetric(fuzzRate/bareRate, "ratio")
}

// fuzzFor runs n cases with the CLI's defaults; a finding fails the benchmark.
func fuzzFor(b *testing.B, tg target.Target, n int) fuzz.Summary {
	b.Helper()
	o := oracles(tg)
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
