package chatos

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	client "github.com/chatspec/chatspec/client/chatos"
	"github.com/chatspec/chatspec/steps"
	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/cucumber/godog"
)

// Section 3.3, 5 and the robustness requirements (COP-R-*).
func registerRobustness(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) sends these bytes:$`, w.sendsHex)
	sc.Step(`^the server still serves other clients$`, w.stillServes)
	sc.Step(`^(\w+) sends half of a public message and disconnects$`, w.sendsHalfAndLeaves)
	sc.Step(`^(\w+) sends a public message with invalid UTF-8$`, w.sendsInvalidUTF8)
	sc.Step(`^(\w+) starts dripping a public message one byte every (\d+) ms$`, w.drips)
	sc.Step(`^(\w+) stops reading$`, w.stopsReading)
	sc.Step(`^(\w+) floods (\d+) public messages of (\d+) bytes$`, w.floods)
	sc.Step(`^(\w+) receives all of (\w+)'s flood$`, w.receivesFlood)
	sc.Step(`^(\d+) clients log in at once$`, w.crowdLogsIn)
	sc.Step(`^they are all accepted$`, w.crowdAccepted)
	sc.Step(`^a public message from one of them reaches all the others$`, w.crowdBroadcast)
	sc.Step(`^the idle timeout is short enough to wait for$`, w.idleIsShort)
	sc.Step(`^(\w+) stays silent for longer than the idle timeout$`, w.staysSilent)
}

// ParseHex reads a DocString of hex bytes; spaces are ignored and '#' starts
// a comment, so feature files can explain each field.
func ParseHex(doc string) ([]byte, error) {
	var sb strings.Builder
	for _, line := range strings.Split(doc, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		sb.WriteString(strings.Join(strings.Fields(line), ""))
	}
	return hex.DecodeString(sb.String())
}

func (w *world) sendsHex(role string, doc *godog.DocString) error {
	b, err := ParseHex(doc.Content)
	if err != nil {
		return steps.Harnessf("bad hex in feature: %v", err)
	}
	a := w.who(role)
	if err := w.connect(a); err != nil {
		return err
	}
	return a.main.SendRaw(b, "hand-made frame from the feature file")
}

// stillServes logs two fresh clients in and passes a public message between them.
func (w *world) stillServes() error {
	for _, step := range []func() error{
		func() error { return w.logsIn("probe_a") },
		func() error { return w.logsIn("probe_b") },
		func() error { return w.sendsPublic("probe_a") },
		func() error { return w.receivesPublic("probe_b", "probe_a") },
	} {
		if err := step(); err != nil {
			return fmt.Errorf("the server no longer serves new clients: %w", err)
		}
	}
	return nil
}

func (w *world) sendsHalfAndLeaves(role string) error {
	a := w.who(role)
	b := wire.MustEncode(w.publicPacket(a, w.Token("half")))
	if err := a.main.SendRaw(b[:len(b)/2], "the first half of "+wire.PublicMessage{From: a.nick, Text: a.public}.String()); err != nil {
		return err
	}
	return w.disconnects(role)
}

func (w *world) sendsInvalidUTF8(role string) error {
	a := w.who(role)
	a.public = w.Token("utf") + "\xff\xfe"
	b := wire.AppendString(wire.AppendString([]byte{byte(wire.OpPublicMessage)}, a.nick), a.public)
	return a.main.SendRaw(b, fmt.Sprintf("PUBLIC_MESSAGE(4) from=%q text=%q (invalid UTF-8)", a.nick, a.public))
}

// drips writes a public message one byte per tick in the background until
// the frame is done or the scenario ends.
func (w *world) drips(role string, ms int) error {
	a := w.who(role)
	b := wire.MustEncode(w.publicPacket(a, w.Token("drip")))
	stop := make(chan struct{})
	done := make(chan struct{})
	w.OnCleanup(func() { close(stop); <-done })
	c := a.main
	go func() {
		defer close(done)
		t := time.NewTicker(time.Duration(ms) * time.Millisecond)
		defer t.Stop()
		for i := range b {
			select {
			case <-stop:
				return
			case <-t.C:
			}
			if c.SendRaw(b[i:i+1], fmt.Sprintf("byte %d of a dripped public message", i)) != nil {
				return
			}
		}
	}()
	return nil
}

// stopsReading leaves role's connection unread from now on, with a small
// receive buffer (stalledBuffer) so that the server's writes to it stall
// after kilobytes rather than after what a kernel may otherwise buffer.
func (w *world) stopsReading(role string) error {
	if c := w.who(role).main; c != nil {
		if tc, ok := c.Conn().(interface{ SetReadBuffer(int) error }); ok {
			_ = tc.SetReadBuffer(stalledBuffer)
		}
	}
	w.stalled = role
	w.Notef("%s never reads from now on", role)
	return nil
}

// stalledBuffer is the receive buffer of a client that stopped reading.
const stalledBuffer = 4 << 10

// floods prepares n public messages from role and writes the first; the
// reader's step writes each next one as soon as the previous one arrived
// (one in flight, so no two share a segment and no scenario but COP-3.1-2
// depends on the server's framing). A server that blocks on a client that
// stopped reading stalls the flood, and the reader sees it.
func (w *world) floods(role string, n, size int) error {
	a := w.who(role)
	if a.main == nil || n == 0 {
		return steps.Harnessf("%s floods before logging in, or floods nothing", role)
	}
	w.flood = make([]string, n)
	w.floodFrames = make([][]byte, n)
	for i := range n {
		tok := fmt.Sprintf("%s-%05d-", w.Token("flood"), i)
		w.flood[i] = tok + strings.Repeat("f", max(size-len(tok), 0))
		w.floodFrames[i] = wire.MustEncode(wire.PublicMessage{From: a.nick, Text: w.flood[i]})
	}
	w.Log.Notef(a.role, "sends %d public messages of %d bytes, one write each (not logged one by one)", n, size)
	w.floodConn = a.main.Conn()
	w.dropIncoming(a.main.Conn())
	return w.floodWrite(a.main.Name, 0)
}

// dropIncoming reads and drops what conn receives until the scenario ends:
// the sender may get copies of its own messages (A9) and must not be the one
// that stops reading.
func (w *world) dropIncoming(conn net.Conn) {
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		buf := make([]byte, 64<<10)
		for {
			_ = conn.SetReadDeadline(time.Now().Add(w.Env.Timeout))
			if _, err := conn.Read(buf); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
				return
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	}()
	w.OnCleanup(func() { close(stop); _ = conn.Close(); <-stopped })
}

// floodWrite writes message i of the flood.
func (w *world) floodWrite(conn string, i int) error {
	w.Log.Sent(conn, transcript.TopicPublic, "", nil, w.flood[i]) // for the history checker
	_ = w.floodConn.SetWriteDeadline(time.Now().Add(w.Env.Timeout))
	if _, err := w.floodConn.Write(w.floodFrames[i]); err != nil {
		return &steps.CheckError{Msg: fmt.Sprintf("%s could not send message %d of %d of the flood: %v", conn, i+1, len(w.flood), err),
			TimedOut: errors.Is(err, os.ErrDeadlineExceeded), Wait: w.Env.Timeout}
	}
	return nil
}

// receivesFlood waits for every message of the flood in order, writing the
// next one as each arrives. Every floodProbe messages the reader asks the
// server about the client that stopped reading (a private message to it): a
// 6 in answer means the server disconnected it as too slow, having served
// the reader all along, and the flood has shown what it must.
func (w *world) receivesFlood(role, from string) error {
	a, f := w.who(role), w.who(from)
	if len(w.flood) == 0 {
		return steps.Harnessf("%s waits for a flood nobody sent", role)
	}
	for i, text := range w.flood {
		if _, err := w.expect(a.main, is(wire.PublicMessage{From: f.nick, Text: text}), 0); err != nil {
			if ce, ok := steps.AsCheck(err); ok {
				ce.Msg = fmt.Sprintf("%s received %d of the %d flood messages, then not the next: %s", a.role, i, len(w.flood), ce.Msg)
			}
			return err
		}
		if w.stalledDropped(a, i+1) {
			return nil
		}
		if i+1 < len(w.flood) {
			if err := w.floodWrite(f.main.Name, i+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// floodProbe is how many flood messages pass between two questions about
// the client that stopped reading.
const floodProbe = 200

// stalledDropped asks, every floodProbe messages, whether the server still
// holds the client that stopped reading, and reports whether an earlier
// question was answered with 6 (the server disconnected it).
func (w *world) stalledDropped(a *actor, received int) bool {
	if w.stalled == "" || received%floodProbe != 0 {
		return false
	}
	m := w.who(w.stalled)
	gone := client.Matcher{Want: []string{"UNKNOWN_USER(6)"}, Match: func(p wire.Packet) bool {
		u, ok := p.(wire.UnknownUser)
		return ok && (u.Name == m.nick || u.Name == a.nick) // either name (A6)
	}}
	if _, ok := a.main.Take(gone); ok {
		w.Notef("the server disconnected %s, which did not read, after %d flood messages, and served %s all along: the flood stops there",
			m.role, received, a.role)
		return true
	}
	_ = a.main.Send(wire.PrivateMessage{From: a.nick, To: m.nick, Text: w.Token("still-there")})
	return false
}

func (w *world) crowdLogsIn(n int) error {
	w.crowd = make([]*client.Client, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nick := fmt.Sprintf("c%s%s", w.ID, indexLetters(i))
			c, err := w.dial(nick)
			if err != nil {
				errs[i] = err
				return
			}
			w.crowd[i] = c
			if err := c.Send(wire.Login{Nick: nick}); err != nil {
				errs[i] = err
				return
			}
			_, errs[i] = w.expect(c, is(wire.LoginAccepted{Nick: nick}), 0)
		}()
	}
	wg.Wait()
	w.crowdErr = summarise(errs, "logins")
	return nil
}

// summarise joins the first few errors of many and counts the rest, so one
// broken server does not print the same failure two hundred times.
func summarise(errs []error, what string) error {
	var keep []error
	failed := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		failed++
		if len(keep) < 3 {
			keep = append(keep, err)
		}
	}
	if failed == 0 {
		return nil
	}
	if failed > len(keep) {
		keep = append(keep, fmt.Errorf("... %d of %d %s failed in all", failed, len(errs), what))
	}
	return errors.Join(keep...)
}

// indexLetters spells i in letters, so crowd nicknames hold no digits.
func indexLetters(i int) string {
	s := ""
	for {
		s = string(rune('a'+i%26)) + s
		i /= 26
		if i == 0 {
			return s
		}
	}
}

func (w *world) crowdAccepted() error { return w.crowdErr }

func (w *world) crowdBroadcast() error {
	first := w.crowd[0]
	nick := strings.TrimPrefix(first.Name, "")
	text := w.Token("crowd")
	if err := first.Send(wire.PublicMessage{From: nick, Text: text}); err != nil {
		return err
	}
	errs := make([]error, len(w.crowd))
	var wg sync.WaitGroup
	for i, c := range w.crowd[1:] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = w.expect(c, is(wire.PublicMessage{From: nick, Text: text}), 0)
		}()
	}
	wg.Wait()
	return summarise(errs, "deliveries")
}

func (w *world) idleIsShort() error {
	p := w.Env.Profile
	if p.IdleTimeout > p.LongWait && !w.Env.Long {
		return w.Skip(fmt.Sprintf("the idle timeout is %v (profile); run with --long to wait for it, or declare a shorter idle-timeout in --profile", p.IdleTimeout))
	}
	return nil
}

func (w *world) staysSilent(role string) error {
	w.closeWait = w.Env.Profile.IdleTimeout + w.Env.Timeout
	w.Notef("%s stays silent; chatspec waits up to %v for the close", role, w.closeWait)
	return nil
}
