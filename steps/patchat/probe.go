package patchat

import (
	"context"
	"fmt"
	"net"
	"time"

	wire "github.com/chatspec/chatspec/wire/patchat"
)

// exitWait bounds the wait for the reply to the probe's goodbye: the
// greeting already showed the server alive, and a dialect's exit may need a
// login first.
const exitWait = 500 * time.Millisecond

// Probe returns a liveness and readiness probe that speaks dialect d: it
// reads the greeting (a refusal, a full server, is alive too), says goodbye
// the way the dialect says, and closes. It never connects and leaves without
// a word, which kills some Pat Chat servers.
func Probe(d *wire.Dialect) func(ctx context.Context, addr string) error {
	return func(ctx context.Context, addr string) error {
		var dl net.Dialer
		nc, err := dl.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		opts := wire.Options{}
		if dd, ok := ctx.Deadline(); ok {
			opts.Timeout = time.Until(dd)
		}
		s := wire.NewSession(nc, d, opts)
		defer s.Close()
		res, err := s.Do(ctx, wire.ActionGreeting, nil)
		if err != nil {
			return fmt.Errorf("greeting: %w", err)
		}
		if !res.Refused {
			ectx, cancel := context.WithTimeout(ctx, exitWait)
			defer cancel()
			_, _ = s.Do(ectx, wire.ActionExit, nil)
		}
		return nil
	}
}
