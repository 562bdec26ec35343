package patchat

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chatspec/chatspec/steps"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/cucumber/godog"
)

// roomRef is how a feature names a room: a label such as "kitchen" (made
// unique per scenario) or the document's own "the Main Room".
const roomRef = `(the Main Room|\w+)`

// Sections 4.6, 6.1 to 6.4: rooms, membership and listings.
func registerRooms(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) is in the rooms? (.+)$`, w.isInRooms)
	sc.Step(`^(\w+) creates the room (\w+)$`, w.creates)
	sc.Step(`^(\w+) tries to create the room (\w+)$`, w.triesCreate)
	sc.Step(`^(\w+) joins the room `+roomRef+`$`, w.joins)
	sc.Step(`^(\w+) tries to join a room that does not exist$`, w.triesJoinMissing)
	sc.Step(`^(\w+) leaves the room `+roomRef+`$`, w.leaves)
	sc.Step(`^(\w+) switches to the room `+roomRef+`$`, w.switches)
	sc.Step(`^the users (\w+) sees in `+roomRef+` are exactly (.+)$`, w.usersExactly)
	sc.Step(`^(\w+) no longer sees (\w+) among the users of `+roomRef+`$`, w.noLongerListed)
	sc.Step(`^the rooms (\w+) lists include (.+)$`, w.roomsInclude)
}

// isInRooms logs the actor in, then creates each room (the first actor to
// mention it) or joins it.
func (w *world) isInRooms(role, list string) error {
	if err := w.isLoggedIn(role); err != nil {
		return err
	}
	for _, label := range splitRoles(list) {
		var err error
		if w.created[strings.TrimPrefix(label, "the ")] {
			err = w.joins(role, label)
		} else {
			err = w.creates(role, label)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *world) roomAction(role, action, label string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	_, err := w.accepted(role, a.sess, action, wire.Vars{wire.VarRoom: w.room(label)})
	return err
}

// creates makes a room and remembers that it exists.
func (w *world) creates(role, label string) error {
	if err := w.roomAction(role, wire.ActionCreate, label); err != nil {
		return err
	}
	w.created[strings.TrimPrefix(label, "the ")] = true
	return nil
}

func (w *world) joins(role, label string) error  { return w.roomAction(role, wire.ActionJoin, label) }
func (w *world) leaves(role, label string) error { return w.roomAction(role, wire.ActionLeave, label) }
func (w *world) switches(role, label string) error {
	return w.roomAction(role, wire.ActionSwitch, label)
}

func (w *world) triesCreate(role, label string) error {
	return w.attempt(w.who(role), wire.ActionCreate, wire.Vars{wire.VarRoom: w.room(label)})
}

func (w *world) triesJoinMissing(role string) error {
	return w.attempt(w.who(role), wire.ActionJoin, wire.Vars{wire.VarRoom: w.Nick("nowhere")})
}

// listUsers asks for the users of a room as the dialect's scope says (P4):
// the named room, or the current room after switching to it.
func (w *world) listUsers(a *actor, room string) (wire.Result, error) {
	if err := needSession(a); err != nil {
		return wire.Result{}, err
	}
	if w.d.ListUsersScope == wire.ScopeNamed {
		return w.accepted(a.role, a.sess, wire.ActionListUsers, wire.Vars{wire.VarRoom: room})
	}
	if _, err := w.accepted(a.role, a.sess, wire.ActionSwitch, wire.Vars{wire.VarRoom: room}); err != nil {
		return wire.Result{}, err
	}
	return w.accepted(a.role, a.sess, wire.ActionListUsers, nil)
}

// usersExactly compares a user listing with the expected members: no one
// missing, and no one from another room (PAT-6.2-1).
func (w *world) usersExactly(role, label, list string) error {
	a, room := w.who(role), w.room(label)
	res, err := w.listUsers(a, room)
	if err != nil {
		return err
	}
	var want []string
	for _, r := range splitRoles(list) {
		want = append(want, w.who(r).user)
	}
	got := slices.Clone(res.Items)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		return steps.Failf([]string{strings.Join(want, ", ")}, listed(res),
			"the users listed in %q are not exactly its members", room)
	}
	if listed, ok := res.Vars[wire.VarRoom]; ok && w.d.ListUsersScope != wire.ScopeNamed && strings.TrimSpace(listed) != room {
		w.Notef("the user listing names the room %q, not %q", listed, room)
	}
	return nil
}

// noLongerListed asks for the room's users until the departed user is gone
// from them, or the timeout passes: the server may need a moment to notice a
// connection that dropped. Each try is a request and its reply; between
// tries chatspec backs off (10 ms doubling to 200 ms), polling a state the
// server changes on its own, not waiting for a reply.
func (w *world) noLongerListed(role, gone, label string) error {
	a, g, room := w.who(role), w.who(gone), w.room(label)
	deadline := time.Now().Add(w.timeout())
	pause := 10 * time.Millisecond
	for {
		res, err := w.listUsers(a, room)
		if err != nil {
			return err
		}
		if !slices.Contains(res.Items, g.user) {
			return nil
		}
		if time.Now().Add(pause).After(deadline) {
			return steps.Failf([]string{"a user list of " + room + " without " + g.user},
				listed(res), "%s is still listed in %q %v after leaving", g.user, room, w.timeout())
		}
		<-time.After(pause)
		pause = min(2*pause, 200*time.Millisecond)
	}
}

// roomsInclude checks that the room listing names every given room (PAT-4.6-1).
func (w *world) roomsInclude(role, list string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	res, err := w.accepted(role, a.sess, wire.ActionListRooms, nil)
	if err != nil {
		return err
	}
	var missing []string
	for _, label := range splitRoles(list) {
		if name := w.room(label); !slices.Contains(res.Items, name) {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return steps.Failf([]string{"a room list naming " + strings.Join(missing, ", ")},
			listed(res), "the room list lacks %s", strings.Join(missing, ", "))
	}
	return nil
}

// listed shows a listing as the dialect read it: the items its split
// produced, then the reply they came from, so that a split that keeps a
// server's decoration ("#3 kitchen (2 users)") shows as the dialect's fault.
func listed(res wire.Result) string {
	items := make([]string, len(res.Items))
	for i, it := range res.Items {
		items[i] = fmt.Sprintf("%q", it)
	}
	return fmt.Sprintf("the dialect's items [%s] from the reply %q", strings.Join(items, ", "), res.Text)
}
