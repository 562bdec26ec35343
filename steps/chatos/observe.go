package chatos

import (
	"errors"
	"net"
	"strings"

	client "github.com/chatspec/chatspec/client/chatos"
	"github.com/chatspec/chatspec/steps"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/cucumber/godog"
)

// Observations (INFO requirements) and whole-scenario checks (3.1, 2.6).
func registerObservations(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^chatspec notes whether (\w+) received (?:her|his|its) own public message$`, w.notesEcho)
	sc.Step(`^chatspec notes what (\w+) received after (\w+) left$`, w.notesDeparture)
	sc.Step(`^chatspec notes whether (\w+) was accepted$`, w.notesAccepted)
	sc.Step(`^every frame received decoded strictly$`, w.allFramesStrict)
	sc.Step(`^no packet received carries a client's IP address or port$`, w.noAddresses)
}

func (w *world) notesEcho(role string) error {
	a := w.who(role)
	own := is(wire.PublicMessage{From: a.nick, Text: a.public})
	if err := a.main.ExpectNone(own, w.Env.Quiet); err != nil {
		w.Notef("the sender receives a copy of its own public message (A9)")
	} else {
		w.Notef("the sender does not receive a copy of its own public message (A9)")
	}
	return nil
}

func (w *world) notesDeparture(role, left string) error {
	a := w.who(role)
	_ = a.main.ExpectNone(client.Matcher{Match: func(wire.Packet) bool { return false }}, w.Env.Quiet)
	var seen []string
	for _, p := range a.main.Received() {
		if strings.Contains(p.String(), w.who(left).nick) {
			seen = append(seen, p.String())
		}
	}
	if len(seen) == 0 {
		w.Notef("%s received nothing about %s's departure (A5: no packet is defined for it)", role, left)
	} else {
		w.Notef("%s was told of %s's departure with: %s", role, left, strings.Join(seen, "; "))
	}
	return nil
}

func (w *world) notesAccepted(role string) error {
	a := w.who(role)
	m := anyOf(wire.LoginAccepted{Nick: a.attempted}, wire.LoginRefused{Nick: a.attempted})
	p, err := a.main.Expect(m, 0)
	switch {
	case err != nil:
		w.Notef("the server answered neither 1 nor 2: %v", err)
	case p.Opcode() == wire.OpLoginAccepted:
		w.Notef("a released nickname is taken over by a new connection (the known concern of 6.1)")
	default:
		w.Notef("the server refused the released nickname")
	}
	return nil
}

// clients lists every connection of the scenario.
func (w *world) clients() []*client.Client {
	var cs []*client.Client
	for _, a := range w.actors {
		for _, c := range []*client.Client{a.main, a.bridge} {
			if c != nil {
				cs = append(cs, c)
			}
		}
	}
	for _, c := range w.crowd {
		if c != nil {
			cs = append(cs, c)
		}
	}
	return cs
}

func (w *world) allFramesStrict() error {
	for _, c := range w.clients() {
		if err := c.Err(); errors.Is(err, client.ErrBadFrame) {
			return steps.Failf([]string{"frames that decode strictly"}, err.Error(), "%s received a frame that does not decode", c.Name)
		}
	}
	return nil
}

func (w *world) noAddresses() error {
	var marks []string
	for _, c := range w.clients() {
		if host, port, err := net.SplitHostPort(c.LocalAddr().String()); err == nil {
			marks = append(marks, host+":"+port, ":"+port, port)
		}
	}
	for _, c := range w.clients() {
		for _, p := range c.Received() {
			s := p.String()
			for _, m := range marks {
				if strings.Contains(s, m) {
					return steps.Failf([]string{"no IP address or port in any packet"}, s,
						"a packet received by %s contains %q", c.Name, m)
				}
			}
		}
	}
	w.Notef("checked %d connections' packets against %d address marks", len(w.clients()), len(marks))
	return nil
}
