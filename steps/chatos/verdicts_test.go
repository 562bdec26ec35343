package chatos_test

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chatspec/chatspec/internal/testserver"
	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/chatspec/chatspec/reports"
	"github.com/chatspec/chatspec/results"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// summary is one row as a careful person would write it by hand.
func summary(r results.Result) string {
	return fmt.Sprintf("%s %s %s", strings.Join(r.Reqs, ","), r.Outcome, r.Scenario)
}

// notPassed lists the rows of run that a certified run never has: FAIL,
// WARN, INCONCLUSIVE and ERROR (the reference passes, or notes INFO, or
// skips, every other row).
func notPassed(run *results.Run) []string {
	var out []string
	for _, r := range run.Results {
		if slices.Contains([]results.Outcome{results.Fail, results.Warn, results.Inconclusive, results.Error}, r.Outcome) {
			out = append(out, summary(r))
		}
	}
	sort.Strings(out)
	return out
}

// A server that never forwards 7: the acceptance's own check fails, and
// every scenario that needs a negotiated private connection is blocked,
// naming the negotiation and the requirement that checks it; every other
// row of the whole suite passes as on the reference. The same scenarios
// pass through the proxy when it drops nothing: the dropped 7 blocks them.
func TestNoForwardedAcceptanceBlocksDependentsOnly(t *testing.T) {
	t.Parallel()
	noAccept := misbehaviour{drop: func(p wire.Packet) bool { return p.Opcode() == wire.OpPrivateAccept }}
	dependents := "@COP-2.6-1,@COP-2.6-2,@COP-3.5-4,@COP-3.5-6,@COP-3.5-7,@COP-3.5-8,@COP-3.5-9,@COP-3.5-10,@COP-4-1"
	runs := make([]*results.Run, 2)
	testserver.Together(t, 2, func(i int) string { return []string{"proxy alone", "no 7"}[i] }, func(t *testing.T, i int) {
		runs[i] = runMisbehaving(t, []misbehaviour{{}, noAccept}[i], []string{dependents, ""}[i], wide)
	})
	base, run := runs[0], runs[1]
	assert.Empty(t, notPassed(base), "the proxy alone breaks nothing")
	blocked := []string{
		"COP-2.6-1 INCONCLUSIVE A private connection relays bytes unchanged both ways",
		"COP-2.6-2 INCONCLUSIVE No packet carries a client's address",
		"COP-3.5-10 INCONCLUSIVE Connect ids are not guessable",
		"COP-3.5-4,COP-3.5-5 FAIL An acceptance is forwarded and both sides get the same id",
		"COP-3.5-6 INCONCLUSIVE 11 comes only once both sides presented the id",
		"COP-3.5-7 INCONCLUSIVE Each negotiation gets a fresh id",
		"COP-3.5-8 INCONCLUSIVE An id that was never issued is not bridged while a negotiation waits for its second half",
		"COP-3.5-9 INCONCLUSIVE A spent id on a third connection is not bridged while a negotiation waits for its second half",
		"COP-3.5-9 INCONCLUSIVE More connections on an id in use are not bridged",
		"COP-4-1 INCONCLUSIVE A departing client's nickname is released and its bridges closed",
	}
	assert.Equal(t, blocked, notPassed(run))
	for _, r := range run.Results {
		if r.Outcome == results.Inconclusive {
			assert.True(t, strings.HasPrefix(r.Message, "blocked: the private connection could not be negotiated, see COP-3.5-4: "), r.Message)
		}
	}
	assert.False(t, run.Passed())
}

// The scenario whose requirement is the login itself fails when the login
// fails; the scenarios that only need a login are blocked.
func TestRefusedLoginFailsItsOwnCheckOnly(t *testing.T) {
	t.Parallel()
	run := runMisbehaving(t, misbehaviour{drop: func(p wire.Packet) bool { return p.Opcode() == wire.OpLogin }},
		"@COP-3.4-1,@COP-2.2-1,@COP-3.7-1,@COP-2.1-3", short)
	var got []string
	for _, r := range run.Results {
		got = append(got, summary(r))
	}
	slices.Sort(got)
	assert.Equal(t, []string{
		"COP-2.1-3 WARN Nicknames that are empty or contain spaces or control characters are refused (nickname: a nickname containing a control character)",
		"COP-2.1-3 WARN Nicknames that are empty or contain spaces or control characters are refused (nickname: a nickname containing a space)",
		"COP-2.1-3 WARN Nicknames that are empty or contain spaces or control characters are refused (nickname: an empty nickname)",
		"COP-2.2-1 INCONCLUSIVE A nickname alone logs a client in",
		"COP-3.4-1 FAIL A free valid nickname is accepted with 1 carrying it",
		"COP-3.7-1 INCONCLUSIVE A private message reaches its recipient with sender and text intact",
	}, got)
}

// A server that takes each read as one frame fails the framing scenarios
// (COP-3.1-2) and nothing else: every other scenario writes one packet and
// waits for its effect before the next. (A frame written one byte per write
// may still reach a busy server in one read, so that row may pass; the
// flood of COP-R-4 writes 16000 frames back to back, which a busy machine
// coalesces into one read, so that row may fail; the 200-client crowd of
// COP-R-5 is left out, as it measures load.)
func TestOneFramePerReadFailsFramingOnly(t *testing.T) {
	t.Parallel()
	run := runMisbehaving(t, misbehaviour{oneFramePerRead: true}, "~@COP-R-5", wide)
	var bad []string
	for _, r := range run.Results {
		if r.Outcome != results.Pass && r.Outcome != results.Info && r.Outcome != results.Skipped &&
			r.Scenario != "Frames split at every byte boundary are understood" &&
			r.Scenario != "A client that stops reading does not delay others" {
			bad = append(bad, summary(r)+": "+r.Message)
		}
	}
	slices.Sort(bad)
	require.Len(t, bad, 1, "only the coalesced frames fail")
	assert.True(t, strings.HasPrefix(bad[0], "COP-3.1-2 FAIL Several frames in one segment are all understood"), bad[0])
}

// A correct server that reads the whole 64 KiB nickname and refuses it with
// a 2 carrying it passes: chatspec's own limits never fail a server.
func TestLongNicknameRefusedWithItPasses(t *testing.T) {
	t.Parallel()
	cfg := refchatos.DefaultConfig()
	cfg.MaxString = 128 << 10
	run := runAgainst(t, cfg, "@COP-2.1-2")
	require.NotEmpty(t, run.Results)
	for _, r := range run.Results {
		assert.Equal(t, results.Pass, r.Outcome, "%s: %s", r.Scenario, r.Message)
	}
}

// A failure lists the scenario's own traffic and counts the rest: other
// scenarios' public messages (here the probes of "the server still serves
// other clients") reach every client, and must not read like this
// scenario's bug.
func TestFailureShowsOwnTrafficAndCountsTheRest(t *testing.T) {
	t.Parallel()
	dropAlice := func(p wire.Packet) bool {
		pm, ok := p.(wire.PublicMessage)
		return ok && strings.HasPrefix(pm.From, "alice_")
	}
	run := runMisbehaving(t, misbehaviour{drop: dropAlice}, "@COP-3.6-1,@COP-2.5-1,@COP-2.2-1,@COP-2.3-2,@COP-R-2,@COP-3.3-1,@COP-R-1,@COP-2.1-2", short)
	counted := false
	id := regexp.MustCompile(`alice_([a-z]{6})`)
	for _, r := range run.Results {
		if r.Outcome != results.Fail || r.Check == nil {
			continue
		}
		t.Logf("%s: actual: %s", r.Scenario, r.Check.Actual)
		m := id.FindStringSubmatch(strings.Join(r.Check.Expected, " "))
		require.NotNil(t, m, "%s: %v", r.Scenario, r.Check.Expected)
		for _, item := range strings.Split(r.Check.Actual, "; ") {
			if item == "nothing" {
				continue
			}
			if regexp.MustCompile(`^and \d+ unrelated frames$`).MatchString(item) {
				counted = true
				continue
			}
			assert.Contains(t, item, m[1], "%s lists another scenario's frame", r.Scenario)
		}
	}
	assert.True(t, counted, "some failure counted the other scenarios' frames")
}

// A server that accepts a 64 KiB nickname fails COP-2.1-2, and every output
// of that row is bounded, stating the nickname's full length.
func TestHugeNicknameIsBoundedInEveryOutput(t *testing.T) {
	t.Parallel()
	cfg := refchatos.DefaultConfig()
	cfg.MaxString, cfg.MaxNick = 128<<10, 128<<10
	run := runAgainst(t, cfg, "@COP-2.1-2")
	var sb strings.Builder
	require.NoError(t, reports.Console(&sb, []*results.Run{run}, reports.ConsoleOptions{}))
	var js strings.Builder
	require.NoError(t, reports.JSON(&js, []*results.Run{run}))
	var junit strings.Builder
	require.NoError(t, reports.JUnit(&junit, []*results.Run{run}))
	for name, out := range map[string]string{"console": sb.String(), "json": js.String(), "junit": junit.String()} {
		assert.Contains(t, out, "… (65536 bytes)", name)
		assert.NotContains(t, out, strings.Repeat("n", 200), name)
		assert.Less(t, len(out), 64<<10, name)
	}
	fails := 0
	for _, r := range run.Results {
		if r.Outcome == results.Fail {
			fails++
		}
	}
	assert.Equal(t, 2, fails, "both nicknames over the profile's 32 bytes are accepted")
}
