package chatos

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/internal/testserver"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// splitFrameServer is a ChatOS server with the "one read is whole frames"
// bug, of the kind that crashes: it decodes each read on its own, so when a
// frame's bytes straddle two reads, the second read's first byte is taken
// for an opcode and the next four for a length (in C, a read past the
// buffer). It dies there, as a process would. Whole frames it answers well
// enough for the health probe: 0 gets 1, 4 goes to every other logged-in
// client. With dies false it reads a stream, as it should, and never dies.
type splitFrameServer struct{ dies bool }

// splitRun is one run of a splitFrameServer (a restart starts another).
type splitRun struct {
	dies    bool
	mu      sync.Mutex
	members map[net.Conn]bool
	died    chan struct{}
	once    sync.Once
}

func (srv *splitFrameServer) serve(ctx context.Context, ln net.Listener) error {
	s := &splitRun{dies: srv.dies, members: map[net.Conn]bool{}, died: make(chan struct{})}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { _ = testserver.Accept(ctx, ln, s.handle) }()
	select {
	case <-s.died:
		return errors.New("split frame: read past the buffer")
	case <-ctx.Done():
		return nil
	}
}

func (s *splitRun) handle(nc net.Conn) {
	defer s.leave(nc)
	buf := make([]byte, 1<<20)
	var rest []byte // a frame begun in an earlier read (only the stream reader keeps it)
	for {
		_ = nc.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := nc.Read(buf)
		if n > 0 && len(rest) > 0 && s.dies {
			s.once.Do(func() { close(s.died) })
			return
		}
		var ok bool
		if rest, ok = s.frames(nc, append(rest, buf[:n]...)); !ok || err != nil {
			return
		}
	}
}

// frames answers the whole frames in data and returns what is left of a
// frame cut short; false when data breaks the protocol.
func (s *splitRun) frames(nc net.Conn, data []byte) ([]byte, bool) {
	rd := wire.NewReader(bytes.NewReader(data), maxServerString)
	for {
		p, _, err := rd.Next()
		switch {
		case err == nil:
			s.answer(nc, p)
		case errors.Is(err, wire.ErrTruncated):
			return rd.Buffered(), true
		default:
			return nil, errors.Is(err, io.EOF)
		}
	}
}

// answer: 0 gets 1 and joins; 4 from a member goes to every other member.
func (s *splitRun) answer(nc net.Conn, p wire.Packet) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch p := p.(type) {
	case wire.Login:
		s.members[nc] = true
		s.write(nc, wire.LoginAccepted{Nick: p.Nick})
	case wire.PublicMessage:
		for m := range s.members {
			if m != nc && s.members[nc] {
				s.write(m, p)
			}
		}
	}
}

func (s *splitRun) write(nc net.Conn, p wire.Packet) {
	_ = nc.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = nc.Write(wire.MustEncode(p))
}

func (s *splitRun) leave(nc net.Conn) {
	s.mu.Lock()
	delete(s.members, nc)
	s.mu.Unlock()
	_ = nc.Close()
}

// cutsOnly is the ChatOS protocol without the cases that cut a frame by
// accident (a frame truncated by a mutation, a write too big for one read):
// only the ways meant to cut frames across reads remain.
type cutsOnly struct{ fuzz.Protocol }

func (d cutsOnly) Generate(r *rand.Rand) fuzz.Case {
	for {
		c := d.Protocol.Generate(r)
		if !cutsAFrame(c, "truncated frame") && biggestStep(c) <= 4<<10 {
			return c
		}
	}
}

func biggestStep(c fuzz.Case) int {
	n := 0
	for _, cs := range c.Conns {
		for _, s := range cs.Steps {
			n = max(n, len(s.Data))
		}
	}
	return n
}

// fuzzSplitFrames fuzzes srv with p from seed 1 for up to n cases, stopping at the first finding.
func fuzzSplitFrames(t *testing.T, srv *splitFrameServer, p fuzz.Protocol, n int) fuzz.Summary {
	t.Helper()
	tg := testserver.Target(t, srv.serve)
	e := fuzz.NewEngine(fuzz.Config{Oracles: &fuzz.Oracles{Target: tg, Protocol: p}, Seed: 1, Cases: n,
		Workers: 2, StopOnFirst: true})
	sum, err := e.Run(context.Background())
	require.NoError(t, err)
	return sum
}

// The fuzzer, with no fixed pauses and drips in a few writes (fuzz.Drip),
// still finds a server that takes each read as whole frames: it dies on a
// frame cut over two reads, found as its exit; with only the ways meant to
// cut frames left, by a case that cuts one. The same server reading a
// stream gets no finding.
func TestCutFramesFindASplitFrameServer(t *testing.T) {
	t.Parallel()
	for _, p := range []fuzz.Protocol{New(), cutsOnly{New()}} {
		sum := fuzzSplitFrames(t, &splitFrameServer{dies: true}, p, 1500)
		require.Len(t, sum.Findings, 1, "found in %d cases", sum.Cases)
		f := sum.Findings[0]
		t.Logf("after %d cases: %s\n%.1500s", sum.Cases, f.Title, fuzz.FormatFinding(f))
		assert.Equal(t, fuzz.KindExit, f.Kind)
		if _, only := p.(cutsOnly); only {
			assert.True(t, cutsAFrame(f.Case, "cut short", "rest once the server answered"), "the culprit cuts a frame")
		}
	}
	healthy := fuzzSplitFrames(t, &splitFrameServer{}, New(), 300)
	assert.Empty(t, healthy.Findings)
	assert.EqualValues(t, 300, healthy.Cases)
}

// cutsAFrame: some step is dripped (Chunks) or has one of the notes.
func cutsAFrame(c fuzz.Case, notes ...string) bool {
	for _, cs := range c.Conns {
		for _, s := range cs.Steps {
			if len(s.Chunks) > 0 || slices.Contains(notes, s.Note) {
				return true
			}
		}
	}
	return false
}
