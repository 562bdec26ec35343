package patchat

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// fuzzFaults picks deliberate bugs from a byte, never the crash fault.
func fuzzFaults(b byte) Faults {
	return Faults{
		HistoryOnJoin: b&1 != 0, LeakToOtherRoom: b&2 != 0, LeaverStillReceives: b&4 != 0,
		UnlabelledDuplicates: b&8 != 0, ListAllUsers: b&16 != 0, VanishedStaysListed: b&32 != 0,
	}
}

// FuzzCore drives the Core with command lines from four sessions. Each line's
// first byte picks the session (low 2 bits) and an operation: connect,
// vanish, or the rest of the line parsed as a line-style command. The first
// byte of the input picks faults. After every step the invariants must hold.
func FuzzCore(f *testing.F) {
	f.Add([]byte("\x00\n\x00\n\x01\n\x08login ann pw\n\x09login bob pw\n\x08c foo\n\x09j foo\n\x08hi\n\x09r foo\n\x08b Main Room: x\n"))
	f.Add([]byte("\x3f\n\x00\n\x01\n\x02\n\x03\n\x08login a pw\n\x09login b pw\n\x0alogin c pw\n\x0blogin d pw\n\x08c x\n\x09j x\n\x05\n\x08l\n\x08exit\n"))
	f.Add([]byte("\x01\n\x00\n\x08login ann pw\n\x08c a\n\x08m one\n\x08r a\n\x08r Main Room\n\x08bx a: no\n\x08s a\n\x04\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		faults := fuzzFaults(data[0])
		c := NewCore(3, faults)
		for _, line := range bytes.Split(data[1:], []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			id := SessionID(line[0]%4 + 1)
			outs := c.Step(id, fuzzCommand(line))
			if err := c.check(); err != nil {
				t.Fatalf("after %q from %d: %v", line, id, err)
			}
			checkOutputs(t, c, id, faults, outs)
		}
	})
}

// fuzzCommand turns one fuzz line into a Core command.
func fuzzCommand(line []byte) Command {
	switch (line[0] / 4) % 8 {
	case 0:
		return Connect{}
	case 1:
		return Vanish{}
	}
	req := lineFront{}.input(Sanitize(string(line[1:])))
	switch {
	case req.login != nil:
		return Login{User: req.login.user, PasswordOK: req.login.pass == "pw"}
	case req.cmd != nil:
		return req.cmd
	}
	return ListRooms{}
}

// checkOutputs verifies who receives what after one step, and that both
// front ends can render every event.
func checkOutputs(t *testing.T, c *Core, from SessionID, faults Faults, outs []Output) {
	for _, o := range outs {
		ev := o.Event
		if o.To != from && (ev.Kind != KindMessage || c.sessions[o.To] == nil || c.sessions[o.To].user == "") {
			t.Fatalf("%v sent to %d, not the sender %d nor a logged-in member", ev.Kind, o.To, from)
		}
		if ev.Kind == KindMessage && (c.rooms[ev.Room] == nil || ev.Text == "") {
			t.Fatalf("message for missing room or empty: %+v", ev)
		}
		if ev.Kind == KindMessage && o.To == from && !faults.HistoryOnJoin {
			t.Fatalf("the sender got its own message: %+v", ev)
		}
		_ = lineText(ev)
		_ = (&menuFront{}).render(ev)
	}
}

// FuzzConn feeds raw bytes to one connection handler over net.Pipe, in both
// styles: it must not panic, must return once the client closes, and must
// leave no goroutine behind.
func FuzzConn(f *testing.F) {
	f.Add([]byte("\x00register ann pw\nlogin ann pw\nc foo\nhello\nb foo: x\nl\nrooms\nexit\n"))
	f.Add([]byte("\x01" + "2\nann\npw\n1\nann\npw\n/create\nfoo\n/join\n1\n/multi\nfoo\ny\nhi\n/who\n/quit\n"))
	f.Add([]byte("\x00" + string(bytes.Repeat([]byte("A"), 5000)) + "\nlogin\x00 \xff\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		base := runtime.NumGoroutine()
		cfg := Config{Style: StyleLine, Capacity: 2, MaxLine: 64, HashCost: bcrypt.MinCost, Faults: fuzzFaults(data[0] >> 2)}
		if data[0]&1 == 1 {
			cfg.Style = StyleMenu
		}
		runPipe(t, cfg, data[1:])
		require.NoError(t, waitGoroutines(base), "goroutine leak")
	})
}

// runPipe runs handle over net.Pipe, writes data, then closes the client side.
func runPipe(t *testing.T, cfg Config, data []byte) {
	cfg = cfg.withDefaults()
	st, err := lookupStyle(cfg.Style)
	require.NoError(t, err)
	acc, err := LoadAccounts("", cfg.HashCost)
	require.NoError(t, err)
	h := newHub(cfg, st, acc)
	cli, srv := net.Pipe()
	handled := make(chan struct{})
	go func() {
		defer close(handled)
		h.handle(context.Background(), srv)
	}()
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		_, _ = io.Copy(io.Discard, cli)
	}()
	_ = cli.SetWriteDeadline(time.Now().Add(ioDeadline))
	_, _ = cli.Write(data)
	_ = cli.Close()
	for _, ch := range []chan struct{}{handled, drained} {
		select {
		case <-ch:
		case <-time.After(ioDeadline):
			t.Fatal("the handler did not return after the client closed")
		}
	}
}

// waitGoroutines polls, up to a deadline, until no more goroutines run than base.
func waitGoroutines(base int) error {
	end := time.Now().Add(ioDeadline)
	for runtime.NumGoroutine() > base {
		if time.Now().After(end) {
			return fmt.Errorf("%d goroutines, want at most %d", runtime.NumGoroutine(), base)
		}
		runtime.Gosched()
	}
	return nil
}
