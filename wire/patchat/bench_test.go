package patchat

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// BenchmarkHostileFill measures how long a server needs to hit ErrBufferFull
// with the default 1 MiB cap, sending 32 KiB writes that never match.
func BenchmarkHostileFill(b *testing.B) {
	b.Run("plain", func(b *testing.B) { benchFill(b, strings.Repeat("z", 32<<10)) })
	// Looks like the start of a message and never ends: the worst case.
	b.Run("message-like", func(b *testing.B) { benchFill(b, strings.Repeat("[r] x", 32<<10/5)) })
}

func benchFill(b *testing.B, text string) {
	d := mustDialect(b, "10s", lineMessages, lineActions())
	junk := []byte(text)
	for b.Loop() {
		c, srv := duplex()
		s := NewEngine(c, d, Options{})
		s.Start()
		go func() {
			for {
				if _, err := srv.Write(junk); err != nil {
					return
				}
			}
		}()
		if _, err := s.Do(context.Background(), ActionGreeting, nil); !errors.Is(err, ErrBufferFull) {
			b.Fatal(err)
		}
		_ = s.Close()
		_ = srv.Close()
	}
}

// BenchmarkMessages measures recognising room messages that arrive 64 per write.
func BenchmarkMessages(b *testing.B) {
	d := mustDialect(b, "10s", lineMessages, lineActions())
	c, srv := duplex()
	s := NewEngine(c, d, Options{MaxLog: 1 << 40})
	s.Start()
	defer s.Close()
	batch := []byte(strings.Repeat("[Main Room] alice: hello there, everyone\n", 64))
	go func() {
		for {
			if _, err := srv.Write(batch); err != nil {
				return
			}
		}
	}()
	ctx := context.Background()
	for b.Loop() {
		if _, err := s.WaitMessage(ctx, nil); err != nil {
			b.Fatal(err)
		}
	}
	_ = srv.Close()
}
