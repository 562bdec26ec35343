package patchat

import (
	"context"
	"errors"
	"net"
	"time"

	pclient "github.com/chatspec/chatspec/client/patchat"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

// probeLinger bounds each wait of the probe (the greeting, the reply to its
// goodbye): a server that keeps the connection open without a word is alive
// (a failing one, which the scenarios judge), only slower to say so.
const probeLinger = 250 * time.Millisecond

// ErrProbeDropped: the server closed the probe's connection before greeting
// it, as a dying server does.
var ErrProbeDropped = errors.New("the server closed the connection without a greeting")

// Probe returns a liveness and readiness probe that speaks dialect d: it
// reads the greeting, says goodbye the way the dialect says, and closes. It
// never connects and leaves without a word, which kills some Pat Chat
// servers, not even when the greeting is late. Alive means the connection was accepted and not dropped before a
// greeting: a greeting (or a refusal: a full server), other text, or silence
// until the wait ends. Whether the greeting is right is for the scenarios.
func Probe(d *wire.Dialect) func(ctx context.Context, addr string) error {
	return func(ctx context.Context, addr string) error {
		var dl net.Dialer
		nc, err := dl.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		wait := probeLinger
		if dd, ok := ctx.Deadline(); ok {
			wait = min(wait, time.Until(dd))
		}
		s := pclient.NewSession(nc, d, pclient.Options{Options: wire.Options{Timeout: max(wait, time.Millisecond)}})
		defer s.Close()
		res, err := s.Do(ctx, wire.ActionGreeting, nil)
		switch {
		case errors.Is(err, wire.ErrClosed):
			return ErrProbeDropped
		case err != nil || !res.Refused: // no greeting in time is no reason to leave without a word
			_, _ = s.Do(ctx, wire.ActionExit, nil)
		}
		return nil
	}
}
