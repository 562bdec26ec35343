package chatos

import (
	"fmt"
	"strconv"
	"strings"

	client "github.com/chatspec/chatspec/client/chatos"
	"github.com/chatspec/chatspec/steps"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/cucumber/godog"
)

// Sections 2.3 to 2.5, 3.6 and 3.7: public and private messages.
func registerMessages(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) sends a public message$`, w.sendsPublic)
	sc.Step(`^(\w+) sends a public message of (\d+) "(.)" characters$`, w.sendsPublicOfLength)
	sc.Step(`^(\w+) sends a public message claiming to be from (\w+)$`, w.sendsPublicForged)
	sc.Step(`^(\w+) sends a public message one byte per write$`, w.sendsPublicBytewise)
	sc.Step(`^(\w+) logs in and sends a public message in a single write$`, w.loginAndPublicCoalesced)
	sc.Step(`^(\w+) sends a private message to (\w+)$`, w.sendsPrivate)
	sc.Step(`^(\w+) sends a private message to (\w+) claiming to be from (\w+)$`, w.sendsPrivateForged)
	sc.Step(`^(\w+) sends a private message to a nickname nobody holds$`, w.sendsPrivateToNobody)
	sc.Step(`^(\w+) receives (\w+)'s public message$`, w.receivesPublic)
	sc.Step(`^(\w+) does not receive (\w+)'s public message$`, w.notReceivesPublic)
	sc.Step(`^(\w+) receives (\w+)'s private message$`, w.receivesPrivate)
	sc.Step(`^(\w+) does not receive (\w+)'s private message$`, w.notReceivesPrivate)
	sc.Step(`^(\w+) never sees (\w+)'s message as coming from (\w+)$`, w.neverSeesForged)
	sc.Step(`^(\w+) receives an unknown-user answer$`, w.receivesUnknownUser)
}

func (w *world) publicPacket(a *actor, text string) wire.Packet {
	a.public = text
	return wire.PublicMessage{From: a.nick, Text: text}
}

func (w *world) sendsPublic(role string) error {
	a := w.who(role)
	if err := w.connect(a); err != nil {
		return err
	}
	return a.main.Send(w.publicPacket(a, w.Token("pub")))
}

// sendsPublicOfLength sends a text of exactly n code points: the token, then
// the given character repeated.
func (w *world) sendsPublicOfLength(role string, n int, char string) error {
	a := w.who(role)
	tok := w.Token("len")
	text := tok + strings.Repeat(char, max(n-len(tok), 0))
	return a.main.Send(w.publicPacket(a, text))
}

func (w *world) sendsPublicForged(role, victim string) error {
	a := w.who(role)
	a.public = w.Token("forged")
	return a.main.Send(wire.PublicMessage{From: w.who(victim).nick, Text: a.public})
}

func (w *world) sendsPublicBytewise(role string) error {
	a := w.who(role)
	p := w.publicPacket(a, w.Token("drip"))
	return a.main.SendBytewise(wire.MustEncode(p), p.String())
}

func (w *world) loginAndPublicCoalesced(role string) error {
	a := w.who(role)
	if err := w.connect(a); err != nil {
		return err
	}
	a.attempted = a.nick
	login := wire.Login{Nick: a.nick}
	pub := w.publicPacket(a, w.Token("coal"))
	b := wire.Append(wire.Append(nil, login), pub)
	return a.main.SendRaw(b, login.String()+" + "+pub.String()+" (one write)")
}

func (w *world) sendsPrivate(role, to string) error {
	a, b := w.who(role), w.who(to)
	if err := w.connect(a); err != nil {
		return err
	}
	a.private, a.privateTo = w.Token("priv"), b.nick
	a.privates = append(a.privates, sent{b.nick, a.private})
	return a.main.Send(wire.PrivateMessage{From: a.nick, To: b.nick, Text: a.private})
}

func (w *world) sendsPrivateForged(role, to, victim string) error {
	a, b := w.who(role), w.who(to)
	a.private, a.privateTo = w.Token("forged"), b.nick
	a.privates = append(a.privates, sent{b.nick, a.private})
	return a.main.Send(wire.PrivateMessage{From: w.who(victim).nick, To: b.nick, Text: a.private})
}

func (w *world) sendsPrivateToNobody(role string) error {
	a := w.who(role)
	a.private, a.privateTo = w.Token("lost"), w.Nick("nobody")
	a.privates = append(a.privates, sent{a.privateTo, a.private})
	return a.main.Send(wire.PrivateMessage{From: a.nick, To: a.privateTo, Text: a.private})
}

func (w *world) receivesPublic(role, from string) error {
	a, b := w.who(role), w.who(from)
	if err := needMain(a); err != nil {
		return err
	}
	_, err := w.expect(a.main, is(wire.PublicMessage{From: b.nick, Text: b.public}), 0)
	return steps.Stage(fmt.Sprintf("%s's public message did not reach %s", from, role), "COP-3.6-1", err)
}

// carries matches any packet of the given kind whose text is the token,
// whatever sender it names: what "does not receive" must rule out.
func carries(kind wire.Opcode, text string) client.Matcher {
	return client.Matcher{
		Want: []string{abbreviate(kind.String() + " with text " + strconv.Quote(text))},
		Match: func(p wire.Packet) bool {
			switch p := p.(type) {
			case wire.PublicMessage:
				return kind == wire.OpPublicMessage && p.Text == text
			case wire.PrivateMessage:
				return kind == wire.OpPrivateMessage && p.Text == text
			}
			return false
		},
	}
}

// quietly checks that nothing matching m reaches c during the quiet window.
func (w *world) quietly(c *client.Client, m client.Matcher) error {
	if err := c.ExpectNone(m, w.Env.Quiet); err != nil {
		return steps.Failf([]string{"nothing " + strings.Join(m.Want, " or ")}, err.Error(),
			"%s received a message it must not receive", c.Name)
	}
	return nil
}

func (w *world) notReceivesPublic(role, from string) error {
	a, b := w.who(role), w.who(from)
	if err := needMain(a); err != nil {
		return err
	}
	return w.quietly(a.main, carries(wire.OpPublicMessage, b.public))
}

func (w *world) receivesPrivate(role, from string) error {
	a, b := w.who(role), w.who(from)
	if err := needMain(a); err != nil {
		return err
	}
	text := ""
	for _, m := range b.privates {
		if m.to == a.nick {
			text = m.text
		}
	}
	_, err := w.expect(a.main, is(wire.PrivateMessage{From: b.nick, To: a.nick, Text: text}), 0)
	return err
}

func (w *world) notReceivesPrivate(role, from string) error {
	a, b := w.who(role), w.who(from)
	if err := needMain(a); err != nil {
		return err
	}
	for _, m := range b.privates {
		if err := a.main.ExpectNone(carries(wire.OpPrivateMessage, m.text), 0); err != nil {
			return steps.Failf([]string{"no private message of " + b.role}, err.Error(), "%s received a private message meant for someone else", role)
		}
	}
	return w.quietly(a.main, carries(wire.OpPrivateMessage, b.private))
}

// neverSeesForged passes when the forged message is corrected (relayed with
// the real sender) or dropped, and fails when it arrives under the victim's
// name. Which of the two the server did is noted.
func (w *world) neverSeesForged(role, forger, victim string) error {
	a, f, v := w.who(role), w.who(forger), w.who(victim)
	text := f.public
	if f.private != "" {
		text = f.private
	}
	forged := client.Matcher{
		Want: []string{"a message with text " + text + " naming " + v.nick + " as sender"},
		Match: func(p wire.Packet) bool {
			switch p := p.(type) {
			case wire.PublicMessage:
				return p.Text == text && p.From == v.nick
			case wire.PrivateMessage:
				return p.Text == text && p.From == v.nick
			}
			return false
		},
	}
	if err := a.main.ExpectNone(forged, w.Env.Quiet); err != nil {
		return steps.Failf([]string{"the message relayed with sender " + f.nick, "the message not relayed at all"},
			err.Error(), "the server relayed the packet's forged sender")
	}
	seen := false
	for _, p := range a.main.Received() {
		if pm, ok := p.(wire.PublicMessage); ok && pm.Text == text && pm.From == f.nick {
			seen = true
		}
		if pm, ok := p.(wire.PrivateMessage); ok && pm.Text == text && pm.From == f.nick {
			seen = true
		}
	}
	if seen {
		w.Notef("forged sender corrected: relayed as from %s", f.nick)
	} else {
		w.Notef("forged packet rejected: not relayed")
	}
	return nil
}

// receivesUnknownUser accepts 6 naming either the missing nickname or the
// requester (A6) and notes which.
func (w *world) receivesUnknownUser(role string) error {
	a := w.who(role)
	missing := a.privateTo
	p, err := w.expect(a.main, anyOf(wire.UnknownUser{Name: missing}, wire.UnknownUser{Name: a.nick}), 0)
	if err != nil {
		return err
	}
	if p.(wire.UnknownUser).Name == missing {
		w.Notef("6 carries the nickname that was not found (A6)")
	} else {
		w.Notef("6 carries the requester's own nickname (A6)")
	}
	return nil
}
