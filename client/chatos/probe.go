package chatos

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// probeWait is the longest a probe waits for the reply to its login when
// its context has no deadline.
const probeWait = 2 * time.Second

// Probe checks that the ChatOS server at addr answers as ChatOS servers do:
// it logs in with a fresh probe nickname, reads the acceptance (1) or the
// refusal (2), either of which means alive, and closes. It never connects and
// leaves without a word, which kills some servers.
func Probe(ctx context.Context, addr string) error {
	wait := probeWait
	if d, ok := ctx.Deadline(); ok {
		wait = time.Until(d)
	}
	c, err := Dial(ctx, addr, "probe", transcript.New(), Options{Timeout: wait})
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Send(wire.Login{Nick: "probe_" + probeLetters(8)}); err != nil {
		return err
	}
	_, err = c.Expect(Matcher{Want: []string{"LOGIN_ACCEPTED(1)", "LOGIN_REFUSED(2)"}, Match: func(p wire.Packet) bool {
		op := p.Opcode()
		return op == wire.OpLoginAccepted || op == wire.OpLoginRefused
	}}, wait)
	return err
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
