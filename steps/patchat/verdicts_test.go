package patchat_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
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
// and PAT-6.3-3.
func TestRefusedJoinBlocksScenariosThatNeedOne(t *testing.T) {
	t.Parallel()
	d := dialect(t, "reference")
	runs := make([]*results.Run, 2)
	testserver.Together(t, 2, func(i int) string { return []string{"proxy", "refusing joins"}[i] }, func(t *testing.T, i int) {
		runs[i] = runPatient(t, refusingJoins(t, i == 1), d)
	})
	base, got := runs[0], runs[1]
	was := map[string]results.Outcome{}
	for _, r := range base.Results {
		require.NotEqual(t, results.Fail, r.Outcome, "the proxy alone breaks nothing: %s %s", r.Scenario, r.Message)
		was[r.Location] = r.Outcome
	}
	var changed []string
	for _, r := range got.Results {
		if was[r.Location] != r.Outcome {
			changed = append(changed, fmt.Sprintf("%s %s", strings.Join(r.Reqs, ","), r.Outcome))
			if r.Outcome == results.Inconclusive {
				assert.Contains(t, r.Message, "see PAT-6.3-3: ", r.Scenario)
				assert.True(t, strings.HasPrefix(r.Message, "blocked: "), r.Message)
			}
		}
	}
	sort.Strings(changed)
	assert.Equal(t, []string{
		"PAT-1-1 INCONCLUSIVE", "PAT-1-2 INCONCLUSIVE", "PAT-1-3 INCONCLUSIVE",
		"PAT-3-2 INCONCLUSIVE", "PAT-3-3 INCONCLUSIVE",
		"PAT-4.5-1 INCONCLUSIVE", "PAT-4.5-1 INCONCLUSIVE", "PAT-4.6-2 INCONCLUSIVE",
		"PAT-6.1-2 INCONCLUSIVE", "PAT-6.2-1 INCONCLUSIVE", "PAT-6.2-1 INCONCLUSIVE",
		"PAT-6.3-1 INCONCLUSIVE", "PAT-6.3-3 FAIL", "PAT-6.3-4 INCONCLUSIVE",
		"PAT-6.4-1 INCONCLUSIVE", "PAT-6.5-1 INCONCLUSIVE", "PAT-R-2 INCONCLUSIVE", "PAT-R-2 INCONCLUSIVE",
	}, changed)
}

// runPatient runs the whole suite with a long timeout: these runs compare
// whole suites row by row, and must not flake on a busy machine. The proxy
// refuses joins at once: no row waits the timeout out, so it costs nothing.
func runPatient(t *testing.T, tg target.Target, d *wire.Dialect) *results.Run {
	t.Helper()
	env := &steps.Env{Target: tg, Profile: profile.Default(), Timeout: 10 * time.Second,
		Quiet: 250 * time.Millisecond, Dialect: d.Name, Extra: d}
	r, err := steps.Run(context.Background(), patchat.Suite(steps.Suite{Features: features.PatChat()}), env,
		steps.Options{Concurrency: 8})
	require.NoError(t, err)
	return r
}
