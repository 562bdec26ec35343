package fuzz

import (
	"bufio"
	"context"
	"math/rand/v2"
	"net"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/target"
)

// twoSiteServer has two crash sites: a connection that sends "A" or "B"
// arms it and is closed; the next health probe ("ping") then panics with
// "site a" or "site b". A case that arms both holds two bugs, and which one
// fires is the server's race: here flips decides, in turn, so the test is
// the same every time. The probe's connection is closed only once exited
// says the server has died, so the probe that killed it sees the exit.
func twoSiteServer(flips *atomic.Int64, exited func() bool) target.ServeFunc {
	return func(ctx context.Context, ln net.Listener) error {
		var mu sync.Mutex
		var armed []string // this run's crash sites, sorted
		fired := false
		die := make(chan string, 1)
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go func() {
					defer c.Close()
					deadline := time.Now().Add(5 * time.Second)
					_ = c.SetDeadline(deadline)
					sc := bufio.NewScanner(c)
					for sc.Scan() {
						switch line := sc.Text(); line {
						case "A", "B":
							mu.Lock()
							armed = append(armed, "site "+map[string]string{"A": "a", "B": "b"}[line])
							slices.Sort(armed) // the order the connections came in is the scheduler's
							mu.Unlock()
							return
						case "ping":
							mu.Lock()
							msg := ""
							if len(armed) > 0 && !fired {
								msg, fired = armed[int(flips.Add(1))%len(armed)], true
							}
							dead := fired
							mu.Unlock()
							if msg != "" {
								die <- msg
								for !exited() && time.Now().Before(deadline) {
									runtime.Gosched()
								}
							}
							if dead {
								return
							}
						}
						_, _ = c.Write(append(sc.Bytes(), '\n'))
					}
				}()
			}
		}()
		select {
		case <-ctx.Done():
			return nil
		case msg := <-die:
			panic(msg)
		}
	}
}

// mixedProtocol makes case index at a case of two connections, one
// sending "A" and the other "B"; every other case sends "ok".
type mixedProtocol struct {
	*toy
	seed int64
	at   int
}

func (p mixedProtocol) Generate(r *rand.Rand) Case {
	first := r.Uint64()
	c := p.toy.Generate(r)
	if first == CaseRand(p.seed, p.at).Uint64() {
		c.Conns = []ConnScript{{Steps: []Step{{Data: []byte("A\n")}}}, {Steps: []Step{{Data: []byte("B\n")}}}}
	}
	return c
}

// A case with two crash sites, one per connection, fires either signature
// as the server's race goes. Each becomes its own finding, narrowed to the
// connection that fires it every time; neither is lost because isolation
// saw the other one first.
func TestMultiSiteCaseGivesOneFindingPerSignature(t *testing.T) {
	var flips atomic.Int64
	var tg target.Target
	exited := func() bool { _, ok := tg.Exited(); return ok }
	tg, err := target.InProcess(context.Background(), twoSiteServer(&flips, exited))
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	o := &Oracles{Target: tg, Protocol: mixedProtocol{toy: &toy{}, seed: 7, at: 5}, ProbeTimeout: 2 * time.Second}
	flips.Store(-1) // the run's crash fires site a; isolation's first run of the case fires site b
	e := NewEngine(Config{Oracles: o, Seed: 7, Cases: 12, Workers: 1, MaxProbe: 1})
	sum, err := e.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, sum.Findings, 2, "stopped: %s; %v", sum.Stopped, sum.Findings)
	keys := map[string]string{}
	for _, f := range sum.Findings {
		assert.Equal(t, 5, f.CaseIndex)
		assert.NotContains(t, f.Detail, "not reproduced")
		require.Len(t, f.Case.Conns, 1, "narrowed to the connection that fires %s", f.Signature.Key)
		keys[string(f.Case.Conns[0].Steps[0].Data)] = f.Signature.Key
		for range 3 { // each replays as itself, whatever the flips
			v, err := Replay(context.Background(), o, f)
			require.NoError(t, err)
			assert.True(t, Reproduces(f, v), "%s replayed as %v", f.Signature.Key, v)
			require.NoError(t, o.Restart(context.Background()))
		}
	}
	assert.Contains(t, keys["A\n"], "site a")
	assert.Contains(t, keys["B\n"], "site b")
}

// slowAfterRestart is the toy protocol whose probe gets no answer the first
// time after each restart of its target, as a probe starved by a busy
// machine does.
type slowAfterRestart struct {
	twoBugs
	starve *atomic.Bool
}

func (p slowAfterRestart) Probe(ctx context.Context, addr string) error {
	if p.starve.CompareAndSwap(true, false) {
		return ProbeNetError("read", context.DeadlineExceeded)
	}
	return p.toy.Probe(ctx, addr)
}

// restartCounter arms starve at each restart.
type restartCounter struct {
	target.Target
	starve *atomic.Bool
}

func (r restartCounter) Restart(ctx context.Context) error {
	err := r.Target.Restart(ctx)
	r.starve.Store(true)
	return err
}

// One probe that gets no answer after the restart that heals a crash does
// not end the run: the finding after it is still found.
func TestHealSurvivesAStarvedProbeAfterRestart(t *testing.T) {
	var starve atomic.Bool
	p := slowAfterRestart{twoBugs: twoBugs{toy: &toy{}, seed: 4, bad: 60, die: 20}, starve: &starve}
	o := &Oracles{Target: restartCounter{Target: startToy(t), starve: &starve}, Protocol: p, ProbeTimeout: 2 * time.Second}
	e := NewEngine(Config{Oracles: o, Seed: 4, Cases: 100, Workers: 1})
	sum, err := e.Run(context.Background())
	require.NoError(t, err)
	assert.Empty(t, sum.Stopped)
	require.Len(t, sum.Findings, 2)
	assert.Equal(t, KindExit, sum.Findings[0].Kind)
	assert.Equal(t, KindProtocol, sum.Findings[1].Kind)
	assert.EqualValues(t, 100, sum.Cases)
}
