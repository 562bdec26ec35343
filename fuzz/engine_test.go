package fuzz

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chatspec/chatspec/target"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// toyServer: greets with "T=<token>\n", echoes lines, answers "BAD" with a
// 0xEE byte (a protocol violation) and "DIE" by returning (the server ends).
func toyServer(ctx context.Context, ln net.Listener) error {
	die := make(chan struct{}, 1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go toyConn(c, die)
		}
	}()
	select {
	case <-ctx.Done():
		return nil
	case <-die:
		return errors.New("told to die")
	}
}

func toyConn(c net.Conn, die chan<- struct{}) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "T=abcd\n")
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		switch line := sc.Text(); {
		case line == "DIE":
			die <- struct{}{}
			return
		case line == "BAD":
			_, _ = c.Write([]byte{0xee, '\n'})
		default:
			fmt.Fprintf(c, "%s\n", line)
		}
	}
}

// toy is a Protocol for toyServer: every case sends "ok".
type toy struct{}

func (t *toy) Name() string { return "toy" }
func (t *toy) Generate(r *rand.Rand) Case {
	b := NewBuilder("toy")
	c := b.Conn()
	b.Send(c, Step{Data: fmt.Appendf(nil, "ok %d\n", r.IntN(1000))})
	return b.Case()
}
func (t *toy) NewWatch() Watch     { return &toyWatch{} }
func (t *toy) Reducers() []Reducer { return nil }
func (t *toy) Probe(ctx context.Context, addr string) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return ProbeNetError("connect", err)
	}
	defer c.Close()
	dl, _ := ctx.Deadline()
	_ = c.SetDeadline(dl)
	if _, err := c.Write([]byte("ping\n")); err != nil {
		return ProbeNetError("write", err)
	}
	rd := bufio.NewReader(c)
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return ProbeNetError("read", err)
		}
		if line == "ping\n" {
			return nil
		}
	}
}

type toyWatch struct{ buf []byte }

func (w *toyWatch) Feed(b []byte) *Violation {
	w.buf = append(w.buf, b...)
	if i := bytes.IndexByte(w.buf, 0xee); i >= 0 {
		return &Violation{Token: "ee-byte", Detail: "0xEE"}
	}
	return nil
}
func (w *toyWatch) End() *Violation { return nil }
func (w *toyWatch) Value(name string) ([]byte, bool) {
	if name == "token" && bytes.HasPrefix(w.buf, []byte("T=")) && len(w.buf) >= 6 {
		return w.buf[2:6], true
	}
	return nil, false
}

// specialProtocol makes case index `at` send word instead of "ok".
type specialProtocol struct {
	*toy
	word string
	at   int
	seed int64
}

func (p specialProtocol) Generate(r *rand.Rand) Case {
	first := r.Uint64()
	c := p.toy.Generate(r)
	if first == CaseRand(p.seed, p.at).Uint64() {
		c.Conns[0].Steps[0].Data = []byte(p.word + "\n")
	}
	return c
}

func startToy(t *testing.T) target.Target {
	tg, err := target.InProcess(context.Background(), toyServer)
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	return tg
}

func TestExecuteFillsRunTimeValues(t *testing.T) {
	tg := startToy(t)
	c := Case{Conns: []ConnScript{
		{Steps: []Step{{Data: []byte("..BAD\n"), Fill: &Fill{Var: "token", Conn: 0, Offset: 0}}}},
	}}
	// "..BAD" becomes "abcdAD": no violation. Without the fill it would be "..BAD".
	res := Execute(context.Background(), tg.Addr(), c, &toy{}, ExecOptions{})
	assert.Nil(t, res.Violation)
	c.Conns[0].Steps[0] = Step{Data: []byte("BAD\n")}
	res = Execute(context.Background(), tg.Addr(), c, &toy{}, ExecOptions{})
	require.NotNil(t, res.Violation)
	assert.Equal(t, "ee-byte", res.Violation.Token)
}

// echoToy is toy whose watch offers "echoed" ("B") once the server echoed "first".
type echoToy struct{ toy }

func (*echoToy) NewWatch() Watch { return &echoWatch{} }

type echoWatch struct{ toyWatch }

func (w *echoWatch) Value(name string) ([]byte, bool) {
	if name == "echoed" && bytes.Contains(w.buf, []byte("first\n")) {
		return []byte("B"), true
	}
	return w.toyWatch.Value(name)
}

// Steps written together (see writer) still go out before a fill waits:
// the fill waits for the server's answer to the plain steps before it, on
// its own connection and on another, and turns "?AD" into "BAD", which the
// server answers with a violation. Were the steps held back, the fill would
// wait in vain and "?AD" would go unchanged: no violation.
func TestExecuteWritesHeldStepsBeforeAFillWaits(t *testing.T) {
	tg := startToy(t)
	o := ExecOptions{FillWait: 10 * time.Second}
	wait := &Fill{Var: "echoed", Conn: 0, Offset: 0}
	same := Case{Conns: []ConnScript{{Steps: []Step{
		{Data: []byte("zero\n")}, {Data: []byte("first\n")}, {Data: []byte("?AD\n"), Fill: wait},
	}}}}
	res := Execute(context.Background(), tg.Addr(), same, &echoToy{}, o)
	require.NotNil(t, res.Violation, "same connection")
	other := Case{Conns: []ConnScript{
		{Steps: []Step{{Data: []byte("zero\n")}, {Data: []byte("first\n")}, {}}},
		{Steps: []Step{{}, {}, {Data: []byte("?AD\n"), Fill: wait}}},
	}}
	res = Execute(context.Background(), tg.Addr(), other, &echoToy{}, o)
	require.NotNil(t, res.Violation, "another connection")
	assert.Equal(t, 1, res.ViolConn)
	other.Conns[1].Steps[2].Fill = nil // unfilled, "?AD" is no violation
	res = Execute(context.Background(), tg.Addr(), other, &echoToy{}, o)
	assert.Nil(t, res.Violation)
}

// The same on a case too big to be read only on the case's goroutine
// (see inlineLimit): its connections have reader goroutines from the
// start, and the fill waits on those.
func TestExecuteWritesHeldStepsBeforeAFillWaitsInABigCase(t *testing.T) {
	tg := startToy(t)
	o := ExecOptions{FillWait: 10 * time.Second}
	wait := &Fill{Var: "echoed", Conn: 0, Offset: 0}
	pad := append(bytes.Repeat([]byte("x"), inlineLimit), '\n')
	c := Case{Conns: []ConnScript{
		{Steps: []Step{{Data: pad}, {Data: []byte("first\n")}, {}}},
		{Steps: []Step{{}, {}, {Data: []byte("?AD\n"), Fill: wait}}},
	}}
	require.Greater(t, c.Size(), inlineLimit)
	res := Execute(context.Background(), tg.Addr(), c, &echoToy{}, o)
	require.NotNil(t, res.Violation)
	assert.Equal(t, 1, res.ViolConn)
	assert.Greater(t, res.Received, int64(inlineLimit), "the padding came back")
}

// A fill whose value never comes gives up at its wait, and the connection
// is still read to its end afterwards: what the server sends later (here
// the 0xEE answer to BAD) is judged as if nothing had waited.
func TestExecuteReadsOnAfterAFillGaveUp(t *testing.T) {
	tg := startToy(t)
	o := ExecOptions{FillWait: 20 * time.Millisecond}
	never := &Fill{Var: "echoed", Conn: 0, Offset: -1} // nobody sends "first"
	c := Case{Conns: []ConnScript{{Steps: []Step{
		{Data: []byte("zero\n")}, {Data: []byte("BAD\n"), Fill: never},
	}}}}
	res := Execute(context.Background(), tg.Addr(), c, &echoToy{}, o)
	require.NotNil(t, res.Violation)
	assert.Equal(t, "ee-byte", res.Violation.Token)
}

func TestEngineTracesProtocolFindingToItsCase(t *testing.T) {
	tg := startToy(t)
	p := specialProtocol{toy: &toy{}, word: "BAD", at: 37, seed: 11}
	e := NewEngine(Config{Oracles: &Oracles{Target: tg, Protocol: p}, Seed: 11, Cases: 100, Workers: 3})
	sum, err := e.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, sum.Findings, 1)
	f := sum.Findings[0]
	assert.Equal(t, KindProtocol, f.Kind)
	assert.Equal(t, "protocol: ee-byte [decode ee-byte]", f.Title)
	assert.Equal(t, 37, f.CaseIndex)
	assert.Equal(t, "BAD\n", string(f.Case.Conns[0].Steps[0].Data))
	assert.EqualValues(t, 100, sum.Cases)
}

func TestEngineIsolatesCrashAmongWorkersAndRestarts(t *testing.T) {
	tg := startToy(t)
	p := specialProtocol{toy: &toy{}, word: "DIE", at: 23, seed: 5}
	e := NewEngine(Config{Oracles: &Oracles{Target: tg, Protocol: p, ProbeTimeout: 2 * time.Second},
		Seed: 5, Cases: 60, Workers: 4, ProbeEvery: 5})
	sum, err := e.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, sum.Findings, 1, "stopped: %s", sum.Stopped)
	f := sum.Findings[0]
	assert.Equal(t, KindExit, f.Kind)
	assert.Equal(t, 23, f.CaseIndex, "the culprit, not a bystander")
	assert.NotContains(t, f.Detail, "not reproduced")
	assert.GreaterOrEqual(t, sum.Restarts, int64(1))
	assert.EqualValues(t, 60, sum.Cases, "fuzzing went on after the restart")
}

func TestEngineRefusesUnhealthyTarget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	tg, err := target.Remote(addr)
	require.NoError(t, err)
	_, err = NewEngine(Config{Oracles: &Oracles{Target: tg, Protocol: &toy{}}, Cases: 1}).Run(context.Background())
	assert.ErrorIs(t, err, ErrTargetUnhealthy)
}

func TestReplayAndMinimiseFinding(t *testing.T) {
	tg := startToy(t)
	o := &Oracles{Target: tg, Protocol: &toy{}}
	f := Finding{Kind: KindProtocol, Case: Case{Protocol: "toy", Conns: []ConnScript{
		{Steps: []Step{{Data: []byte("hello\n")}, {Data: []byte("xx\nBAD\nyy\n")}}},
		{Steps: []Step{{Data: []byte("other\n")}}},
	}}}
	v, err := Replay(context.Background(), o, f)
	require.NoError(t, err)
	require.NotNil(t, v)
	assert.Equal(t, KindProtocol, v.Kind)
	small, rep, err := MinimiseFinding(context.Background(), o, f, 500)
	require.NoError(t, err)
	assert.Equal(t, "BAD", string(small.Case.Conns[0].Steps[0].Data), "half-close ends the last line")
	assert.Less(t, rep.AfterBytes, rep.BeforeBytes)
	_, err = Replay(context.Background(), o, Finding{Case: Case{Protocol: "other"}})
	assert.ErrorIs(t, err, ErrProtocolMismatch)
}

// countingTarget counts the cases and probes aimed at one instance.
type countingTarget struct {
	target.Target
	n atomic.Int64
}

func (c *countingTarget) Addr() string { c.n.Add(1); return c.Target.Addr() }

// With two instances the workers share both; a crash on one is isolated to
// its culprit while the other keeps fuzzing, and the run goes on.
func TestEngineSharesWorkersAmongInstances(t *testing.T) {
	a, b := &countingTarget{Target: startToy(t)}, &countingTarget{Target: startToy(t)}
	p := specialProtocol{toy: &toy{}, word: "DIE", at: 23, seed: 5}
	oa := &Oracles{Target: a, Protocol: p, ProbeTimeout: 2 * time.Second}
	ob := &Oracles{Target: b, Protocol: p, ProbeTimeout: 2 * time.Second}
	e := NewEngine(Config{Oracles: oa, Instances: []*Oracles{ob}, Seed: 5, Cases: 60, Workers: 4, ProbeEvery: 5})
	sum, err := e.Run(context.Background())
	require.NoError(t, err)
	require.Len(t, sum.Findings, 1, "stopped: %s", sum.Stopped)
	assert.Equal(t, 23, sum.Findings[0].CaseIndex)
	assert.EqualValues(t, 60, sum.Cases)
	assert.Greater(t, a.n.Load(), int64(10), "instance a ran cases")
	assert.Greater(t, b.n.Load(), int64(10), "instance b ran cases")
}

// twoBugs makes case index bad send "BAD" (a protocol finding) and case
// index die send "DIE" (the server exits): two different findings.
type twoBugs struct {
	*toy
	seed     int64
	bad, die int
}

func (p twoBugs) Generate(r *rand.Rand) Case {
	first := r.Uint64()
	c := p.toy.Generate(r)
	switch first {
	case CaseRand(p.seed, p.bad).Uint64():
		c.Conns[0].Steps[0].Data = []byte("BAD\n")
	case CaseRand(p.seed, p.die).Uint64():
		c.Conns[0].Steps[0].Data = []byte("DIE\n")
	}
	return c
}

// StopAfter ends a run without a case limit once that many different
// findings are in, and not before.
func TestEngineStopsAfterSoManyFindings(t *testing.T) {
	p := twoBugs{toy: &toy{}, seed: 4, bad: 15, die: 40}
	for _, n := range []int{1, 2} {
		o := &Oracles{Target: startToy(t), Protocol: p, ProbeTimeout: 2 * time.Second}
		e := NewEngine(Config{Oracles: o, Seed: 4, Duration: time.Minute, Workers: 2, StopAfter: n})
		sum, err := e.Run(context.Background())
		require.NoError(t, err)
		require.Len(t, sum.Findings, n, "stopped: %s", sum.Stopped)
		assert.Equal(t, fmt.Sprintf("stopped after %d findings (--stop-after)", n), sum.Stopped)
	}
}
