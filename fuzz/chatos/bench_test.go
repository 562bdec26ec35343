package chatos

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// benchWorkers is the concurrency of both benchmarks, so they compare.
const benchWorkers = 4

// BenchmarkFuzzChatos: fuzz cases per second against the in-process
// reference, with the CLI's defaults (4 workers, a health probe every 4 cases).
func BenchmarkFuzzChatos(b *testing.B) {
	tg := inProcess(b)
	e := fuzz.NewEngine(fuzz.Config{Oracles: oracles(tg), Seed: 1, Cases: b.N, Workers: benchWorkers, ProbeEvery: 4})
	b.ResetTimer()
	sum, err := e.Run(context.Background())
	b.StopTimer()
	require.NoError(b, err)
	require.Empty(b, sum.Findings)
	conns := 2 * sum.Probes // each probe logs in two clients
	for i := range b.N {
		conns += int64(len(fuzz.GenerateCase(New(), 1, i).Conns))
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
	b.ReportMetric(float64(conns)/b.Elapsed().Seconds(), "conns/s")
}

// BenchmarkLoopbackConnectSendClose is the physical limit on this machine: a
// bare loopback connect, one login frame, half-close, wait for the server's
// close; the server only reads until EOF. Same concurrency as the fuzzer.
func BenchmarkLoopbackConnectSendClose(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c); _ = c.Close() }()
		}
	}()
	frame := wire.MustEncode(wire.Login{Nick: "bench"})
	var wg sync.WaitGroup
	next := make(chan struct{})
	b.ResetTimer()
	for range benchWorkers {
		wg.Go(func() {
			for range next {
				c, err := net.Dial("tcp", ln.Addr().String())
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
	for range b.N {
		next <- struct{}{}
	}
	close(next)
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "conns/s")
}
