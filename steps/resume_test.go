package steps

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/target"
)

// twoBugs is a line server with two fatal inputs: it answers "ok LINE" to
// every line, except that "die-a" or "die-b" (or any "die-" line) makes the whole server stop
// (listener first, then every connection), as a user's server with two
// different crashing bugs would. It counts its starts and its deaths.
type twoBugs struct {
	broken bool // after its first death, every restart dies at once
	mu     sync.Mutex
	starts int
	deaths map[string]int // per fatal input
	change chan struct{}  // closed and replaced at every death
}

func newTwoBugs() *twoBugs {
	return &twoBugs{deaths: map[string]int{}, change: make(chan struct{})}
}

// serve is the target.ServeFunc: one run of the server until ctx ends or
// a fatal input arrives.
func (b *twoBugs) serve(ctx context.Context, ln net.Listener) error {
	b.mu.Lock()
	b.starts++
	dead := b.broken && len(b.deaths) > 0
	b.mu.Unlock()
	if dead {
		_ = ln.Close()
		return errors.New("died at start")
	}
	died := make(chan string, 1)
	var conns sync.WaitGroup
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() { defer conns.Done(); b.handle(c, ln, died) }()
		}
	}()
	select {
	case <-ctx.Done():
		_ = ln.Close()
		return nil
	case why := <-died:
		return fmt.Errorf("died of %q", why)
	}
}

// handle answers one connection's lines until a fatal one, which stops the
// listener before the connection ends: a check after sees the server dead.
func (b *twoBugs) handle(c net.Conn, ln net.Listener, died chan<- string) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	lines := bufio.NewScanner(c)
	for lines.Scan() {
		line := lines.Text()
		if strings.HasPrefix(line, "die-") {
			_ = ln.Close()
			b.died(line)
			select {
			case died <- line:
			default:
			}
			return
		}
		if _, err := fmt.Fprintf(c, "ok %s\n", line); err != nil {
			return
		}
	}
}

func (b *twoBugs) died(why string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.deaths[why]++
	close(b.change)
	b.change = make(chan struct{})
}

// waitDeath waits until the server died of why at least once.
func (b *twoBugs) waitDeath(why string, d time.Duration) error {
	deadline := time.After(d)
	for {
		b.mu.Lock()
		n, change := b.deaths[why], b.change
		b.mu.Unlock()
		if n > 0 {
			return nil
		}
		select {
		case <-change:
		case <-deadline:
			return fmt.Errorf("the server never died of %q", why)
		}
	}
}

func (b *twoBugs) count() (starts int, deaths map[string]int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	deaths = map[string]int{}
	for k, v := range b.deaths {
		deaths[k] = v
	}
	return b.starts, deaths
}

// meeting pairs scenarios: the first to arrive waits until a second one
// arrives while it waits. Two scenarios meet only if they are in flight at
// the same time, whatever the machine's speed; each meeting records what
// the server had died of by then.
type meeting struct {
	mu       sync.Mutex
	waiting  chan struct{} // the first arrival's, nil when nobody waits
	meetings []map[string]int
}

func (m *meeting) meet(b *twoBugs, d time.Duration) error {
	m.mu.Lock()
	if w := m.waiting; w != nil {
		m.waiting = nil
		_, deaths := b.count()
		m.meetings = append(m.meetings, deaths)
		m.mu.Unlock()
		close(w)
		return nil
	}
	w := make(chan struct{})
	m.waiting = w
	m.mu.Unlock()
	select {
	case <-w:
		return nil
	case <-time.After(d):
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.waiting == w {
			m.waiting = nil
			return errors.New("no other scenario ran while this one waited")
		}
		return nil // met just now
	}
}

// say sends line on a fresh connection and reads the answer; a fatal line
// gets none (the server is gone), which is not this step's concern.
func say(s *Scenario, line string, fatal bool) error {
	c, err := net.DialTimeout("tcp", s.Env.Addr(), s.Env.Timeout)
	if err != nil {
		return Failf([]string{"a connection"}, err.Error(), "the server refused a connection")
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(s.Env.Timeout))
	if _, err := fmt.Fprintf(c, "%s\n", line); err != nil {
		return Failf([]string{"ok " + line}, err.Error(), "the server did not take the line")
	}
	got, err := bufio.NewReader(c).ReadString('\n')
	if !fatal && got != "ok "+line+"\n" {
		return Failf([]string{"ok " + line}, fmt.Sprintf("%q (%v)", got, err), "the server did not answer")
	}
	return nil
}

// twoBugsFeature: each fatal input has its own scenario and a bystander
// that runs beside it (it waits until the server died of that input, so it
// is in flight at the death); then two scenarios that must meet, and one
// more. At concurrency 2 nothing after a bystander starts before its crash.
const twoBugsFeature = `Feature: a server with two fatal inputs
  @COP-2.1-1
  Scenario: the first fatal input
    When a client sends the fatal "die-a"

  @COP-2.1-2
  Scenario: a bystander of the first crash
    Given the server has died of "die-a"
    Then a client is answered "one"

  @COP-2.2-1
  Scenario: the second fatal input
    When a client sends the fatal "die-b"

  @COP-2.5-1
  Scenario: a bystander of the second crash
    Given the server has died of "die-b"
    Then a client is answered "two"

  @COP-2.3-1 @meet
  Scenario: one of two that meet
    Then another scenario runs at the same time

  @COP-2.3-2 @meet
  Scenario: the other of two that meet
    Then another scenario runs at the same time

  @COP-2.4-1
  Scenario: a last one
    Then a client is answered "three"
`

// runTwoBugs runs feature against b.
func runTwoBugs(t *testing.T, b *twoBugs, feature string, opt Options) (*results.Run, *twoBugs, *meeting) {
	t.Helper()
	return runTwoBugsOn(t, b, feature, opt, nil)
}

// runTwoBugsOn runs feature against b through wrap's target (nil: b's own).
func runTwoBugsOn(t *testing.T, b *twoBugs, feature string, opt Options,
	wrap func(target.Target) target.Target) (*results.Run, *twoBugs, *meeting) {
	t.Helper()
	m := &meeting{}
	gate := make(chan struct{})
	open := sync.OnceFunc(func() { close(gate) })
	inner, err := target.InProcess(context.Background(), b.serve)
	require.NoError(t, err)
	t.Cleanup(func() { _ = inner.Close() })
	tgt := inner
	if wrap != nil {
		tgt = wrap(inner)
	}
	init := func(sc *godog.ScenarioContext, s *Scenario) {
		sc.Step(`^a client sends the fatal "([^"]*)"$`, func(line string) error { return say(s, line, true) })
		sc.Step(`^a client is answered "([^"]*)"$`, func(line string) error { return say(s, line, false) })
		sc.Step(`^the server has died of "([^"]*)"$`, func(why string) error { return b.waitDeath(why, 10*time.Second) })
		sc.Step(`^another scenario runs at the same time$`, func() error { return m.meet(b, 10*time.Second) })
		sc.Step(`^the fatal input may go$`, func() error { open(); return nil })
		sc.Step(`^the bystander is running$`, func() error {
			select {
			case <-gate:
				return nil
			case <-time.After(10 * time.Second):
				return errors.New("the bystander never ran")
			}
		})
	}
	suite := Suite{Protocol: "chatos", Features: fstest.MapFS{"t.feature": {Data: []byte(feature)}}, Init: init}
	env := &Env{Target: tgt, Timeout: 2 * time.Second, Quiet: 100 * time.Millisecond}
	run, err := Run(context.Background(), suite, env, opt)
	require.NoError(t, err, "%v", run)
	return run, b, m
}

// rowsOf is the outcome of each row of the feature, by its line.
func rowsOf(run *results.Run) map[string]results.Outcome {
	rows := map[string]results.Outcome{}
	for _, r := range run.Results {
		if line, ok := strings.CutPrefix(r.Location, "features/chatos/t.feature:"); ok {
			rows[line] = r.Outcome
		}
	}
	return rows
}

// TestSecondCrashAfterResumingConcurrently: after the first crash is
// settled, the scenarios not yet run go on two at a time again (two of them
// meet, after both crashes), a second, different crash among them is
// charged to its own scenario, the bystanders pass, and the server was
// restarted exactly once per death.
func TestSecondCrashAfterResumingConcurrently(t *testing.T) {
	t.Parallel()
	run, b, m := runTwoBugs(t, newTwoBugs(), twoBugsFeature, Options{Concurrency: 2})
	assert.Equal(t, map[string]results.Outcome{"3": results.Fail, "7": results.Pass,
		"12": results.Fail, "16": results.Pass, "21": results.Pass, "25": results.Pass, "29": results.Pass}, rowsOf(run))
	require.Len(t, run.Crashes, 2)
	for i, where := range []string{"features/chatos/t.feature:3", "features/chatos/t.feature:12"} {
		assert.Equal(t, where, run.Crashes[i].Location)
		assert.Contains(t, run.Crashes[i].Message, "the server crashed during this scenario")
		assert.Contains(t, run.Crashes[i].Message, "; restarted")
	}
	require.Len(t, m.meetings, 1, "the two that meet ran at the same time, once")
	assert.Positive(t, m.meetings[0]["die-a"], "they met after the first crash")
	assert.Positive(t, m.meetings[0]["die-b"], "and after the second")
	starts, deaths := b.count()
	assert.Equal(t, deaths["die-a"]+deaths["die-b"]+1, starts, "one restart per death")
	assert.LessOrEqual(t, deaths["die-a"], 2, "killed at most once more, when rerun alone")
	assert.LessOrEqual(t, deaths["die-b"], 2)
}

// TestCrashAtConcurrencyOneSaysSo: run one at a time, a crash is still
// charged to the scenario that sent the fatal input, and no message says
// scenarios ran at once.
func TestCrashAtConcurrencyOneSaysSo(t *testing.T) {
	t.Parallel()
	run, _, _ := runTwoBugs(t, newTwoBugs(), twoBugsFeature, Options{Concurrency: 1, Tags: "~@meet"})
	assert.Equal(t, map[string]results.Outcome{"3": results.Fail, "7": results.Pass,
		"12": results.Fail, "16": results.Pass, "29": results.Pass}, rowsOf(run))
	require.Len(t, run.Crashes, 2)
	for i, where := range []string{"features/chatos/t.feature:3", "features/chatos/t.feature:12"} {
		assert.Equal(t, where, run.Crashes[i].Location)
		assert.NotContains(t, run.Crashes[i].Message, "at once")
		t.Log(run.Crashes[i].Message)
	}
}

// TestServerThatKeepsDyingEnds: a server that dies right after every
// restart once it first crashed (one at a time, so each death is seen alone)
// halts maxHalts passes, each death between scenarios; the rest runs alone,
// where the first scenario finds it dead, and once it is dead again after the
// next restart chatspec stops restarting it. Only the scenario that sent the
// fatal input FAILs; the rest are not run; restarts and crashes are bounded.
func TestServerThatKeepsDyingEnds(t *testing.T) {
	t.Parallel()
	feature := "Feature: a server that stays dead\n  @COP-2.1-1\n  Scenario: the fatal input\n" +
		"    When a client sends the fatal \"die-a\"\n"
	for i := range 8 {
		feature += fmt.Sprintf("  @COP-2.1-2\n  Scenario: after it %d\n    Then a client is answered \"x\"\n", i)
	}
	b := newTwoBugs()
	run, _, _ := runTwoBugsOn(t, b, feature, Options{Concurrency: 1}, func(in target.Target) target.Target {
		return &dyingRestarts{Target: in, from: 1, upTo: 1 << 30}
	})
	rows := rowsOf(run)
	require.Len(t, rows, 9)
	for line, outcome := range rows {
		want := results.Error
		if line == "3" {
			want = results.Fail
		}
		assert.Equal(t, want, outcome, line)
	}
	starts, deaths := b.count()
	assert.Equal(t, 1, deaths["die-a"], "the fatal input was sent once")
	assert.Equal(t, 1+maxHalts+1, starts, "the first start, one restart per halt, one after the first death between scenarios")
	crashes := crashLines(run)
	require.Len(t, crashes, maxHalts+2, "%q", crashes)
	assert.True(t, strings.HasPrefix(crashes[0], "3: the server crashed during this scenario"), crashes[0])
	for _, c := range crashes[1:maxHalts] {
		assert.True(t, strings.HasPrefix(c, ": the server died between scenarios ("), c)
	}
	assert.Contains(t, crashes[maxHalts], "not charged to any scenario; restarted")
	assert.Contains(t, crashes[maxHalts+1], "it had died right after the previous restart too")
}
