package chatos

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sync"

	client "github.com/chatspec/chatspec/client/chatos"
	"github.com/chatspec/chatspec/profile"
	"github.com/chatspec/chatspec/steps"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/cucumber/godog"
)

// Sections 2.6 and 3.5: private connections.
func registerPrivate(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) asks (\w+) for a private connection$`, w.asks)
	sc.Step(`^(\w+) asks a nickname nobody holds for a private connection$`, w.asksNobody)
	sc.Step(`^(\w+) receives (\w+)'s private connection request$`, w.receivesRequest)
	sc.Step(`^(\w+) (accepts|refuses) (\w+)'s private connection request$`, w.answers)
	sc.Step(`^(\w+) (accepts|refuses) a private connection (\w+) never asked for$`, w.answers)
	sc.Step(`^(\w+) receives (\w+)'s (acceptance|refusal)$`, w.receivesAnswer)
	sc.Step(`^(\w+) does not receive (\w+)'s acceptance$`, w.notReceivesAcceptance)
	sc.Step(`^nobody receives a connect id$`, w.nobodyGetsID)
	sc.Step(`^(\w+) and (\w+) receive the same connect id$`, w.receiveSameID)
	sc.Step(`^(\w+) and (\w+) have been given (?:a|another) connect id$`, w.negotiated)
	sc.Step(`^(\w+) and (\w+) have a private connection$`, w.bridged)
	sc.Step(`^(\w+) opens a new connection presenting the connect id$`, w.presentsOwn)
	sc.Step(`^(\w+) opens a new connection presenting a connect id that was never issued$`, w.presentsUnissued)
	sc.Step(`^(\w+) opens a new connection presenting (\w+)'s connect id$`, w.presentsOthers)
	sc.Step(`^(\w+) does not receive "established" yet$`, w.notEstablished)
	sc.Step(`^(\w+) receives "established" on the private connection$`, w.receivesEstablished)
	sc.Step(`^(\w+)'s new connection is not bridged$`, w.notBridged)
	sc.Step(`^bytes (\w+) sends on it reach neither (\w+) nor (\w+)$`, w.intruderBytesGoNowhere)
	sc.Step(`^(\w+) sends (\d+) random bytes on the private connection$`, w.sendsRaw)
	sc.Step(`^(\w+) receives those bytes unchanged on the private connection$`, w.receivesRaw)
	sc.Step(`^(\w+)'s private connection is closed$`, w.bridgeClosed)
	sc.Step(`^the two connect ids differ$`, w.idsDiffer)
	sc.Step(`^the connect ids are neither sequential nor small$`, w.idsUnguessable)
}

func (w *world) asks(role, to string) error {
	a, b := w.who(role), w.who(to)
	a.privateTo = b.nick
	return a.main.Send(wire.PrivateRequest{From: a.nick, To: b.nick})
}

func (w *world) asksNobody(role string) error {
	a := w.who(role)
	a.privateTo = w.Nick("nobody")
	return a.main.Send(wire.PrivateRequest{From: a.nick, To: a.privateTo})
}

func (w *world) receivesRequest(role, from string) error {
	a, b := w.who(role), w.who(from)
	_, err := w.expect(a.main, is(wire.PrivateRequest{From: b.nick, To: a.nick}), 0)
	return err
}

// answers sends 7 or 8 for requester's request, in the profile's field order (A11).
func (w *world) answers(role, verb, requester string) error {
	a, r := w.who(role), w.who(requester)
	from, to := r.nick, a.nick
	if w.Env.Profile.AnswerOrder == profile.OrderReversed {
		from, to = a.nick, r.nick
	}
	var p wire.Packet = wire.PrivateAccept{From: from, To: to}
	if verb == "refuses" {
		p = wire.PrivateRefuse{From: from, To: to}
	}
	return a.main.Send(p)
}

// pairOf matches a 7, 8 or 9 naming x and y in either order.
func pairOf(op wire.Opcode, x, y string) client.Matcher {
	return client.Matcher{
		Want: []string{fmt.Sprintf("%v naming %s and %s (either order)", op, x, y)},
		Match: func(p wire.Packet) bool {
			var f, t string
			switch p := p.(type) {
			case wire.PrivateAccept:
				f, t = p.From, p.To
			case wire.PrivateRefuse:
				f, t = p.From, p.To
			case wire.ConnectID:
				f, t = p.From, p.To
			default:
				return false
			}
			return p.Opcode() == op && (f == x && t == y || f == y && t == x)
		},
	}
}

func (w *world) receivesAnswer(role, from, kind string) error {
	a, b := w.who(role), w.who(from)
	op := wire.OpPrivateAccept
	if kind == "refusal" {
		op = wire.OpPrivateRefuse
	}
	_, err := w.expect(a.main, pairOf(op, a.nick, b.nick), 0)
	if err != nil && w.Env.Profile.AnswerOrder == profile.OrderRequest {
		w.Notef("hint: chatspec sent 7/8 as (requester, receiver); if the server expects (answerer, requester), set `answer-order: reversed` in --profile (A11)")
	}
	return err
}

func (w *world) notReceivesAcceptance(role, from string) error {
	a, b := w.who(role), w.who(from)
	return w.quietly(a.main, pairOf(wire.OpPrivateAccept, a.nick, b.nick))
}

// nobodyGetsID listens on every main connection at once for any 9.
func (w *world) nobodyGetsID() error {
	anyID := client.Matcher{Want: []string{"CONNECT_ID(9)"}, Match: func(p wire.Packet) bool {
		_, ok := p.(wire.ConnectID)
		return ok
	}}
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for _, a := range w.actors {
		if a.main == nil {
			continue
		}
		wg.Add(1)
		go func(c *client.Client) {
			defer wg.Done()
			if err := w.quietly(c, anyID); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}(a.main)
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (w *world) receiveSameID(x, y string) error {
	a, b := w.who(x), w.who(y)
	pa, err := w.expect(a.main, pairOf(wire.OpConnectID, a.nick, b.nick), 0)
	if err != nil {
		return err
	}
	pb, err := w.expect(b.main, pairOf(wire.OpConnectID, a.nick, b.nick), 0)
	if err != nil {
		return err
	}
	ia, ib := pa.(wire.ConnectID).ID, pb.(wire.ConnectID).ID
	if ia != ib {
		return steps.Failf([]string{fmt.Sprintf("the same id on both sides (%s got %d)", a.role, ia)},
			fmt.Sprintf("%s got %d", b.role, ib), "the two sides got different connect ids")
	}
	a.ids, b.ids = append(a.ids, ia), append(b.ids, ib)
	a.peers, b.peers = append(a.peers, b.nick), append(b.peers, a.nick)
	return nil
}

// stage is one part of a setup helper and the requirement that checks it.
type stage struct {
	see string
	do  func() error
}

// runStages runs stages in order; the first that fails is named by what
// and its requirement.
func runStages(what string, stages ...stage) error {
	for _, st := range stages {
		if err := st.do(); err != nil {
			return steps.Stage(what, st.see, err)
		}
	}
	return nil
}

// negotiated runs the whole 3/7/9 exchange between x (requester) and y.
func (w *world) negotiated(x, y string) error {
	for _, role := range []string{x, y} {
		if w.who(role).main == nil {
			if err := w.logsIn(role); err != nil {
				return err
			}
		}
	}
	return runStages("the private connection could not be negotiated",
		stage{"", func() error { return w.asks(x, y) }},
		stage{"COP-3.5-1", func() error { return w.receivesRequest(y, x) }},
		stage{"", func() error { return w.answers(y, "accepts", x) }},
		stage{"COP-3.5-4", func() error { return w.receivesAnswer(x, y, "acceptance") }},
		stage{"COP-3.5-5", func() error { return w.receiveSameID(x, y) }})
}

func (w *world) bridged(x, y string) error {
	if err := w.negotiated(x, y); err != nil {
		return err
	}
	return runStages("the private connection could not be established",
		stage{"", func() error { return w.presentsOwn(x) }},
		stage{"", func() error { return w.presentsOwn(y) }},
		stage{"COP-3.5-6", func() error { return w.receivesEstablished(x) }},
		stage{"COP-3.5-6", func() error { return w.receivesEstablished(y) }})
}

// present opens the actor's private connection and sends 10 with id, as
// the actor's half of the private connection with the far end that id was
// negotiated with (nobody, for an id the actor was not given).
func (w *world) present(a *actor, id int64) error {
	c, err := w.dial(a.role + "/private")
	if err != nil {
		return err
	}
	a.bridge = c
	with := ""
	if i := slices.Index(a.ids, id); i >= 0 && i < len(a.peers) {
		with = a.peers[i]
	}
	return c.Present(id, a.nick, with)
}

func lastID(a *actor) (int64, error) {
	if len(a.ids) == 0 {
		return 0, steps.Harnessf("%s has no connect id yet", a.role)
	}
	return a.ids[len(a.ids)-1], nil
}

func (w *world) presentsOwn(role string) error {
	a := w.who(role)
	id, err := lastID(a)
	if err != nil {
		return err
	}
	return w.present(a, id)
}

func (w *world) presentsOthers(role, owner string) error {
	id, err := lastID(w.who(owner))
	if err != nil {
		return err
	}
	return w.present(w.who(role), id)
}

func (w *world) presentsUnissued(role string) error {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return w.present(w.who(role), int64(binary.BigEndian.Uint64(b[:])>>1))
}

var established = client.Matcher{Want: []string{wire.Established{}.String()},
	Match: func(p wire.Packet) bool { return p == wire.Established{} }}

func (w *world) notEstablished(role string) error {
	return w.quietly(w.who(role).bridge, established)
}

func (w *world) receivesEstablished(role string) error {
	_, err := w.expect(w.who(role).bridge, established, 0)
	return err
}

func (w *world) notBridged(role string) error {
	c := w.who(role).bridge
	if err := c.ExpectNone(established, w.Env.Quiet); err != nil {
		return steps.Failf([]string{"no 11: the connection is closed or stays silent"}, err.Error(),
			"the server bridged a connection it must not bridge")
	}
	if c.Closed() {
		w.Notef("the server closed %s's connection", role)
	}
	return nil
}

// intruderBytesGoNowhere sends a token on the intruder's connection and
// checks neither bridged party sees it.
func (w *world) intruderBytesGoNowhere(role, x, y string) error {
	tok := []byte(w.Token("intruder"))
	if err := w.who(role).bridge.SendRaw(tok, fmt.Sprintf("%q (raw)", tok)); err != nil {
		w.Notef("the server had closed %s's connection", role)
		return nil
	}
	for _, r := range []string{x, y} {
		got, _ := w.who(r).bridge.ReadRaw(len(tok), w.Env.Quiet)
		if bytes.Contains(got, tok) {
			return steps.Failf([]string{"nothing from " + role}, fmt.Sprintf("%q", got),
				"bytes from a third connection reached %s's private connection", r)
		}
	}
	return nil
}

func (w *world) sendsRaw(role string, n int) error {
	a := w.who(role)
	a.sentRaw = make([]byte, n)
	_, _ = rand.Read(a.sentRaw)
	w.lastRawFrom = role
	return a.bridge.SendRaw(a.sentRaw, fmt.Sprintf("%d random bytes (raw)", n))
}

func (w *world) receivesRaw(role string) error {
	sent := w.who(w.lastRawFrom).sentRaw
	got, err := w.who(role).bridge.ReadRaw(len(sent), w.Env.Timeout)
	if err != nil || !bytes.Equal(got, sent) {
		return steps.Failf([]string{fmt.Sprintf("the %d bytes %s sent, unchanged and in order", len(sent), w.lastRawFrom)},
			fmt.Sprintf("%d bytes, first difference at %d (%v)", len(got), firstDiff(got, sent), err),
			"the private connection did not relay the bytes unchanged")
	}
	return nil
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func (w *world) bridgeClosed(role string) error {
	if err := w.who(role).bridge.WaitRawClosed(w.Env.Timeout); err != nil {
		return steps.Failf([]string{"the server closes " + role + "'s private connection"}, err.Error(),
			"the peer's private connection stayed open after its owner left")
	}
	return nil
}

func (w *world) idsDiffer() error {
	a := w.actors["alice"]
	if a == nil || len(a.ids) < 2 {
		return steps.Harnessf("two negotiations are needed")
	}
	if a.ids[0] == a.ids[1] {
		return steps.Failf([]string{"two different ids"}, fmt.Sprintf("%d twice", a.ids[0]), "a connect id was issued twice")
	}
	return nil
}

func (w *world) idsUnguessable() error {
	ids := w.who("alice").ids
	for i, id := range ids {
		if id > -(1<<24) && id < 1<<24 {
			return steps.Failf([]string{"ids of at least 2^24 in magnitude"}, fmt.Sprint(ids), "connect id %d is small", id)
		}
		if i > 0 {
			if d := id - ids[i-1]; d >= -16 && d <= 16 {
				return steps.Failf([]string{"ids with no visible sequence"}, fmt.Sprint(ids), "connect ids follow each other closely")
			}
		}
	}
	return nil
}
