package patchat

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	pclient "github.com/chatspec/chatspec/client/patchat"
	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

// probeSeq makes every probe's users and text unique within a process.
var probeSeq atomic.Uint64

// probe: two fresh users register and log in; the first says something in
// the room they landed in, and the second must receive it.
func probe(ctx context.Context, addr string, d *wire.Dialect) error {
	n := probeSeq.Add(1)
	salt := uint32(time.Now().UnixNano())
	userA, userB := fmt.Sprintf("pa%x%x", salt, n), fmt.Sprintf("pb%x%x", salt, n)
	a, err := probeUser(ctx, addr, d, userA)
	if err != nil {
		return err
	}
	defer a.Close()
	b, err := probeUser(ctx, addr, d, userB)
	if err != nil {
		return err
	}
	defer b.Close()
	text := fmt.Sprintf("probe %d", n)
	if err := do(ctx, a, wire.ActionSay, wire.Vars{"text": text}); err != nil {
		return err
	}
	_, err = b.WaitMessage(ctx, func(m wire.RoomMessage) bool { return m.From == userA && m.Text == text })
	if err != nil {
		return probeErr("waiting for the room message", err)
	}
	return nil
}

// probeUser connects, reads the greeting, registers user and logs in.
func probeUser(ctx context.Context, addr string, d *wire.Dialect, user string) (*pclient.Session, error) {
	s, err := pclient.Dial(ctx, addr, d, pclient.Options{})
	if err != nil {
		return nil, fuzz.ProbeNetError("connect", errors.Unwrap(err))
	}
	vars := wire.Vars{"user": user, "password": "pw" + user}
	res, err := s.Do(ctx, wire.ActionGreeting, nil)
	switch {
	case err != nil:
		err = probeErr("greeting", err)
	case res.Refused:
		err = fmt.Errorf("%w: greeting refused: %q", fuzz.ErrProbeBusy, res.Text)
	default:
		err = do(ctx, s, wire.ActionRegister, vars)
	}
	if err == nil {
		err = do(ctx, s, wire.ActionLogin, vars)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// do runs one action; a refusal is a bad reply (fresh users are never refused).
func do(ctx context.Context, s *pclient.Session, action string, vars wire.Vars) error {
	res, err := s.Do(ctx, action, vars)
	if err != nil {
		return probeErr(action, err)
	}
	if res.Refused {
		return fmt.Errorf("%w: %s refused: %q", fuzz.ErrProbeReply, action, res.Text)
	}
	return nil
}

// probeErr maps an engine error to the probe sentinels.
func probeErr(stage string, err error) error {
	var sentinel error
	switch {
	case errors.Is(err, wire.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		sentinel = fuzz.ErrProbeTimeout
	case errors.Is(err, wire.ErrClosed):
		sentinel = fuzz.ErrProbeClosed
	default:
		sentinel = fuzz.ErrProbeReply
	}
	return fmt.Errorf("%w: %s: %v", sentinel, stage, err)
}
