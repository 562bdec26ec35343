package patchat

import (
	"context"
	"errors"
	"fmt"
	pclient "github.com/chatspec/chatspec/client/patchat"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/chatspec/chatspec/steps"
	"github.com/chatspec/chatspec/target"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/cucumber/godog"
)

// crowdParallel bounds how many crowd members connect, register and log in
// at the same moment. All of them hold their connections, so the crowd is
// still Capacity users at once; the bound only keeps a server that hashes
// each password with a real cost (bcrypt, 50-250 ms a time) or writes each
// new account to disk (fsync) from answering the last of many simultaneous
// registrations after the timeout: 4 at once on a busy 2-core machine is
// well within it, 16 was not.
const crowdParallel = 4

// member is one user of a crowd (PAT-3-5, PAT-3-6).
type member struct {
	name, user, password string
	sess                 *pclient.Session
}

// Section 3: capacity.
func registerCapacity(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^as many users as the capacity are logged in at once$`, w.crowdLogsIn)
	sc.Step(`^each of them receives a room message$`, w.crowdReceives)
	sc.Step(`^one more client connects$`, w.oneMore)
	sc.Step(`^that client is clearly refused: the dialect recognises the server's refusal, within the timeout$`, w.extraRefused)
}

// crowdLogsIn connects profile.Capacity users at once, each registering and
// logging in. A member whose connection the server refuses is retried (see
// open); every member holds its connection, so success means Capacity users
// at once.
func (w *world) crowdLogsIn() error {
	n := w.Env.Profile.Capacity
	start := time.Now()
	w.crowd = make([]*member, n)
	errs := make([]error, n)
	sem := make(chan struct{}, crowdParallel)
	var wg sync.WaitGroup
	for i := range n {
		m := &member{name: fmt.Sprintf("crowd-%03d", i), user: fmt.Sprintf("u%03d_%s", i, w.ID),
			password: fmt.Sprintf("pw%03d%s", i, w.ID)}
		w.crowd[i] = m
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = w.admit(m)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return steps.Restage(fmt.Sprintf("not all %d users (the capacity) could log in at once", n), "PAT-3-5", err)
	}
	w.Notef("%d users logged in at once, in %v", n, time.Since(start).Round(time.Millisecond))
	return nil
}

// admit connects one member (open retries a refused greeting), then
// registers and logs it in.
func (w *world) admit(m *member) error {
	s, err := w.open(m.name)
	if err != nil {
		return err
	}
	m.sess = s
	vars := credentials(m.user, m.password)
	if _, err := w.accepted(m.name, m.sess, wire.ActionRegister, vars); err != nil {
		return err
	}
	_, err = w.accepted(m.name, m.sess, wire.ActionLogin, vars)
	return err
}

// crowdReceives has the first member say something in the Main Room, which
// every other member must receive; then the second speaks to the first.
func (w *world) crowdReceives() error {
	if len(w.crowd) < 2 {
		return w.Skip("the capacity is 1: no one to receive a room message")
	}
	if err := w.crowdSays(0, w.crowd[1:]); err != nil {
		return err
	}
	return w.crowdSays(1, w.crowd[:1])
}

func (w *world) crowdSays(i int, to []*member) error {
	from := w.crowd[i]
	text := w.Token("crowd")
	if _, err := w.accepted(from.name, from.sess, wire.ActionSay, wire.Vars{wire.VarText: text}); err != nil {
		return err
	}
	errs := make([]error, len(to))
	var wg sync.WaitGroup
	for j, m := range to {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 2*w.timeout())
			defer cancel()
			_, err := m.sess.WaitMessage(ctx, func(rm wire.RoomMessage) bool { return sameText(rm, text) && rm.From == from.user })
			if err != nil {
				errs[j] = fmt.Errorf("%s did not receive %s's message: %w", m.name, from.name, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// oneMore connects a client beyond the capacity.
func (w *world) oneMore() error {
	s, err := pclient.Dial(context.Background(), w.Env.Addr(), w.d, w.options("extra"))
	if err != nil {
		w.extraBounced = target.Refused(err) || errors.Is(err, syscall.ECONNRESET)
		w.extraErr = steps.Stage("extra could not connect", "", dialFailure("extra", w.Env.Addr(), err))
		return nil
	}
	w.keep(s)
	w.extra = s
	return nil
}

// extraRefused judges the client beyond the capacity (PAT-3-6): text the
// dialect's greeting recognises as a refusal passes. A close without a word
// (or a refused TCP connection) cannot be told from a crash, other text is
// not recognisably a refusal, and silence is none: each fails (a WARN, for
// this SHOULD). A client the server greets as usual is logged in: if that
// works, the server serves more than the declared capacity.
func (w *world) extraRefused() error {
	s, err := w.extra, w.extraErr
	if err != nil {
		if w.extraBounced {
			return w.unclearRefusal("the TCP connection refused or reset, without a word")
		}
		return err
	}
	res, err := w.do(s, wire.ActionGreeting, nil)
	var ee *wire.ExpectError
	switch {
	case err == nil && res.Refused:
		w.Notef("the client beyond the capacity was told: %q", strings.TrimSpace(res.Text))
		return nil
	case errors.Is(err, wire.ErrClosed) && s.Unconsumed() == "":
		return w.unclearRefusal("the connection closed without a word")
	case errors.Is(err, wire.ErrClosed):
		return w.unclearRefusal(fmt.Sprintf("%q, which the dialect does not recognise as a refusal, then a close", s.Unconsumed()))
	case errors.As(err, &ee) && ee.Got != "":
		return w.unclearRefusal(fmt.Sprintf("%q, which the dialect does not recognise as a refusal", ee.Got))
	case err != nil:
		return &steps.CheckError{Msg: fmt.Sprintf("the client beyond the capacity (%d) got no answer", w.Env.Profile.Capacity),
			Expected: []string{"a refusal", "the connection closed", "any text"}, Actual: "silence",
			TimedOut: true, Wait: w.timeout()}
	}
	return w.extraLogsIn(s)
}

// unclearRefusal is the failure of a refusal chatspec cannot read as one.
func (w *world) unclearRefusal(actual string) error {
	return steps.Failf([]string{"text the dialect's greeting recognises as a refusal (its refuse pattern), then a close"},
		actual, "the client beyond the capacity (%d) was not clearly refused: a bare close cannot be told from a crash; "+
			"if the server does say it is full, give the dialect's greeting a refuse pattern for it", w.Env.Profile.Capacity)
}

// extraLogsIn tries to log in the client the server greeted beyond its
// capacity; a refusal then still counts as a clear refusal.
func (w *world) extraLogsIn(s *pclient.Session) error {
	vars := credentials(w.Nick("extra"), "pw"+w.ID)
	for _, action := range []string{wire.ActionRegister, wire.ActionLogin} {
		res, err := w.do(s, action, vars)
		switch {
		case errors.Is(err, wire.ErrClosed):
			w.Notef("greeted, then disconnected at %s", action)
			return nil
		case err != nil:
			return checkFrom("extra", action, err)
		case res.Refused:
			w.Notef("greeted, then refused at %s: %q", action, strings.TrimSpace(res.Text))
			return nil
		}
	}
	return steps.Failf([]string{"a refusal of the client beyond the capacity"}, "it was greeted and logged in",
		"the server logged in one user more than its declared capacity (%d); declare its real capacity in --profile", w.Env.Profile.Capacity)
}
