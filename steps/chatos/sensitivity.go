package chatos

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	client "github.com/chatspec/chatspec/client/chatos"
	"github.com/chatspec/chatspec/steps"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/cucumber/godog"
)

// Steps that look for the bugs real servers have and simpler checks miss
// (issue 11): a frame held half-sent, undefined opcodes a server may use as
// extensions, a long message cut rather than dropped.
func registerSensitivity(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) sends the first half of a public message and holds the rest$`, w.holdsHalfFrame)
	sc.Step(`^while (\w+) holds it, every public message (\w+) sends for twice the quiet wait reaches (\w+)$`, w.keepsReaching)
	sc.Step(`^(\w+) sends opcode (\w+) followed by an empty string$`, w.sendsOpcode)
	sc.Step(`^(\w+) receives no trace of (\w+)'s public message$`, w.noTraceOfPublic)
}

// holdsHalfFrame writes the first half of a public message and never the
// rest: the frame stays incomplete until the scenario ends, longer than any
// wait of the scenario's checks.
func (w *world) holdsHalfFrame(role string) error {
	a := w.who(role)
	if err := needMain(a); err != nil {
		return err
	}
	p := w.publicPacket(a, w.Token("held"))
	b := wire.MustEncode(p)
	w.Notef("%s holds %d of the %d bytes of a frame until the scenario ends", role, len(b)/2, len(b))
	return a.main.SendRaw(b[:len(b)/2], "the first half of "+p.String()+"; the rest is never sent")
}

// keepsReaching sends public messages from one actor, one at a time, until
// twice the quiet wait has passed since the first, and fails at the first
// that does not reach the other. One or two messages are not enough after
// another connection's held half frame: nothing orders the server's read of
// that half before them, and under load it was read only after both.
// Between messages the receiver listens for a tenth of that time, for the
// held frame's text, which must never arrive: that is also the pace.
func (w *world) keepsReaching(holder, from, role string) error {
	h, b := w.who(holder), w.who(role)
	if err := needMain(b); err != nil {
		return err
	}
	if h.public == "" {
		return steps.Harnessf("%s holds no frame: the feature must say so before this step", holder)
	}
	window, start := 2*w.Env.Quiet, time.Now()
	for n := 1; n <= 2 || time.Since(start) < window; n++ {
		if err := w.sendsPublic(from); err != nil {
			return err
		}
		if err := w.receivesPublic(role, from); err != nil {
			return steps.Restage(fmt.Sprintf("%s received %d of %s's public messages while %s held half a frame, then not the next",
				role, n-1, from, holder), "COP-R-4", err)
		}
		if err := b.main.ExpectNone(carries(wire.OpPublicMessage, h.public), window/10); err != nil {
			return steps.Failf([]string{"nothing of " + holder + "'s unfinished frame"}, err.Error(),
				"%s received the public message %s never finished sending", role, holder)
		}
	}
	w.Notef("%s received every public message %s sent while %s held half a frame (%v)", role, from, holder, window)
	return nil
}

// sendsOpcode sends an undefined opcode (decimal or 0x hex) followed by an
// empty String, the shape a private extension would most likely have.
func (w *world) sendsOpcode(role, value string) error {
	op, err := strconv.ParseUint(value, 0, 8)
	if err != nil || wire.Opcode(op).Known() {
		return steps.Harnessf("the feature names %q, which is not an undefined opcode", value)
	}
	a := w.who(role)
	if err := w.connect(a); err != nil {
		return err
	}
	b := wire.AppendString([]byte{byte(op)}, "")
	return a.main.SendRaw(b, fmt.Sprintf("undefined opcode %d (0x%02x), then an empty String", op, op))
}

// noTraceOfPublic fails when any public message whose text starts with the
// sender's token arrives: the whole text, or a cut of it.
func (w *world) noTraceOfPublic(role, from string) error {
	a, b := w.who(role), w.who(from)
	if err := needMain(a); err != nil {
		return err
	}
	tok := tokenOf(b.public)
	var got wire.PublicMessage
	m := client.Matcher{
		Want: []string{"a public message whose text starts with " + tok},
		Match: func(p wire.Packet) bool {
			pm, ok := p.(wire.PublicMessage)
			if ok && strings.HasPrefix(pm.Text, tok) {
				got = pm
			}
			return ok && strings.HasPrefix(pm.Text, tok)
		},
	}
	if err := a.main.ExpectNone(m, w.Env.Quiet); err != nil {
		sent, n := utf8.RuneCountInString(b.public), utf8.RuneCountInString(got.Text)
		how := "whole"
		if got.Text != b.public {
			how = fmt.Sprintf("cut to %d characters", n)
		}
		return steps.Failf([]string{"nothing of the " + strconv.Itoa(sent) + "-character message"},
			fmt.Sprintf("%s received PUBLIC_MESSAGE(4) from=%q with the message %s (%d bytes, starting %q)",
				a.role, got.From, how, len(got.Text), abbreviate(got.Text)),
			"the server delivered a message over the limit (%s)", how)
	}
	return nil
}

// tokenOf is the scenario token that starts a text chatspec sent.
func tokenOf(text string) string {
	if i := strings.IndexFunc(text, func(r rune) bool { return r >= utf8.RuneSelf }); i > 0 {
		return text[:i]
	}
	return text
}
