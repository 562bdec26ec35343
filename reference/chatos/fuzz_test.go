package chatos

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzServeConn feeds random client bytes through net.Pipe into the
// per-connection handler: it must not panic, must return once the pipe
// closes, and must leave no goroutine behind (the server's WaitGroup, which
// counts the handler and its writer, must drain).
func FuzzServeConn(f *testing.F) {
	login := wire.Append(nil, wire.Login{Nick: "fuzz"})
	for _, seed := range [][]byte{
		login,
		append(login, wire.Append(nil, wire.PublicMessage{From: "x", Text: "hello"})...),
		append(login, wire.Append(nil, wire.PrivateMessage{From: "x", To: "fuzz", Text: "me"})...),
		append(login, wire.Append(nil, wire.PrivateRequest{From: "x", To: "fuzz"})...),
		append(login, wire.Append(nil, wire.PrivateAccept{From: "fuzz", To: "fuzz"})...),
		wire.Append(nil, wire.PresentID{ID: 7}),
		append(wire.Append(nil, wire.PresentID{ID: 7}), "raw bytes"...),
		{0x00, 0x7f, 0xff, 0xff, 0xff},
		{0x0c},
		{},
	} {
		f.Add(seed)
	}
	cfg := DefaultConfig()
	cfg.IdleTimeout = 2 * time.Second
	cfg.WriteTimeout = time.Second
	f.Fuzz(func(t *testing.T, data []byte) {
		spy := &panicSpy{}
		cfg.Logger = slog.New(spy)
		s, err := newServer(cfg)
		if err != nil {
			t.Fatal(err)
		}
		cli, srv := net.Pipe()
		c := s.admit(srv)
		handled := make(chan struct{})
		go func() { s.serveConn(c); close(handled) }()
		go func() { _, _ = io.Copy(io.Discard, cli) }()
		_ = cli.SetWriteDeadline(time.Now().Add(time.Second))
		_, _ = cli.Write(data)
		cli.Close()
		select {
		case <-handled:
		case <-time.After(5 * time.Second):
			t.Fatal("handler did not return after the client closed")
		}
		drained := make(chan struct{})
		go func() { s.wg.Wait(); close(drained) }()
		select {
		case <-drained:
		case <-time.After(5 * time.Second):
			t.Fatal("a connection goroutine outlived its connection")
		}
		if msg := spy.panicked.Load(); msg != nil {
			t.Fatalf("a connection goroutine panicked (recovered): %s", *msg)
		}
	})
}

// panicSpy is a slog.Handler that remembers a recovered panic, which the
// server otherwise only logs.
type panicSpy struct{ panicked atomic.Pointer[string] }

func (*panicSpy) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }
func (*panicSpy) WithAttrs([]slog.Attr) slog.Handler           { panic("unused") }
func (*panicSpy) WithGroup(string) slog.Handler                { panic("unused") }

func (p *panicSpy) Handle(_ context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, "panic") {
		var desc string
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "panic" {
				desc = a.Value.String()
			}
			return true
		})
		p.panicked.Store(&desc)
	}
	return nil
}

// The fuzz oracle sees a recovered panic: proof that FuzzServeConn can fail.
func TestPanicSpySeesRecoveredPanic(t *testing.T) {
	spy := &panicSpy{}
	cfg := DefaultConfig()
	cfg.Logger = slog.New(spy)
	cfg.onPacket = func(wire.Packet) { panic("planted") }
	s, err := newServer(cfg)
	require.NoError(t, err)
	cli, srv := net.Pipe()
	defer cli.Close()
	c := s.admit(srv)
	go s.serveConn(c)
	go func() { _, _ = io.Copy(io.Discard, cli) }()
	require.NoError(t, cli.SetWriteDeadline(time.Now().Add(waitFor)))
	_, err = cli.Write(wire.Append(nil, wire.Login{Nick: "x"}))
	require.NoError(t, err)
	<-c.done
	s.shutdown()
	require.NotNil(t, spy.panicked.Load())
	assert.Equal(t, "planted", *spy.panicked.Load())
}
