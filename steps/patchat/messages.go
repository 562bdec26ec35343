package patchat

import (
	"context"
	"fmt"
	"strings"

	"github.com/chatspec/chatspec/steps"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/cucumber/godog"
)

// roomList is one room or several ("kitchen", "kitchen and garden",
// "the Main Room, kitchen and garden"); nothing else may follow it.
const roomList = `((?:the Main Room|\w+)(?:(?:, | and )(?:the Main Room|\w+))*)`

// Sections 1 and 3: room messages and broadcasts.
func registerMessages(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) says "([^"]*)"$`, w.says)
	sc.Step(`^(\w+) says "([^"]*)" in `+roomRef+`$`, w.saysIn)
	sc.Step(`^(\w+) tries to say "([^"]*)"$`, w.triesSay)
	sc.Step(`^(\w+), in `+roomRef+`, broadcasts "([^"]*)" to `+roomList+`$`, w.broadcasts)
	sc.Step(`^(\w+), in `+roomRef+`, broadcasts "([^"]*)" to `+roomList+` but not to (?:her|his|its) current room$`, w.broadcastsOthers)
	sc.Step(`^(\w+) receives "([^"]*)" from (\w+)$`, w.receivesAny)
	sc.Step(`^(\w+) receives "([^"]*)" from (\w+) in `+roomRef+`$`, w.receivesIn)
	sc.Step(`^(\w+) receives "([^"]*)" from (\w+) for `+roomRef+` and `+roomRef+`: one copy, or one labelled copy per room$`, w.receivesCopies)
	sc.Step(`^(\w+) does not receive "([^"]*)"$`, w.notReceives)
}

func (w *world) says(role, label string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	_, err := w.accepted(role, a.sess, wire.ActionSay, wire.Vars{wire.VarText: w.text(label)})
	return err
}

// saysIn makes the room current first, so the message's room never depends
// on what create or join did to the current room.
func (w *world) saysIn(role, label, room string) error {
	if err := w.switches(role, room); err != nil {
		return err
	}
	return w.says(role, label)
}

// triesSay sends a message whatever the connection's state, and waits for a
// reply no longer than the quiet window: the verdict is whether anyone
// receives it.
func (w *world) triesSay(role, label string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.quiet())
	defer cancel()
	res, err := a.sess.Do(ctx, wire.ActionSay, wire.Vars{wire.VarText: w.text(label)})
	switch {
	case err != nil:
		w.Notef("%s's message got no reply the dialect recognises within %v", role, w.quiet())
	case res.Refused:
		w.Notef("%s's message was refused: %q", role, strings.TrimSpace(res.Text))
	default:
		w.Notef("%s's message was answered as if sent: %q", role, strings.TrimSpace(res.Text))
	}
	return nil
}

func (w *world) broadcast(role, from, label, list, action string) error {
	a := w.who(role)
	if err := w.switches(role, from); err != nil {
		return err
	}
	var rooms []string
	for _, r := range splitRoles(list) {
		rooms = append(rooms, w.room(r))
	}
	_, err := w.accepted(role, a.sess, action, wire.Vars{wire.VarRooms: w.d.JoinRooms(rooms...), wire.VarText: w.text(label)})
	return err
}

func (w *world) broadcasts(role, from, label, list string) error {
	return w.broadcast(role, from, label, list, wire.ActionBroadcast)
}

func (w *world) broadcastsOthers(role, from, label, list string) error {
	return w.broadcast(role, from, label, list, wire.ActionBroadcastOthers)
}

// sameText matches a room message carrying the token, whatever the server
// put around it.
func sameText(m wire.RoomMessage, token string) bool {
	return strings.Contains(m.Text, token)
}

func (w *world) receivesAny(role, label, from string) error { return w.receive(role, label, from, "") }
func (w *world) receivesIn(role, label, from, room string) error {
	return w.receive(role, label, from, w.room(room))
}

// receive waits for the message from the sender; when the server labels
// messages with their room, the label must be the room given.
func (w *world) receive(role, label, from, room string) error {
	a, f, token := w.who(role), w.who(from), w.text(label)
	if err := needSession(a); err != nil {
		return err
	}
	want := fmt.Sprintf("a room message from %s with text %q", f.user, token)
	if room != "" {
		want += fmt.Sprintf(" in %q (or with no room shown)", room)
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.timeout())
	defer cancel()
	_, err := a.sess.WaitMessage(ctx, func(m wire.RoomMessage) bool {
		return sameText(m, token) && m.From == f.user && (room == "" || m.Room == "" || m.Room == room)
	})
	if err == nil {
		return nil
	}
	ce := &steps.CheckError{Msg: fmt.Sprintf("%s did not receive %s's message", role, from),
		Expected: []string{want}, Actual: w.whatArrived(a, token, err), TimedOut: true, Wait: w.timeout()}
	return ce
}

// whatArrived describes what a connection got instead of a message: copies
// with the wrong sender or room, the text in a form the dialect does not
// recognise, or nothing.
func (w *world) whatArrived(a *actor, token string, err error) string {
	var copies []string
	for _, m := range a.sess.Messages() {
		if sameText(m, token) {
			copies = append(copies, fmt.Sprintf("from %q in %q: %q", m.From, m.Room, m.Raw))
		}
	}
	if len(copies) > 0 {
		return strings.Join(copies, "; ")
	}
	if seen, around := a.sess.Saw(token); seen {
		return "the text arrived in a form the dialect's messages recognisers do not match: " + around
	}
	return fmt.Sprintf("nothing (%v)", err)
}

// notReceives is a negative check behind a barrier: the observer makes a
// harmless round trip (list rooms), so anything the server sent it before
// answering has arrived; then it listens for the quiet window. Any trace of
// the text on the connection fails, recognised as a message or not.
func (w *world) notReceives(role, label string) error {
	a, token := w.who(role), w.text(label)
	if err := needSession(a); err != nil {
		return err
	}
	if _, err := w.accepted(role, a.sess, wire.ActionListRooms, nil); err != nil {
		return fmt.Errorf("barrier before the quiet window: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.quiet())
	defer cancel()
	_, _ = a.sess.WaitMessage(ctx, func(m wire.RoomMessage) bool { return sameText(m, token) })
	want := []string{fmt.Sprintf("no message with text %q", token)}
	for _, m := range a.sess.Messages() {
		if sameText(m, token) {
			return steps.Failf(want, fmt.Sprintf("from %q in %q: %q", m.From, m.Room, m.Raw),
				"%s received a message it must not receive", role)
		}
	}
	if seen, around := a.sess.Saw(token); seen {
		return steps.Failf(want, around, "%s received the text of a message it must not receive", role)
	}
	return nil
}

// receivesCopies judges a member of two target rooms of one broadcast (P3):
// one copy passes, as do two copies labelled with the two rooms; no copy,
// unlabelled or mislabelled duplicates, or more copies fail.
func (w *world) receivesCopies(role, label, from, room1, room2 string) error {
	if err := w.receive(role, label, from, ""); err != nil {
		return err
	}
	a, token := w.who(role), w.text(label)
	r1, r2 := w.room(room1), w.room(room2)
	if _, err := w.accepted(role, a.sess, wire.ActionListRooms, nil); err != nil {
		return fmt.Errorf("barrier before counting copies: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.quiet())
	defer cancel()
	_, _ = a.sess.WaitMessage(ctx, func(m wire.RoomMessage) bool { return sameText(m, token) })
	var copies []wire.RoomMessage
	var raws []string
	for _, m := range a.sess.Messages() {
		if sameText(m, token) {
			copies = append(copies, m)
			raws = append(raws, fmt.Sprintf("%q", m.Raw))
		}
	}
	want := []string{"one copy", fmt.Sprintf("two copies, labelled %q and %q", r1, r2)}
	actual := fmt.Sprintf("%d copies: %s", len(copies), strings.Join(raws, ", "))
	switch {
	case len(copies) == 1 && (copies[0].Room == "" || copies[0].Room == r1 || copies[0].Room == r2):
		w.Notef("a member of both rooms got one copy (P3)")
		return nil
	case len(copies) == 2 && copies[0].Room != copies[1].Room &&
		(copies[0].Room == r1 || copies[0].Room == r2) && (copies[1].Room == r1 || copies[1].Room == r2):
		w.Notef("a member of both rooms got one copy per room, each labelled (P3)")
		return nil
	}
	return steps.Failf(want, actual, "%s got the broadcast in a way P3 does not allow", role)
}
