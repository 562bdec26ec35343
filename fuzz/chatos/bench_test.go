package chatos

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/internal/testserver"
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
	sum := fuzzFor(b, oracles(tg), 1, b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
	b.ReportMetric(float64(sum.Connections)/b.Elapsed().Seconds(), "conns/s")
}

// BenchmarkConnectionRate runs the fuzzer and a bare loop side by side
// against the same in-process reference, with the same concurrency: the
// loop connects, sends one LOGIN, half-closes and waits for the server to
// close, as many connections as the fuzzer's cases and probes opened. One
// iteration alternates the two ratePairs times; the fuzzer's time is the
// engine's own clock (first case to summary), the loop's its wall time.
// Each fuzz run is rateCases cases of a seed of its own, so the figure is
// the case mix's rather than that of a few hundred cases run over and over,
// and long enough that the health probes, every 4th case at first, have
// mostly relaxed to the interval a real run keeps (a run of 300 cases
// probed 8 times, and its ratio was 0.04 lower for it).
//
// "ratio" is the median over the pairs of the fuzzer's connections per
// second over the loop's (the target is >= 0.8; see testserver.Rates for
// why the median). Its cases send
// more than one LOGIN (walks that wait for replies, drips, 64 KiB
// strings), so "path-ratio" runs the same engine on cases that are exactly
// the loop's connection: the cost of the fuzzer's path alone (generation
// aside), like with like. The conns/s figures are the totals'.
func BenchmarkConnectionRate(b *testing.B) {
	tg := inProcess(b)
	var real, path testserver.Rates
	for i := range b.N * ratePairs {
		seed := int64(i + 1)
		pair(b, &real, tg, New(), seed)
		pair(b, &path, tg, loginCases{New()}, seed)
	}
	b.ReportMetric(real.Fuzz(), "fuzz-conns/s")
	b.ReportMetric(real.Bare(), "bare-conns/s")
	b.ReportMetric(real.Median(), "ratio")
	b.ReportMetric(path.Median(), "path-ratio")
}

// ratePairs and rateCases shape one iteration of BenchmarkConnectionRate.
const ratePairs, rateCases = 16, 1000

// pair runs rateCases cases of p from seed, then the bare loop for as many
// connections, and adds the two to r.
func pair(b *testing.B, r *testserver.Rates, tg target.Target, p fuzz.Protocol, seed int64) {
	sum := fuzzFor(b, &fuzz.Oracles{Target: tg, Protocol: p}, seed, rateCases)
	start := time.Now()
	testserver.BareLoop(b, tg.Addr(), wire.MustEncode(wire.Login{Nick: "bench"}), int(sum.Connections), benchWorkers)
	r.Add(sum.Connections, sum.Elapsed, time.Since(start))
}

// loginCases is the ChatOS protocol with every case the bare loop's
// connection: one LOGIN.
type loginCases struct{ fuzz.Protocol }

func (loginCases) Generate(*rand.Rand) fuzz.Case {
	step := fuzz.Step{Data: wire.MustEncode(wire.Login{Nick: "bench"})}
	return fuzz.Case{Conns: []fuzz.ConnScript{{Steps: []fuzz.Step{step}}}}
}

// fuzzFor runs n cases from seed with the CLI's defaults; a finding fails the benchmark.
func fuzzFor(b *testing.B, o *fuzz.Oracles, seed int64, n int) fuzz.Summary {
	b.Helper()
	e := fuzz.NewEngine(fuzz.Config{Oracles: o, Seed: seed, Cases: n, Workers: benchWorkers, ProbeEvery: 4})
	sum, err := e.Run(context.Background())
	require.NoError(b, err)
	require.Empty(b, sum.Findings)
	return sum
}
