package chatos_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/chatspec/chatspec/results"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// faultRow is one reference fault and the rows that must catch it: reqs[0]
// is the requirement the fault breaks; the others also fail (or warn, for a
// SHOULD). scenario, when set, is part of the name of the scenario of
// reqs[0] that must be the one to catch it.
type faultRow struct {
	fault    string
	reqs     []string
	scenario string
}

// chatosFaults is every fault switch of the ChatOS reference that keeps the
// process alive (panic-on-empty-recipient kills it: reference/chatos tests it).
var chatosFaults = []faultRow{
	{"duplicate-nick", []string{"COP-2.1-1"}, ""},
	{"sender-from-packet", []string{"COP-2.3-1"}, ""},
	{"no-unknown-user", []string{"COP-3.7-2", "COP-3.5-2"}, ""},
	{"private-to-all", []string{"COP-2.4-1"}, ""},
	{"one-read-one-frame", []string{"COP-3.1-2"}, ""},
	{"early-established", []string{"COP-3.5-6"}, ""},
	{"sequential-ids", []string{"COP-3.5-10"}, ""},
	{"bridge-alters-bytes", []string{"COP-2.6-1"}, ""},
	{"long-message-delivered", []string{"COP-2.3-2"}, "513 characters"},
	{"no-close-before-login", []string{"COP-5-1"}, ""},
	{"reusable-ids", []string{"COP-3.5-9"}, "More connections"},
	{"refusal-wrong-nick", []string{"COP-3.4-2"}, ""},
	{"exit-on-unknown-opcode", []string{"COP-3.3-1"}, "does not disturb"},
	{"exit-on-unknown-id", []string{"COP-3.5-8"}, "while a negotiation waits"},
	{"exit-on-long-string", []string{"COP-R-1"}, "2 GiB"},
	{"exit-on-half-frame", []string{"COP-R-2"}, ""},
	{"ids-from-zero", []string{"COP-3.5-10"}, ""},
	{"accept-not-forwarded", []string{"COP-3.5-4"}, ""},
	{"refusal-not-forwarded", []string{"COP-3.5-3"}, ""},
	{"id-to-requester-only", []string{"COP-3.5-5"}, ""},
	{"unknown-id-joins-waiting", []string{"COP-3.5-8"}, "while a negotiation waits"},
	{"spent-id-joins-waiting", []string{"COP-3.5-9"}, "while a negotiation waits"},
	{"partial-frame-blocks-all", []string{"COP-R-4"}, "holding half a frame"},
	{"blocking-writes", []string{"COP-R-4"}, "stops reading"},
	{"truncate-long-message", []string{"COP-2.3-2"}, "not even cut short"},
	{"opcode-12-extension", []string{"COP-3.3-1"}, "(12) closes"},
	{"ignore-unknown-opcode", []string{"COP-3.3-1"}, "closes that connection"},
	{"nick-not-released", []string{"COP-4-1", "COP-3.4-3"}, ""},
	{"bridge-outlives-peer", []string{"COP-4-1"}, ""},
	{"public-to-anonymous", []string{"COP-2.5-1"}, ""},
}

// caught is what the mutation score needs to know about one fault's run.
type caught struct {
	own, other bool // its own requirement's row caught it; another row did
}

// TestSuiteCatchesEveryFault proves the suite can fail: each fault switch of
// the reference server is a realistic bug, and the suite must fail (or warn,
// for a SHOULD) on the requirement that bug breaks, on its own row. Each
// fault runs in a parallel subtest against its own server. The mutation
// score (faults caught by their own requirement's row / faults) is logged.
func TestSuiteCatchesEveryFault(t *testing.T) {
	var mu sync.Mutex
	score := map[string]caught{}
	t.Run("faults", func(t *testing.T) {
		for _, row := range chatosFaults {
			t.Run(row.fault, func(t *testing.T) {
				t.Parallel()
				c := checkFault(t, row)
				mu.Lock()
				score[row.fault] = c
				mu.Unlock()
			})
		}
	})
	var apart []string
	for _, name := range refchatos.FaultNames() {
		if !slices.ContainsFunc(chatosFaults, func(r faultRow) bool { return r.fault == name }) {
			apart = append(apart, name)
		}
	}
	t.Log(mutationScore("chatos", score, apart))
	assert.Equal(t, []string{"panic-on-empty-recipient"}, apart, "every other fault has a row")
	assert.GreaterOrEqual(t, len(chatosFaults), 25, "issue 11 asks for 25 faults")
}

// checkFault runs the scenarios of the row's requirements against the
// reference with the fault on and asserts each requirement is caught.
func checkFault(t *testing.T, row faultRow) caught {
	cfg := refchatos.DefaultConfig()
	f, err := refchatos.ParseFaults(row.fault)
	require.NoError(t, err)
	cfg.Faults = f
	var c caught
	for i, req := range row.reqs {
		// A fault that stops the server runs one scenario at a time, so
		// that the scenario that triggered it is the one that sees it.
		concurrency := 8
		if strings.HasPrefix(row.fault, "exit-") {
			concurrency = 1
		}
		run := runWith(t, cfg, "@"+req, concurrency)
		require.NotEmpty(t, run.Results)
		var rows []string
		hit := false
		for _, r := range run.Results {
			if slices.Contains(r.Reqs, req) {
				rows = append(rows, fmt.Sprintf("%s %q: %s", r.Outcome, r.Scenario, firstLine(r.Message)))
				caughtHere := r.Outcome == results.Fail || r.Outcome == results.Warn
				hit = hit || caughtHere && (i > 0 || strings.Contains(r.Scenario, row.scenario))
			}
		}
		assert.True(t, hit, "fault %s should make %s FAIL or WARN (scenario %q); rows:\n%s",
			row.fault, req, row.scenario, strings.Join(rows, "\n"))
		if i == 0 {
			c.own = hit
		} else {
			c.other = c.other || hit
		}
	}
	return c
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// mutationScore is the line the README quotes: faults caught by their own
// requirement's row out of all faults, and those caught only through another.
func mutationScore(protocol string, score map[string]caught, apart []string) string {
	own, onlyOther := 0, []string{}
	for name, c := range score {
		switch {
		case c.own:
			own++
		case c.other:
			onlyOther = append(onlyOther, name)
		}
	}
	slices.Sort(onlyOther)
	return fmt.Sprintf("mutation score %s: %d/%d faults caught by their own requirement's row; "+
		"caught only through another row: %v; tested apart (they kill the process): %v",
		protocol, own, len(score), onlyOther, apart)
}
