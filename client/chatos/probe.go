package chatos

import (
	"context"
	"crypto/rand"
	"errors"
	"time"

	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// probeLinger bounds how long a probe waits for the answer to its login:
// a server that keeps the connection open without answering is alive (a
// failing one, which the scenarios judge), only slower to say so.
const probeLinger = 250 * time.Millisecond

// probeDial bounds the probe's connect when ctx has no deadline.
const probeDial = 2 * time.Second

// ErrProbeDropped: the server closed the probe's connection without a word in
// answer to its login, as a dying server does.
var ErrProbeDropped = errors.New("the server closed the connection without answering a login")

// Probe checks that the ChatOS server at addr is alive, politely: it logs in
// with a fresh probe nickname, reads the answer and closes. It never connects
// and leaves without a word, which kills some servers. Alive means the
// connection was accepted and not dropped unanswered: any answer (1, 2, even
// bytes that do not decode) or silence until the wait ends. Whether the
// answer is right is for the scenarios to judge.
func Probe(ctx context.Context, addr string) error {
	// The connect gets the whole of ctx, only the answer waits probeLinger: a
	// connect given up on after the handshake is a client that leaves without
	// a word, and a loaded machine can be that slow.
	budget := probeDial
	if d, ok := ctx.Deadline(); ok {
		budget = time.Until(d)
	}
	wait := min(probeLinger, budget)
	c, err := Dial(ctx, addr, "probe", transcript.New(), Options{Timeout: max(budget, time.Millisecond)})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Send(wire.Login{Nick: "probe_" + probeLetters(8)}); err != nil {
		return err
	}
	_, err = c.Expect(Matcher{Want: []string{"any answer"}, Match: func(wire.Packet) bool { return true }}, wait)
	if errors.Is(err, ErrClosed) {
		return ErrProbeDropped
	}
	return nil
}

// probeLetters returns n random lower-case letters for a probe nickname.
func probeLetters(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return string(b)
}
