package chatos

import (
	"strings"
	"time"

	client "github.com/chatspec/chatspec/client/chatos"
	"github.com/chatspec/chatspec/steps"
	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/cucumber/godog"
)

// Sections 2.1, 2.2, 3.4 and 6.1: logging in.
func registerLogin(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) is logged in$`, w.logsIn)
	sc.Step(`^(\w+) logs in$`, w.sendsOwnLogin)
	sc.Step(`^(\w+) is connected but not logged in$`, w.connectedOnly)
	sc.Step(`^(\w+) logs in with (\w+)'s nickname$`, w.logsInAs)
	sc.Step(`^(\w+) tries to log in with (an empty nickname|a nickname containing a space|a nickname containing a control character|a nickname one byte longer than the profile maximum|a 64 KiB nickname)$`, w.triesNickname)
	sc.Step(`^(\w+) logs in one byte per write$`, w.logsInBytewise)
	sc.Step(`^(\w+) is accepted$`, w.isAccepted)
	sc.Step(`^(\w+) is refused$`, w.isRefused)
	sc.Step(`^(\w+) is refused with the nickname (?:he|she|it) asked for$`, w.isRefused)
	sc.Step(`^(\w+) is refused or disconnected$`, w.isRefusedOrClosed)
	sc.Step(`^(\w+) is still logged in$`, w.stillLoggedIn)
	sc.Step(`^(\w+) disconnects$`, w.disconnects)
	sc.Step(`^(\w+) is disconnected$`, w.isDisconnected)
}

// sendLogin connects the actor and sends 0 with nick, without waiting.
func (w *world) sendLogin(a *actor, nick string) error {
	if err := w.connect(a); err != nil {
		return err
	}
	a.attempted = nick
	return a.main.Send(wire.Login{Nick: nick})
}

// logsIn logs the actor in and waits for 1: the setup most scenarios start
// with, whose own check is COP-3.4-1.
func (w *world) logsIn(role string) error {
	a := w.who(role)
	err := w.sendLogin(a, a.nick)
	if err == nil {
		err = w.isAccepted(role)
	}
	return steps.Stage(role+" could not log in", "COP-3.4-1", err)
}

// sendsOwnLogin sends the actor's login and leaves the answer to a Then step.
func (w *world) sendsOwnLogin(role string) error {
	a := w.who(role)
	return w.sendLogin(a, a.nick)
}

func (w *world) connectedOnly(role string) error { return w.connect(w.who(role)) }

func (w *world) logsInAs(role, other string) error {
	o := w.who(other)
	if o.departed {
		w.waitReleased(o.nick)
	}
	return w.sendLogin(w.who(role), o.nick)
}

// waitReleased waits, within the timeout, until the server has noticed that
// nick's connection is gone: a probe's private message to nick gets 6. Each
// try is a request and its answer, so the loop is paced by the server. If the
// server never answers 6, the login that follows is judged as it is.
func (w *world) waitReleased(nick string) {
	probe := w.who("release_probe")
	if probe.main == nil && w.logsIn(probe.role) != nil {
		return
	}
	deadline := time.Now().Add(w.Env.Timeout)
	for time.Now().Before(deadline) {
		text := w.Token("gone")
		if probe.main.Send(wire.PrivateMessage{From: probe.nick, To: nick, Text: text}) != nil {
			return
		}
		m := anyOf(wire.UnknownUser{Name: nick}, wire.UnknownUser{Name: probe.nick})
		if _, err := probe.main.Expect(m, w.Env.Quiet); err == nil {
			return
		}
	}
}

func (w *world) logsInBytewise(role string) error {
	a := w.who(role)
	if err := w.connect(a); err != nil {
		return err
	}
	a.attempted = a.nick
	p := wire.Login{Nick: a.nick}
	return a.main.SendBytewise(wire.MustEncode(p), p.String())
}

// triesNickname sends a login whose nickname breaks a rule of 2.1.
func (w *world) triesNickname(role, kind string) error {
	a := w.who(role)
	var nick string
	switch kind {
	case "an empty nickname":
		nick = ""
	case "a nickname containing a space":
		nick = "sp ace" + w.ID
	case "a nickname containing a control character":
		nick = "ctl\x07" + w.ID
	case "a nickname one byte longer than the profile maximum":
		nick = w.ID + strings.Repeat("x", max(w.Env.Profile.MaxNick+1-len(w.ID), 0))
	case "a 64 KiB nickname":
		nick = w.ID + strings.Repeat("n", 64<<10-len(w.ID))
	}
	return w.sendLogin(a, nick)
}

func (w *world) isAccepted(role string) error {
	a := w.who(role)
	if err := needMain(a); err != nil {
		return err
	}
	_, err := w.expect(a.main, is(wire.LoginAccepted{Nick: a.attempted}), 0)
	if err == nil {
		a.nick = a.attempted
	}
	return err
}

func (w *world) isRefused(role string) error {
	a := w.who(role)
	if err := needMain(a); err != nil {
		return err
	}
	_, err := w.expect(a.main, is(wire.LoginRefused{Nick: a.attempted}), 0)
	return err
}

// isRefusedOrClosed accepts a 2 naming the nickname or a closed connection,
// and fails on an acceptance or silence.
func (w *world) isRefusedOrClosed(role string) error {
	a := w.who(role)
	if err := needMain(a); err != nil {
		return err
	}
	want := []string{abbreviate(wire.LoginRefused{Nick: a.attempted}.String()), "the connection closed"}
	m := client.Matcher{Want: want, Match: func(p wire.Packet) bool {
		switch p := p.(type) {
		case wire.LoginRefused, wire.LoginAccepted:
			_ = p
			return true
		}
		return false
	}}
	p, err := a.main.Expect(m, 0)
	if a.main.Closed() {
		w.Notef("%s: the server closed the connection instead of sending 2", role)
		return nil
	}
	if err != nil {
		return checkFrom(err)
	}
	if _, ok := p.(wire.LoginAccepted); ok {
		return steps.Failf(want, abbreviate(p.String()), "the server accepted a nickname it must refuse")
	}
	return nil
}

// stillLoggedIn proves the actor's login holds: a fresh client's private
// message reaches it.
func (w *world) stillLoggedIn(role string) error {
	a := w.who(role)
	probe := w.who("probe_" + role)
	if err := w.logsIn(probe.role); err != nil {
		return steps.Blocked("a probe client could not log in to check "+role+"'s login", "COP-3.4-1", err)
	}
	text := w.Token("still")
	if err := probe.main.Send(wire.PrivateMessage{From: probe.nick, To: a.nick, Text: text}); err != nil {
		return err
	}
	_, err := w.expect(a.main, is(wire.PrivateMessage{From: probe.nick, To: a.nick, Text: text}), 0)
	return err
}

func (w *world) disconnects(role string) error {
	a := w.who(role)
	a.departed = true
	for _, c := range []**client.Client{&a.main, &a.bridge} {
		if *c != nil {
			_ = (*c).Close()
			*c = nil
		}
	}
	return nil
}

func (w *world) isDisconnected(role string) error {
	a := w.who(role)
	if err := needMain(a); err != nil {
		return err
	}
	wait := max(w.Env.Timeout, w.closeWait)
	if err := a.main.ExpectClosed(wait); err != nil {
		return checkFrom(err)
	}
	return nil
}

// abbreviate keeps report lines short when a nickname is 64 KiB: its
// first characters and its full length (transcript.Shorten).
func abbreviate(s string) string { return transcript.Shorten(s) }
