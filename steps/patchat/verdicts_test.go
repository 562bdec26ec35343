package patchat_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chatspec/chatspec/features"
	"github.com/chatspec/chatspec/internal/testserver"
	"github.com/chatspec/chatspec/profile"
	refpat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/steps"
	"github.com/chatspec/chatspec/steps/patchat"
	"github.com/chatspec/chatspec/target"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// refusingJoins is a Pat Chat server that refuses every join: the
// reference behind a line proxy that answers "j ROOM" itself with an error.
func refusingJoins(t *testing.T, refuse bool) target.Target {
	t.Helper()
	cfg := refpat.Config{HashCost: bcrypt.MinCost, AccountsFile: filepath.Join(t.TempDir(), "accounts.txt")}
	tg, err := target.InProcess(context.Background(), func(ctx context.Context, ln net.Listener) error {
		inner, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		go func() { _ = refpat.Serve(ctx, inner, cfg) }()
		go func() { <-ctx.Done(); _ = ln.Close() }()
		var wg sync.WaitGroup
		defer wg.Wait()
		for {
			c, err := ln.Accept()
			if err != nil {
				return nil
			}
			up, err := net.Dial("tcp", inner.Addr().String())
			if err != nil {
				_ = c.Close()
				continue
			}
			wg.Add(2)
			go func() { defer wg.Done(); _, _ = io.Copy(c, up); _ = c.Close() }()
			go func() { defer wg.Done(); pumpLines(c, up, refuse); _ = up.Close() }()
		}
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	return tg
}

// pumpLines passes the client's lines on, answering joins itself when refuse.
func pumpLines(c, up net.Conn, refuse bool) {
	rd := bufio.NewReader(c)
	for {
		line, err := rd.ReadString('\n')
		if refuse && strings.HasPrefix(line, "j ") {
			_, _ = io.WriteString(c, "ERR joins are broken here\n")
		} else if _, werr := io.WriteString(up, line); werr != nil {
			return
		}
		if err != nil {
			return
		}
	}
}

// A server that refuses joins: the join's own scenario fails, and every
// scenario that only needs someone in a room is blocked, naming the join
// and PAT-6.3-3; every other row of the whole suite is as on the reference.
// The same scenarios pass through the proxy when it refuses nothing.
func TestRefusedJoinBlocksScenariosThatNeedOne(t *testing.T) {
	t.Parallel()
	d := dialect(t, "reference")
	dependents := "@PAT-1-1,@PAT-1-2,@PAT-1-3,@PAT-3-2,@PAT-3-3,@PAT-4.5-1,@PAT-4.6-2,@PAT-6.1-2,@PAT-6.2-1," +
		"@PAT-6.3-1,@PAT-6.3-3,@PAT-6.3-4,@PAT-6.4-1,@PAT-6.5-1,@PAT-R-2"
	runs := make([]*results.Run, 2)
	testserver.Together(t, 2, func(i int) string { return []string{"proxy alone", "refusing joins"}[i] }, func(t *testing.T, i int) {
		runs[i] = runPatient(t, refusingJoins(t, i == 1), d, []string{dependents, ""}[i])
	})
	base, got := runs[0], runs[1]
	assert.Empty(t, notPassed(base), "the proxy alone breaks nothing")
	for _, r := range got.Results {
		if r.Outcome == results.Inconclusive {
			assert.Contains(t, r.Message, "see PAT-6.3-3: ", r.Scenario)
			assert.True(t, strings.HasPrefix(r.Message, "blocked: "), r.Message)
		}
	}
	assert.Equal(t, []string{
		"PAT-1-1 INCONCLUSIVE", "PAT-1-2 INCONCLUSIVE", "PAT-1-3 INCONCLUSIVE",
		"PAT-3-2 INCONCLUSIVE", "PAT-3-3 INCONCLUSIVE",
		"PAT-4.5-1 INCONCLUSIVE", "PAT-4.5-1 INCONCLUSIVE", "PAT-4.6-2 INCONCLUSIVE",
		"PAT-6.1-2 INCONCLUSIVE", "PAT-6.2-1 INCONCLUSIVE", "PAT-6.2-1 INCONCLUSIVE",
		"PAT-6.3-1 INCONCLUSIVE", "PAT-6.3-3 FAIL", "PAT-6.3-4 INCONCLUSIVE",
		"PAT-6.4-1 INCONCLUSIVE", "PAT-6.5-1 INCONCLUSIVE", "PAT-R-2 INCONCLUSIVE", "PAT-R-2 INCONCLUSIVE",
	}, notPassed(got))
}

// notPassed lists the rows of r that a certified run never has (FAIL,
// WARN, INCONCLUSIVE, ERROR) as "requirements outcome".
func notPassed(r *results.Run) []string {
	var out []string
	for _, res := range r.Results {
		if slices.Contains([]results.Outcome{results.Fail, results.Warn, results.Inconclusive, results.Error}, res.Outcome) {
			out = append(out, fmt.Sprintf("%s %s", strings.Join(res.Reqs, ","), res.Outcome))
		}
	}
	sort.Strings(out)
	return out
}

// runPatient runs the scenarios tags select (all for "") with a long timeout: these runs compare
// whole suites row by row, and must not flake on a busy machine. The proxy
// refuses joins at once: no row waits the timeout out, so it costs nothing.
func runPatient(t *testing.T, tg target.Target, d *wire.Dialect, tags string) *results.Run {
	t.Helper()
	env := &steps.Env{Target: tg, Profile: profile.Default(), Timeout: 10 * time.Second,
		Quiet: 250 * time.Millisecond, Dialect: d.Name, Extra: d}
	r, err := steps.Run(context.Background(), patchat.Suite(steps.Suite{Features: features.PatChat()}), env,
		steps.Options{Tags: tags, Concurrency: 8})
	require.NoError(t, err)
	return r
}
