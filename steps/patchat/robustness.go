package patchat

import (
	"context"
	pclient "github.com/chatspec/chatspec/client/patchat"
	"strings"

	"github.com/chatspec/chatspec/steps"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/cucumber/godog"
)

// endlessLine is the size of PAT-R-1's line without an end.
const endlessLine = 1 << 20

// endlessChunk is how much of it goes in one write.
const endlessChunk = 64 << 10

// dirty is what PAT-R-2 puts after a message's token: NUL, C0 controls, an
// ANSI escape, DEL, bytes that are not UTF-8 and a truncated sequence; the
// tab is allowed through.
const dirty = " \x00nul \x01soh \x07bel \x1b[31mesc \x7fdel \xff\xfe bad \xc3 cut \ttab end"

// Sections 3 (text only), 4.5 and robustness (PAT-R-*).
func registerRobustness(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) is connected but silent$`, w.connectedSilent)
	sc.Step(`^(\w+) sends half a line$`, w.sendsHalfLine)
	sc.Step(`^(\w+) sends a line of 1 MiB without a line ending$`, w.sendsEndlessLine)
	sc.Step(`^(\w+) says "([^"]*)" with invalid UTF-8, NUL and control bytes in `+roomRef+`$`, w.saysDirty)
	sc.Step(`^everything (\w+) received is text$`, w.receivedText)
	sc.Step(`^everything the server sent in this scenario is text$`, w.allText)
}

// connectedSilent connects and reads the greeting, then sends nothing.
func (w *world) connectedSilent(role string) error { return w.connect(w.who(role)) }

// sendsHalfLine sends the start of a message and never its line ending.
func (w *world) sendsHalfLine(role string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.timeout())
	defer cancel()
	return a.sess.SendRaw(ctx, []byte(w.text("half")))
}

// sendsEndlessLine writes 1 MiB with no line ending. A server may stop
// reading or close the connection (P8 allows refusing the line): that is
// noted, not judged; what is judged comes next (the server still serves).
func (w *world) sendsEndlessLine(role string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	chunk := []byte(strings.Repeat("x", endlessChunk))
	sent := 0
	for sent < endlessLine {
		ctx, cancel := context.WithTimeout(context.Background(), w.timeout())
		err := a.sess.SendRaw(ctx, chunk)
		cancel()
		if err != nil {
			w.Notef("the server took %d KiB of the endless line, then: %v", sent>>10, err)
			return nil
		}
		sent += len(chunk)
	}
	if rss, ok := w.Env.Target.RSS(); ok {
		w.Notef("the server took the whole 1 MiB line; its resident memory is now %d MiB", rss>>20)
	} else {
		w.Notef("the server took the whole 1 MiB line")
	}
	return nil
}

// saysDirty sends a message whose text carries forbidden bytes; a refusal or
// a closed connection is fine (noted), what matters is what others receive.
func (w *world) saysDirty(role, label, room string) error {
	return w.saysWith(role, label, room, dirty)
}

// saysWith says the text labelled label followed by payload in room.
func (w *world) saysWith(role, label, room, payload string) error {
	a := w.who(role)
	if err := w.switches(role, room); err != nil {
		return err
	}
	res, err := w.do(a.sess, wire.ActionSay, wire.Vars{wire.VarText: w.text(label) + payload})
	switch {
	case err != nil:
		w.Notef("%s's message with forbidden bytes got: %v", role, err)
	case res.Refused:
		w.Notef("%s's message with forbidden bytes was refused: %q", role, strings.TrimSpace(res.Text))
	}
	return nil
}

// receivedText fails when the server sent the actor anything but text
// (PAT-3-3, and P9 for relayed messages), and notes what became of a
// message sent with forbidden bytes.
func (w *world) receivedText(role string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	if p := a.sess.Problems(); len(p) > 0 {
		return steps.Failf([]string{"valid UTF-8 without NUL or control bytes other than tab, newline and carriage return"},
			strings.Join(p, "; "), "%s received bytes that are not text", role)
	}
	if tok, ok := w.texts["dirty"]; ok {
		w.noteDirty(a, tok)
	}
	return nil
}

// noteDirty records whether the message with forbidden bytes was dropped
// or relayed cleaned.
func (w *world) noteDirty(a *actor, token string) {
	for _, m := range a.sess.Messages() {
		if sameText(m, token) {
			w.Notef("the message with forbidden bytes reached %s cleaned: %q", a.role, m.Text)
			return
		}
	}
	w.Notef("the message with forbidden bytes did not reach %s", a.role)
}

func (w *world) allText() error {
	w.mu.Lock()
	conns := append([]*pclient.Session(nil), w.sess...)
	w.mu.Unlock()
	for _, c := range conns {
		if p := c.Problems(); len(p) > 0 {
			return steps.Failf([]string{"valid UTF-8 without NUL or control bytes other than tab, newline and carriage return"},
				strings.Join(p, "; "), "%s received bytes that are not text", c.Name())
		}
	}
	w.Notef("checked everything the server sent on %d connections", len(conns))
	return nil
}
