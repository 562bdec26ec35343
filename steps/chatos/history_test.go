package chatos_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatspec/chatspec/features"
	"github.com/chatspec/chatspec/profile"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/steps"
	"github.com/chatspec/chatspec/steps/chatos"
	"github.com/chatspec/chatspec/target"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// twiceToLast is a ChatOS server that knows login and public messages,
// and hands every public message twice to the client that logged in last
// (when twice is set).
func twiceToLast(twice bool) func(ctx context.Context, ln net.Listener) error {
	var mu sync.Mutex
	var users []net.Conn
	var nicks []string
	relay := func(from net.Conn, p wire.PublicMessage) {
		mu.Lock()
		defer mu.Unlock()
		for i, u := range users {
			if u == from {
				continue
			}
			frame := wire.Append(nil, wire.PublicMessage{From: nicks[slicesIndex(users, from)], Text: p.Text})
			_, _ = u.Write(frame)
			if twice && i == len(users)-1 {
				_, _ = u.Write(frame)
			}
		}
	}
	handle := func(c net.Conn) {
		defer c.Close()
		in := wire.NewReader(c, 0)
		for {
			p, _, err := in.Next()
			if err != nil {
				return
			}
			switch m := p.(type) {
			case wire.Login:
				mu.Lock()
				users, nicks = append(users, c), append(nicks, m.Nick)
				mu.Unlock()
				_, _ = c.Write(wire.Append(nil, wire.LoginAccepted{Nick: m.Nick}))
			case wire.PublicMessage:
				relay(c, m)
			}
		}
	}
	return func(ctx context.Context, ln net.Listener) error {
		go func() { <-ctx.Done(); _ = ln.Close() }()
		for {
			c, err := ln.Accept()
			if err != nil {
				return err
			}
			go handle(c)
		}
	}
}

func slicesIndex(cs []net.Conn, c net.Conn) int {
	for i, x := range cs {
		if x == c {
			return i
		}
	}
	return -1
}

func runPublic(t *testing.T, twice bool) *results.Run {
	tg, err := target.InProcess(context.Background(), twiceToLast(twice))
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	env := &steps.Env{Target: tg, Profile: profile.Default(), Timeout: 2 * time.Second, Quiet: 250 * time.Millisecond}
	run, err := steps.Run(context.Background(), chatos.Suite(steps.Suite{Features: features.ChatOS()}), env,
		steps.Options{Tags: "@COP-3.6-1", Concurrency: 1})
	require.NoError(t, err)
	return run
}

func outcomes(run *results.Run) map[string]results.Outcome {
	out := map[string]results.Outcome{}
	for _, r := range run.Results {
		if r.Outcome != results.Untestable {
			out[strings.Join(r.Reqs, " ")] = r.Outcome
		}
	}
	return out
}

// TestHistoryCheckerTurnsAGreenScenarioRed: COP-3.6-1's own steps see bob
// and carol receive alice's message, so they pass; the copy carol gets a
// second time is found by the history checker, which fails COP-H-1 and
// turns the scenario's row red, saying so.
func TestHistoryCheckerTurnsAGreenScenarioRed(t *testing.T) {
	t.Parallel()
	clean := runPublic(t, false)
	assert.Equal(t, map[string]results.Outcome{"COP-3.6-1": results.Pass, "COP-H-1": results.Pass,
		"COP-H-2": results.Pass}, outcomes(clean))

	run := runPublic(t, true)
	assert.Equal(t, map[string]results.Outcome{"COP-3.6-1": results.Fail, "COP-H-1": results.Fail,
		"COP-H-2": results.Pass}, outcomes(run))
	for _, r := range run.Results {
		switch strings.Join(r.Reqs, " ") {
		case "COP-3.6-1":
			assert.Contains(t, r.Message, "found by the history checker, not by this scenario's own checks: history checker: duplicate of ")
			assert.Contains(t, r.Message, "to carol")
		case "COP-H-1":
			assert.Equal(t, "history checker: duplicate found in features/chatos/3_6_public_message.feature:10", r.Scenario)
			assert.Equal(t, 3, strings.Count(r.Transcript, "\n"), "the send and both copies:\n%s", r.Transcript)
		}
	}
}
