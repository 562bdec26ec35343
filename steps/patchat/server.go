package patchat

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chatspec/chatspec/steps"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/cucumber/godog"
)

// AddressFile is the default name, inside the --exec directory {dir}, where
// chatspec looks for the address file the document's 4.2 says the server
// writes; a dialect names another with address_file. The user passes e.g.
// `--address-file {dir}/address.txt` in the --exec command, or runs a server
// that writes the file in its working directory with --exec-in-dir.
const AddressFile = wire.DefaultAddressFile

// restartWait bounds a server restart.
const restartWait = 30 * time.Second

// Sections 3, 4.2 and 6.5: the server as a process, exit, and sessions that end.
func registerServer(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^chatspec started the server itself \(needed to (.+)\)$`, w.startedByChatspec)
	sc.Step(`^the server accepts TCP connections on the port chatspec gave it$`, w.acceptsTCP)
	sc.Step(`^the default port cannot be seen, because chatspec chose the port$`, w.defaultPortUnseen)
	sc.Step(`^chatspec notes whether the server wrote its address to a text file$`, w.notesAddressFile)
	sc.Step(`^the server restarts$`, w.restarts)
	sc.Step(`^chatspec notes how (\w+)'s session ended$`, w.notesSessionEnd)
	sc.Step(`^(\w+) exits$`, w.exits)
	sc.Step(`^(\w+)'s connection is closed$`, w.connectionClosed)
	sc.Step(`^(\w+)'s connection drops without exit$`, w.drops)
	sc.Step(`^chatspec notes what (\w+) was told before the connection closed$`, w.notesGoodbye)
	sc.Step(`^the server still serves others$`, w.stillServes)
}

// startedByChatspec ends the scenario as UNTESTABLE when chatspec cannot
// start or restart the server (--target), saying what it would need.
func (w *world) startedByChatspec(purpose string) error {
	if !w.Env.Target.CanRestart() {
		return w.Untestable("needs --exec: chatspec must start the server itself to " + purpose)
	}
	return nil
}

func (w *world) acceptsTCP() error {
	ctx, cancel := context.WithTimeout(context.Background(), w.timeout())
	defer cancel()
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", w.Env.Addr())
	if err != nil {
		return steps.Failf([]string{"a TCP connection to " + w.Env.Addr()}, err.Error(), "the server does not accept TCP connections")
	}
	_ = c.Close()
	w.Notef("the server accepts TCP connections on %s", w.Env.Addr())
	return nil
}

func (w *world) defaultPortUnseen() error {
	return w.Untestable("chatspec gives the server its port ({port} or {addr} in --exec) so that runs never collide; " +
		"the default of 8083 applies only when no port is given, which chatspec never does")
}

// notesAddressFile reads {dir}/ADDRESS_FILE (the dialect's address_file,
// address.txt unless it says otherwise; PAT-4.2-1, INFO): it must name the
// port the server listens on.
func (w *world) notesAddressFile() error {
	dir, name := w.Env.Target.Dir(), w.d.AddressFile
	if dir == "" {
		return w.Untestable("the address file is read from the --exec directory: start the server with " +
			"--exec '... --address-file {dir}/" + name + "' (or your server's equivalent)")
	}
	path := filepath.Join(dir, filepath.FromSlash(name))
	b, err := readWhenThere(path, w.timeout())
	if errors.Is(err, os.ErrNotExist) {
		return w.Untestable("no " + name + " in the server's directory {dir}: pass `--address-file {dir}/" + name +
			"` (or your server's equivalent) in the --exec command, or --exec-in-dir for a server that writes it in its working directory")
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	_, port, _ := net.SplitHostPort(w.Env.Addr())
	text := strings.TrimSpace(string(b[:min(len(b), 256)]))
	if strings.Contains(text, port) {
		w.Notef("the server wrote its address to a text file: %q names its port %s", text, port)
	} else {
		w.Notef("the server wrote %q to %s, which does not name its port %s", text, name, port)
	}
	return nil
}

// readWhenThere reads a file the server writes at start, waiting up to wait
// for it to appear: a server may accept connections a moment before it has
// written the file (the port is open as soon as it listens).
func readWhenThere(path string, wait time.Duration) ([]byte, error) {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(wait)
	for {
		b, err := os.ReadFile(path)
		if !errors.Is(err, os.ErrNotExist) {
			return b, err
		}
		select {
		case <-tick.C:
		case <-deadline:
			return nil, err
		}
	}
}

func (w *world) restarts() error {
	ctx, cancel := context.WithTimeout(context.Background(), restartWait)
	defer cancel()
	start := time.Now()
	if err := w.Env.Target.Restart(ctx); err != nil {
		return fmt.Errorf("the server could not be restarted: %w", err)
	}
	w.Log.Notef("chatspec", "the server restarted in %v", time.Since(start).Round(time.Millisecond))
	return nil
}

// notesSessionEnd records how a session ended when the server went away
// (PAT-3-7, INFO): closed with or without a last word, or left hanging.
func (w *world) notesSessionEnd(role string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.timeout())
	defer cancel()
	err := a.sess.WaitClosed(ctx)
	last := strings.TrimSpace(a.sess.Unconsumed())
	switch {
	case err != nil:
		w.Notef("%s's connection was still open %v after the server stopped: the client was not told", role, w.timeout())
	case last == "":
		w.Notef("%s's connection was closed without a message (%v)", role, a.sess.Err())
	default:
		w.Notef("%s's connection was closed after the server said %q", role, last)
	}
	return nil
}

// exits runs the dialect's exit; a server that closes at once, before the
// goodbye the dialect expects, has still exited.
func (w *world) exits(role string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	res, err := w.do(a.sess, wire.ActionExit, nil)
	a.last = attempt{action: wire.ActionExit, res: res, err: err}
	if errors.Is(err, wire.ErrClosed) {
		w.Notef("%s: the server closed the connection before the goodbye the dialect expects", role)
		return nil
	}
	if err != nil {
		return checkFrom(role, wire.ActionExit, err)
	}
	return nil
}

// drops closes the actor's connection without a word (PAT-4.6-2).
func (w *world) drops(role string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	w.Log.Notef(role, "chatspec closes the connection without exit")
	return a.sess.Close()
}

func (w *world) connectionClosed(role string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.timeout())
	defer cancel()
	if err := a.sess.WaitClosed(ctx); err != nil {
		return &steps.CheckError{Msg: role + "'s connection is still open after exit",
			Expected: []string{"the server closes the connection"}, Actual: fmt.Sprintf("open; unconsumed %q", a.sess.Unconsumed()),
			TimedOut: true, Wait: w.timeout()}
	}
	return nil
}

// notesGoodbye records what the server said before closing (PAT-3-4, INFO).
func (w *world) notesGoodbye(role string) error {
	a := w.who(role)
	if err := w.connectionClosed(role); err != nil {
		return err
	}
	said := strings.TrimSpace(a.last.res.Text + a.sess.Unconsumed())
	if said == "" {
		w.Notef("the server closed %s's connection without a word", role)
	} else {
		w.Notef("before closing %s's connection the server said %q", role, said)
	}
	return nil
}

// stillServes proves the server is alive and serving: two fresh users log
// in and one's message reaches the other in the Main Room. It needs no room
// action, so a server whose joins are broken still gets its own verdict here.
func (w *world) stillServes() error {
	for _, step := range []func() error{
		func() error { return w.isLoggedIn("probe_a") },
		func() error { return w.isLoggedIn("probe_b") },
		func() error { return w.says("probe_a", "alive") },
		func() error { return w.receivesIn("probe_b", "alive", "probe_a", "the "+MainRoom) },
	} {
		if err := step(); err != nil {
			return fmt.Errorf("the server no longer serves new clients: %w", err)
		}
	}
	return nil
}
