package steps

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/target"
)

// dyingRestarts is a target whose server dies right after some of its
// restarts, before chatspec starts the next scenario: as a server killed by
// whatever connects first after it starts (a probe, a stray client) would.
type dyingRestarts struct {
	target.Target
	from, upTo int // restarts (counted from 1) after which the server dies
	mu         sync.Mutex
	restarts   int
}

func (d *dyingRestarts) Restart(ctx context.Context) error {
	if err := d.Target.Restart(ctx); err != nil {
		return err
	}
	d.mu.Lock()
	d.restarts++
	n := d.restarts
	d.mu.Unlock()
	if n < d.from || n > d.upTo {
		return nil
	}
	c, err := net.DialTimeout("tcp", d.Addr(), 2*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := fmt.Fprintf(c, "die-after-restart-%d\n", n); err != nil {
		return err
	}
	// The in-process server's end is recorded by its own goroutine: wait for
	// it (bounded), so the death is before the next scenario begins.
	deadline := time.Now().Add(5 * time.Second)
	for d.ExitedAt().IsZero() {
		if time.Now().After(deadline) {
			return fmt.Errorf("the server did not die after restart %d", n)
		}
		time.Sleep(time.Millisecond) // in-process state, not the network
	}
	return nil
}

// crashLines is each crash's place ("" when charged to none) and message.
func crashLines(run *results.Run) []string {
	var out []string
	for _, c := range run.Crashes {
		out = append(out, strings.TrimPrefix(c.Location, "features/chatos/t.feature:")+": "+c.Message)
	}
	return out
}

// bystanderFeature: the fatal input (line 3) goes only once its bystander
// (line 8) runs, so both are in flight when the server dies, whatever the
// machine's speed; then one more scenario (line 14).
const bystanderFeature = `Feature: a crash with a bystander
  @COP-2.1-1
  Scenario: the fatal input
    Given the bystander is running
    When a client sends the fatal "die-a"

  @COP-2.1-2
  Scenario: a bystander of the crash
    Given the fatal input may go
    And the server has died of "die-a"
    Then a client is answered "one"

  @COP-2.4-1
  Scenario: a last one
    Then a client is answered "three"
`

// TestDeathBeforeARerunBeganIsChargedToNone: the crash's two suspects
// (lines 3 and 8) are rerun alone; line 3 kills the server again, and the
// server then dies right after that restart, before line 8's rerun begins.
// Line 8 is not charged with that death: it is recorded between scenarios,
// the server is restarted, and line 8 runs once more and passes.
func TestDeathBeforeARerunBeganIsChargedToNone(t *testing.T) {
	t.Parallel()
	b := newTwoBugs()
	run, _, _ := runTwoBugsOn(t, b, bystanderFeature, Options{Concurrency: 2}, func(in target.Target) target.Target {
		return &dyingRestarts{Target: in, from: 2, upTo: 2}
	})
	assert.Equal(t, map[string]results.Outcome{"3": results.Fail, "8": results.Pass, "14": results.Pass}, rowsOf(run))
	crashes := crashLines(run)
	require.Len(t, crashes, 2, "%q", crashes)
	assert.True(t, strings.HasPrefix(crashes[0], "3: the server crashed during this scenario"), crashes[0])
	assert.Contains(t, crashes[0], "killed it again when rerun alone")
	assert.True(t, strings.HasPrefix(crashes[1], `: the server died between scenarios, `), crashes[1])
	assert.Contains(t, crashes[1], `before "a bystander of the crash" began`)
	assert.Contains(t, crashes[1], "not charged to any scenario; restarted")
	starts, _ := b.count()
	assert.Equal(t, 4, starts, "the first start and three restarts: after the halt, after line 3's rerun, after the death between scenarios")
}

// TestServerDeadAfterEveryRestartIsNotRestartedForEver: when the server is
// dead again after the restart that followed a death between scenarios, it
// dies of restarting: chatspec stops restarting it, the crash says so, and
// the scenarios left are not run (ERROR), none charged with a crash.
func TestServerDeadAfterEveryRestartIsNotRestartedForEver(t *testing.T) {
	t.Parallel()
	b := newTwoBugs()
	run, _, _ := runTwoBugsOn(t, b, bystanderFeature, Options{Concurrency: 2}, func(in target.Target) target.Target {
		return &dyingRestarts{Target: in, from: 2, upTo: 1 << 30}
	})
	assert.Equal(t, map[string]results.Outcome{"3": results.Fail, "8": results.Error, "14": results.Error}, rowsOf(run))
	for _, r := range run.Results {
		if r.Outcome == results.Error {
			assert.Contains(t, r.Message, "not run: the server stopped answering during a pause between scenarios", r.Location)
		}
	}
	crashes := crashLines(run)
	require.Len(t, crashes, 3, "%q", crashes)
	assert.True(t, strings.HasPrefix(crashes[0], "3: the server crashed during this scenario"), crashes[0])
	assert.Contains(t, crashes[1], "not charged to any scenario; restarted")
	assert.Contains(t, crashes[2], "not charged to any scenario; it had died right after the previous restart too")
	starts, _ := b.count()
	assert.Equal(t, 4, starts, "the first start and three restarts: after the halt, after line 3's rerun, after the first death between scenarios")
}
