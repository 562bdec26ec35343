package fuzz

import (
	"bufio"
	"context"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/target"
)

// flipServer answers the toy probe ("ping" echoed) and dies with a panic
// on two lines: "ALPHA" always panics "flip alpha"; "FLIP" panics "flip
// alpha" or "flip beta" in turn (a case with two bugs whose race the
// server decides), starting with alpha after flips is reset.
func flipServer(flips *atomic.Int64) target.ServeFunc {
	return func(ctx context.Context, ln net.Listener) error {
		die := make(chan string, 1)
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go flipConn(c, flips, die)
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

func flipConn(c net.Conn, flips *atomic.Int64, die chan<- string) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		msg := map[string]string{"ALPHA": "flip alpha", "FLIP": []string{"flip alpha", "flip beta"}[flips.Add(1)%2]}[sc.Text()]
		if msg == "" {
			_, _ = c.Write(append(sc.Bytes(), '\n'))
			continue
		}
		select {
		case die <- msg:
		default:
		}
		return
	}
}

// A candidate that fires the signature only now and then (its case holds
// two bugs) is passed over for one that fires it every time, so the
// finding replays as itself.
func TestIsolatePrefersASteadyCulprit(t *testing.T) {
	var flips atomic.Int64
	tg, err := target.InProcess(context.Background(), flipServer(&flips))
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	o := &Oracles{Target: tg, Protocol: &toy{}, ProbeTimeout: 2 * time.Second}
	line := func(s string) Case {
		return Case{Protocol: "toy", Conns: []ConnScript{{Steps: []Step{{Data: []byte(s + "\n")}}}}}
	}
	ctx := context.Background()
	v := o.Test(ctx, line("ALPHA"), true)
	require.NotNil(t, v)
	require.Contains(t, v.Signature.Key, "flip alpha")
	flips.Store(-1) // the next FLIP fires alpha, the one after beta
	e := NewEngine(Config{Oracles: o})
	cands := []recentCase{{index: 1, c: line("FLIP")}, {index: 2, c: line("ALPHA")}}
	culprit, got, found, _ := e.isolate(ctx, e.lanes[0], v, cands)
	require.True(t, found)
	assert.Equal(t, 2, culprit.index, "the steady one, not the first that fired")
	assert.True(t, v.Matches(got))

	flips.Store(-1)
	culprit, _, found, _ = e.isolate(ctx, e.lanes[0], v, cands[:1])
	assert.True(t, found, "without a steady one, the first that fired")
	assert.Equal(t, 1, culprit.index)
}
