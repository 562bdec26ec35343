package patchat

import (
	"errors"
	"fmt"
	"strings"

	"github.com/chatspec/chatspec/steps"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/cucumber/godog"
)

// Sections 4.4 and 6.1: accounts, logging in, the Main Room.
func registerLogin(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) is logged in$`, w.isLoggedIn)
	sc.Step(`^(\w+) registers an account$`, w.registersAccount)
	sc.Step(`^(\w+) logs in on a new connection$`, w.logsInFresh)
	sc.Step(`^(\w+) logs in with (\w+)'s username and password$`, w.logsInAs)
	sc.Step(`^(\w+) logs in with (\w+)'s username and a wrong password$`, w.logsInWrongPassword)
	sc.Step(`^(\w+) registers (\w+)'s username with another password$`, w.registersTaken)
	sc.Step(`^(\w+)'s login is accepted$`, w.loginAccepted)
	sc.Step(`^(\w+) is refused$`, w.isRefused)
	sc.Step(`^(\w+) can still log in with (?:her|his|its) own password$`, w.canStillLogIn)
	sc.Step(`^(\w+) is told (?:she|he|it) is in the Main Room$`, w.toldMainRoom)
}

// credentials are the login inputs of an account.
func credentials(user, password string) wire.Vars {
	return wire.Vars{wire.VarUser: user, wire.VarPassword: password}
}

// isLoggedIn connects, registers a fresh account and logs in with it.
func (w *world) isLoggedIn(role string) error {
	a := w.who(role)
	if !a.login.Refused && a.login.Action != "" {
		return nil
	}
	if err := w.connect(a); err != nil {
		return err
	}
	if _, err := w.accepted(role, a.sess, wire.ActionRegister, credentials(a.user, a.password)); err != nil {
		return err
	}
	res, err := w.accepted(role, a.sess, wire.ActionLogin, credentials(a.user, a.password))
	if err != nil && res.Refused {
		// The server refused a new account's login: whatever the scenario
		// checks could not be set up. PAT-4.4-1 judges that login.
		return steps.Blocked(role+" logging in with a new account", "PAT-4.4-1", err)
	}
	if err != nil {
		return err
	}
	a.login = res
	return nil
}

// registersAccount creates the actor's account on a connection of its own,
// then closes it (PAT-4.4-1 logs in on another one).
func (w *world) registersAccount(role string) error {
	a := w.who(role)
	s, err := w.open(role + "/register")
	if err != nil {
		return err
	}
	defer s.Close()
	_, err = w.accepted(role+"/register", s, wire.ActionRegister, credentials(a.user, a.password))
	return err
}

// attempt runs an action on the actor's main connection (connecting first)
// and keeps the outcome for a Then step.
func (w *world) attempt(a *actor, action string, vars wire.Vars) error {
	if err := w.connect(a); err != nil {
		return err
	}
	res, err := w.do(a.sess, action, vars)
	a.last = attempt{action: action, res: res, err: err}
	if err == nil && !res.Refused && action == wire.ActionLogin {
		a.login = res
	}
	return nil
}

func (w *world) logsInFresh(role string) error {
	a := w.who(role)
	return w.attempt(a, wire.ActionLogin, credentials(a.user, a.password))
}

func (w *world) logsInAs(role, owner string) error {
	o := w.who(owner)
	return w.attempt(w.who(role), wire.ActionLogin, credentials(o.user, o.password))
}

func (w *world) logsInWrongPassword(role, owner string) error {
	o := w.who(owner)
	return w.attempt(w.who(role), wire.ActionLogin, credentials(o.user, o.password+"x"))
}

func (w *world) registersTaken(role, owner string) error {
	o := w.who(owner)
	return w.attempt(w.who(role), wire.ActionRegister, credentials(o.user, "other"+o.password))
}

func (w *world) loginAccepted(role string) error {
	a := w.who(role)
	if a.last.action != wire.ActionLogin {
		return steps.Harnessf("%s attempted no login", role)
	}
	if a.last.err != nil {
		return checkFrom(role, a.last.action, a.last.err)
	}
	if a.last.res.Refused {
		return steps.Failf([]string{"the login of " + a.user + " accepted"}, a.last.res.Text,
			"%s: the server refused a login with the right username and password", role)
	}
	return nil
}

// isRefused accepts the dialect's refusal or a closed connection; an
// acceptance, or no answer at all, fails.
func (w *world) isRefused(role string) error {
	a := w.who(role)
	if a.last.action == "" {
		return steps.Harnessf("%s attempted nothing", role)
	}
	want := []string{"the dialect's refusal of " + a.last.action, "the connection closed"}
	switch {
	case a.last.err != nil && errors.Is(a.last.err, wire.ErrClosed):
		w.Notef("%s: the server closed the connection instead of answering %s", role, a.last.action)
		return nil
	case a.last.err != nil:
		return notRefused(checkFrom(role, a.last.action, a.last.err))
	case !a.last.res.Refused:
		return steps.Failf(want, a.last.res.Text, "%s: the server accepted %s, which it must refuse", role, a.last.action)
	}
	w.Notef("%s: refused with %q", a.last.action, strings.TrimSpace(a.last.res.Text))
	return nil
}

func (w *world) canStillLogIn(role string) error {
	a := w.who(role)
	s, err := w.open(role + "/again")
	if err != nil {
		return err
	}
	_, err = w.accepted(role+"/again", s, wire.ActionLogin, credentials(a.user, a.password))
	return err
}

// toldMainRoom reads the login reply: the room the dialect captured, or
// else the reply's text, must name the Main Room.
func (w *world) toldMainRoom(role string) error {
	a := w.who(role)
	if a.login.Action == "" {
		return steps.Harnessf("%s is not logged in", role)
	}
	want := []string{fmt.Sprintf("a login reply that names %q", MainRoom)}
	if room, ok := a.login.Vars[wire.VarRoom]; ok {
		if strings.TrimSpace(room) != MainRoom {
			return steps.Failf(want, fmt.Sprintf("room %q (%q)", room, a.login.Text), "%s was placed in another room at login", role)
		}
		return nil
	}
	if !strings.Contains(a.login.Text, MainRoom) {
		return steps.Failf(want, fmt.Sprintf("%q", a.login.Text), "%s was not told of the Main Room at login", role)
	}
	w.Notef("the dialect's login captures no room; the reply names %q", MainRoom)
	return nil
}

// notRefused keeps an answer the dialect does not recognise a FAIL where a
// refusal is the verdict: the server did not refuse in any way the dialect
// knows, so the requirement under test is not met (elsewhere such an
// answer is the dialect's INCONCLUSIVE).
func notRefused(err error) error {
	var se *steps.SetupError
	if errors.As(err, &se) && se.Err != nil {
		return se.Err
	}
	return err
}
