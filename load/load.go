// Package load is chatspec's load workload: N clients log in and chat
// publicly, privately and (Pat Chat) in rooms they create, join and leave at
// random under a seed, while every message written and read is recorded.
// At the end the history checker (package oracle) judges every delivery;
// the result holds the throughput, the latency percentiles and every
// violation.
package load

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/chatspec/chatspec/oracle"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

// Protocol names.
const (
	ChatOS  = "chatos"
	PatChat = "patchat"
)

// ErrSetup: clients could not connect or log in, so nothing was measured.
var ErrSetup = errors.New("load: setup failed")

// Config is one load run.
type Config struct {
	Protocol string
	Addr     string
	Clients  int
	Duration time.Duration
	Rate     float64 // messages (or room actions) per second per client
	Seed     uint64
	Dialect  *wire.Dialect // patchat: how to drive the server
	Timeout  time.Duration // longest wait for a reply (default 5s)
	Drain    time.Duration // quiet time that ends the run after the last send (default 1s)
}

// Result is what a load run measured and what the checker found.
type Result struct {
	results.LoadFigures
	ClientErrors []string         `json:"client_errors,omitempty"`
	Check        oracle.Report    `json:"check"`
	Rows         []results.Result `json:"rows,omitempty"`

	// History is everything the checker judged, for the HTML report's
	// figures; load.json leaves it out (it holds every delivery).
	History *results.History `json:"-"`
}

// Violations is how many violations the checker found.
func (r Result) Violations() int { return len(r.Check.Violations) + r.Check.Omitted }

// maxEvents bounds the events a load run records (about 150 bytes each).
const maxEvents = 16 << 20

// client is one simulated user.
type client interface {
	// act does one random thing (a message, a room change).
	act(ctx context.Context, rng *rand.Rand) error
	// close ends the connection and records it.
	close()
}

// world is what every client of one run shares.
type world struct {
	cfg   Config
	log   *transcript.Log
	run   string   // letters unique to the run, in every name and text
	nicks []string // every client's name
	rooms []string // Pat Chat: the rooms clients create and join

	settled time.Duration // on the log's clock: the drain found the server quiet
}

// Run runs the workload and checks its history.
func Run(ctx context.Context, cfg Config) (Result, error) {
	cfg = defaults(cfg)
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	w := &world{cfg: cfg, log: transcript.New(), run: letters(rng, 5)}
	w.log.SetMaxEvents(maxEvents)
	for i := range cfg.Clients {
		w.nicks = append(w.nicks, fmt.Sprintf("l%s%d", w.run, i))
	}
	for i := range max(3, cfg.Clients/10) {
		w.rooms = append(w.rooms, fmt.Sprintf("lr%s%d", w.run, i))
	}
	clients, err := w.connectAll(ctx)
	if err != nil {
		return Result{}, err
	}
	start := time.Now()
	errs := w.drive(ctx, clients, rng)
	w.drain(ctx)
	w.settled = time.Since(w.log.Start())
	for _, c := range clients {
		c.close()
	}
	res := w.result(time.Since(start))
	res.ClientErrors = errs
	return res, nil
}

func defaults(cfg Config) Config {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Drain <= 0 {
		cfg.Drain = time.Second
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 2
	}
	cfg.Clients = max(cfg.Clients, 2)
	return cfg
}

func letters(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + rng.IntN(26))
	}
	return string(b)
}

// connectAll logs every client in, a few at a time.
func (w *world) connectAll(ctx context.Context) ([]client, error) {
	clients := make([]client, len(w.nicks))
	errs := make([]error, len(w.nicks))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range w.nicks {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			clients[i], errs[i] = w.connect(ctx, i)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, c := range clients {
			if c != nil {
				c.close()
			}
		}
		return nil, fmt.Errorf("%w: %w", ErrSetup, err)
	}
	return clients, nil
}

func (w *world) connect(ctx context.Context, i int) (client, error) {
	if w.cfg.Protocol == PatChat {
		return w.connectPatChat(ctx, i)
	}
	return w.connectChatOS(ctx, i)
}

// drive runs every client for the duration at its rate; each has its own
// random source drawn from the run's, so a seed gives the same choices.
func (w *world) drive(ctx context.Context, clients []client, rng *rand.Rand) []string {
	until, cancel := context.WithTimeout(ctx, w.cfg.Duration)
	defer cancel()
	every := time.Duration(float64(time.Second) / w.cfg.Rate)
	var mu sync.Mutex
	var errs []string
	var wg sync.WaitGroup
	for _, c := range clients {
		crng := rand.New(rand.NewPCG(rng.Uint64(), rng.Uint64()))
		wg.Go(func() {
			if err := pace(ctx, until, every, crng, c); err != nil {
				mu.Lock()
				errs = append(errs, err.Error())
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errs
}

// pace calls act every interval (jittered) until until ends; a client
// whose action fails stops, and its error is reported. An action started
// is finished under ctx, so no message is cut off half-sent at the end.
func pace(ctx, until context.Context, every time.Duration, rng *rand.Rand, c client) error {
	t := time.NewTimer(time.Duration(rng.Int64N(int64(every) + 1)))
	defer t.Stop()
	for {
		select {
		case <-until.Done():
			return nil
		case <-t.C:
		}
		if err := c.act(ctx, rng); err != nil {
			return err
		}
		t.Reset(every/2 + time.Duration(rng.Int64N(int64(every)+1)))
	}
}

// drain waits until nothing has arrived for the drain time (at most ten
// drain times), so every message in flight is read before the check.
func (w *world) drain(ctx context.Context) {
	deadline := time.Now().Add(10 * w.cfg.Drain)
	last := -1
	for time.Now().Before(deadline) && ctx.Err() == nil {
		evs, _ := w.log.Events()
		if len(evs) == last {
			return
		}
		last = len(evs)
		t := time.NewTimer(w.cfg.Drain)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
}

// result builds and checks the history, and measures it.
func (w *world) result(d time.Duration) Result {
	h := oracle.Build([]oracle.Source{oracle.SourceOf(w.log, "load")})
	rep := oracle.Check(&h, oracle.Options{Protocol: w.cfg.Protocol, Lost: true, Settled: w.settled})
	res := Result{LoadFigures: results.LoadFigures{Protocol: w.cfg.Protocol, Clients: w.cfg.Clients, Duration: d,
		Seed: w.cfg.Seed, Sent: len(h.Messages), Deliveries: len(h.Deliveries), Lost: rep.Lost, Duplicated: rep.Duplicated},
		Check: rep, History: &h}
	res.PerSecond = float64(len(h.Deliveries)) / w.cfg.Duration.Seconds()
	res.LatencyP50, res.LatencyP99, res.LatencyMax = latencies(&h)
	res.Bridges, res.BridgeLines = bridgeFigures(&h)
	for _, v := range rep.Violations {
		res.Rows = append(res.Rows, oracle.Row(w.cfg.Protocol, v))
	}
	return res
}

// bridgeFigures counts the private connections both of whose halves got
// 11, and the lines received on private connections.
func bridgeFigures(h *results.History) (joined, lines int) {
	halves := map[string]int{}
	for _, s := range h.Spans {
		if s.Kind == results.SpanBridge && s.Begun != results.Forever {
			if halves[s.Key]++; halves[s.Key] == 2 {
				joined++
			}
		}
	}
	for _, d := range h.Deliveries {
		if d.Kind == results.KindBridge {
			lines++
		}
	}
	return joined, lines
}

// latencies are the 50th and 99th percentiles and the maximum of the time
// from writing a message to each of its deliveries.
func latencies(h *results.History) (p50, p99, maxL time.Duration) {
	var l []time.Duration
	for _, d := range h.Deliveries {
		if d.Msg >= 0 {
			l = append(l, d.At-h.Messages[d.Msg].At)
		}
	}
	if len(l) == 0 {
		return 0, 0, 0
	}
	slices.Sort(l)
	at := func(q float64) time.Duration { return l[min(len(l)-1, int(q*float64(len(l))))] }
	return at(0.50), at(0.99), l[len(l)-1]
}
