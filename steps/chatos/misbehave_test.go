package chatos_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/chatspec/chatspec/features"
	"github.com/chatspec/chatspec/internal/testserver"
	"github.com/chatspec/chatspec/profile"
	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/steps"
	"github.com/chatspec/chatspec/steps/chatos"
	"github.com/chatspec/chatspec/target"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/require"
)

// A misbehaving server for these tests is the reference behind a few lines
// of proxy: the proxy reads what a client sends the way the broken server
// would, and passes on only what that server would act on.
type misbehaviour struct {
	// drop: frames the broken server ignores (nil: none).
	drop func(wire.Packet) bool
	// oneFramePerRead: each read from the client is taken as one frame; the
	// rest of the read is lost and a frame split over reads fails.
	oneFramePerRead bool
}

// Timeouts of the runs against a misbehaving server. A check that waits for
// what the broken server never sends fails at its timeout, however long: a
// run where every row waits like that needs no margin (short: the usual
// 2 s, more under the race detector), and one that compares whole suites
// row by row gets more for the rows that must still pass on a busy machine
// (wide).
const (
	short = testserver.Wide / 2
	wide  = testserver.Wide
)

// runMisbehaving runs the ChatOS suite (tags) against the reference behind
// misbehaviour m, with the given timeout, 16 scenarios at once so that those
// waiting out their timeout wait together.
func runMisbehaving(t *testing.T, m misbehaviour, tags string, timeout time.Duration) *results.Run {
	t.Helper()
	cfg := refchatos.DefaultConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	tg, err := target.InProcess(context.Background(), func(ctx context.Context, ln net.Listener) error {
		inner, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		go func() { _ = refchatos.Serve(ctx, inner, cfg) }()
		return m.serve(ctx, ln, inner.Addr().String())
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	env := &steps.Env{Target: tg, Profile: profile.Default(), Timeout: timeout, Quiet: 250 * time.Millisecond}
	run, err := steps.Run(context.Background(), chatos.Suite(steps.Suite{Features: features.ChatOS()}), env,
		steps.Options{Tags: tags, Concurrency: 16})
	require.NoError(t, err)
	return run
}

func (m misbehaviour) serve(ctx context.Context, ln net.Listener, upstream string) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	go func() { <-ctx.Done(); _ = ln.Close() }()
	for {
		c, err := ln.Accept()
		if err != nil {
			return nil
		}
		up, err := net.Dial("tcp", upstream)
		if err != nil {
			_ = c.Close()
			continue
		}
		wg.Add(2)
		go func() { defer wg.Done(); _, _ = io.Copy(c, up); _ = c.Close() }()
		go func() { defer wg.Done(); m.pump(c, up); _ = up.Close() }()
	}
}

// pump passes what the client sends to the server, frame by frame, until
// the client presents a connect id: from then on the connection is a
// bridge half and carries raw bytes.
func (m misbehaviour) pump(c, up net.Conn) {
	rd := wire.NewReader(c, 1<<20)
	next := rd.Next
	if m.oneFramePerRead {
		next = oneRead(c)
	}
	for {
		p, raw, err := next()
		if errors.As(err, new(*wire.FrameError)) && !m.oneFramePerRead {
			_, _ = up.Write(rd.Buffered()) // not frames: pass them on as they are
			break
		}
		if err != nil {
			return
		}
		if m.drop == nil || !m.drop(p) {
			if _, err := up.Write(raw); err != nil {
				return
			}
		}
		if p.Opcode() == wire.OpPresentID {
			break
		}
	}
	_, _ = io.Copy(up, c)
}

// oneRead is the classic "one recv is one message" bug.
func oneRead(c net.Conn) func() (wire.Packet, []byte, error) {
	buf := make([]byte, 1<<20)
	return func() (wire.Packet, []byte, error) {
		n, err := c.Read(buf)
		if n == 0 {
			return nil, nil, errors.Join(err, io.ErrNoProgress)
		}
		return wire.NewReader(bytes.NewReader(buf[:n]), 1<<20).Next()
	}
}
