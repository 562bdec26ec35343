package chatos

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

const (
	fanoutClients = 100
	fanoutWindow  = 128 // messages in flight, below the default queue bound
)

// fanoutRx is one logged-in client's receiving side in BenchmarkFanout100.
type fanoutRx struct {
	nc        net.Conn
	r         *wire.Reader
	received  atomic.Int64
	latencies []int64 // nanoseconds, one per message
	err       error
}

// BenchmarkFanout100: 100 logged-in clients over loopback; one of them sends
// public messages (echo on, so all 100 receive each one). Each text carries
// its send time; every receiver records the delivery latency. The sender
// keeps at most fanoutWindow messages ahead of the slowest receiver.
func BenchmarkFanout100(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, DefaultConfig()) }()
	defer func() { cancel(); <-served }()

	rxs := make([]*fanoutRx, fanoutClients)
	for i := range rxs {
		rxs[i] = benchLogin(b, ln.Addr().String(), fmt.Sprintf("c%d", i), b.N)
		defer rxs[i].nc.Close()
	}
	progress := make(chan struct{}, 1)
	var failed atomic.Bool
	var wg sync.WaitGroup
	for _, rx := range rxs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rx.err = rx.receive(b.N, progress); rx.err != nil {
				failed.Store(true)
				progress <- struct{}{}
			}
		}()
	}

	b.ResetTimer()
	begin := time.Now()
	sender := rxs[0].nc
	for i := 0; i < b.N; i++ {
		for int64(i)-minReceived(rxs) >= fanoutWindow && !failed.Load() {
			<-progress
		}
		if failed.Load() {
			break
		}
		text := strconv.FormatInt(time.Now().UnixNano(), 10)
		if _, err := sender.Write(wire.Append(nil, wire.PublicMessage{From: "c0", Text: text})); err != nil {
			b.Fatal(err)
		}
	}
	wg.Wait()
	elapsed := time.Since(begin)
	b.StopTimer()

	var all []int64
	for _, rx := range rxs {
		if rx.err != nil {
			b.Fatal(rx.err)
		}
		all = append(all, rx.latencies...)
	}
	slices.Sort(all)
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(all[len(all)*99/100])/1e3, "p99-µs")
}

func benchLogin(b *testing.B, addr, nick string, n int) *fanoutRx {
	nc, err := net.DialTimeout("tcp", addr, waitFor)
	if err != nil {
		b.Fatal(err)
	}
	_ = nc.SetDeadline(time.Now().Add(time.Minute))
	rx := &fanoutRx{nc: nc, r: wire.NewReader(nc, 0), latencies: make([]int64, 0, n)}
	if _, err := nc.Write(wire.Append(nil, wire.Login{Nick: nick})); err != nil {
		b.Fatal(err)
	}
	if p, _, err := rx.r.Next(); err != nil || p != wire.Packet(wire.LoginAccepted{Nick: nick}) {
		b.Fatalf("login %s: %v %v", nick, p, err)
	}
	return rx
}

// receive reads n public messages, recording each one's latency.
func (rx *fanoutRx) receive(n int, progress chan<- struct{}) error {
	for len(rx.latencies) < n {
		p, _, err := rx.r.Next()
		if err != nil {
			return err
		}
		pm, ok := p.(wire.PublicMessage)
		if !ok || !strings.HasPrefix(pm.From, "c0") {
			continue
		}
		sent, err := strconv.ParseInt(pm.Text, 10, 64)
		if err != nil {
			return err
		}
		rx.latencies = append(rx.latencies, time.Now().UnixNano()-sent)
		rx.received.Add(1)
		select {
		case progress <- struct{}{}:
		default:
		}
	}
	return nil
}

func minReceived(rxs []*fanoutRx) int64 {
	m := rxs[0].received.Load()
	for _, rx := range rxs[1:] {
		m = min(m, rx.received.Load())
	}
	return m
}
