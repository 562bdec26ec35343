package patchat_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chatspec/chatspec/internal/testserver"
	refpat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/steps/mutation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// patchatFaults is every fault switch of the Pat Chat reference that keeps
// the process alive (panic-on-long-room-name kills it: reference/patchat
// tests it), with the rows that must catch it.
var patchatFaults = []mutation.Row{
	{Fault: "history-on-join", Reqs: []string{"PAT-6.3-4"}},
	{Fault: "leak-to-other-room", Reqs: []string{"PAT-1-1"}},
	{Fault: "leaver-still-receives", Reqs: []string{"PAT-6.4-1"}},
	{Fault: "accept-wrong-password", Reqs: []string{"PAT-4.4-2"}},
	{Fault: "duplicate-username", Reqs: []string{"PAT-4.4-4"}},
	{Fault: "silent-drop-over-capacity", Reqs: []string{"PAT-3-6"}},
	{Fault: "unlabelled-duplicates", Reqs: []string{"PAT-1-2"}},
	{Fault: "raw-control-bytes", Reqs: []string{"PAT-R-2"}, Scenario: "Invalid UTF-8"},
	{Fault: "list-all-users", Reqs: []string{"PAT-6.2-1"}},
	{Fault: "vanished-stays-listed", Reqs: []string{"PAT-4.6-2"}},
	{Fault: "accounts-trailing-space", Reqs: []string{"PAT-4.4-1"}},
	{Fault: "exit-command-keeps-socket", Reqs: []string{"PAT-6.5-1"}},
	{Fault: "no-capacity-limit", Reqs: []string{"PAT-3-6"}},
	{Fault: "bare-close-over-capacity", Reqs: []string{"PAT-3-6"}},
	{Fault: "rejoin-listed-twice", Reqs: []string{"PAT-6.2-1"}, Scenario: "joined it again"},
	{Fault: "broadcast-last-room-only", Reqs: []string{"PAT-1-2"}},
	{Fault: "serial-logins", Reqs: []string{"PAT-4.5-1"}, Scenario: "hold up a login"},
	{Fault: "control-bytes-relayed", Reqs: []string{"PAT-R-2"}, Scenario: "otherwise valid UTF-8"},
	{Fault: "exit-on-long-line", Reqs: []string{"PAT-R-1"}},
	{Fault: "accounts-not-saved", Reqs: []string{"PAT-4.4-3"}},
	{Fault: "join-missing-creates", Reqs: []string{"PAT-6.3-3"}, Scenario: "does not exist"},
	{Fault: "create-existing-joins", Reqs: []string{"PAT-6.3-2"}},
	{Fault: "login-outside-main-room", Reqs: []string{"PAT-6.1-1"}},
	{Fault: "list-my-rooms-only", Reqs: []string{"PAT-4.6-1"}},
	{Fault: "exit-command-stays-listed", Reqs: []string{"PAT-6.5-1"}},
	{Fault: "broadcast-skips-current", Reqs: []string{"PAT-1-2"}},
	{Fault: "exit-on-vanish", Reqs: []string{"PAT-4.6-2"}},
	{Fault: "second-login-accepted", Reqs: []string{"PAT-4.4-5"}},
}

// TestSuiteCatchesEveryFault proves the suite can fail: for each fault
// switch of the reference, the scenarios of the requirement it breaks, run
// strictly against the faulty server, give that requirement a FAIL (MUST)
// or WARN (SHOULD) row, on the scenario named in the row. Each fault runs in
// a parallel subtest against its own server. The mutation score is logged.
func TestSuiteCatchesEveryFault(t *testing.T) {
	t.Parallel()
	d := dialect(t, "reference")
	var score mutation.Score
	t.Run("faults", func(t *testing.T) {
		for _, row := range patchatFaults {
			t.Run(row.Fault, func(t *testing.T) {
				t.Parallel()
				faults, err := refpat.ParseFaults(row.Fault)
				require.NoError(t, err)
				// A fault that stops the server runs one scenario at a time, so
				// that the scenario that triggered it is the one that sees it.
				// So does serial-logins: concurrent scenarios' silent clients
				// would block each other's setup (INCONCLUSIVE rows), where
				// alone the scenario's own check sees the login held up.
				concurrency := 8
				if strings.HasPrefix(row.Fault, "exit-on-") || row.Fault == "serial-logins" {
					concurrency = 1
				}
				// The capacity's 100 logins at once must complete before its
				// row judges: on a busy machine under -race, 2 s is too short.
				timeout := 2 * time.Second
				if row.Reqs[0] == "PAT-3-6" {
					timeout = testserver.Wide
				}
				var runs []*results.Run
				for _, req := range row.Reqs {
					r := runTimed(t, referenceTarget(t, refpat.Config{Faults: faults}), d, "@"+req, true, concurrency, timeout)
					require.False(t, r.Passed(), "the suite certified a server with %s", row.Fault)
					runs = append(runs, r)
				}
				c := mutation.Judge(row, runs)
				assert.Empty(t, c.Missed, "fault %s", row.Fault)
				score.Add(row.Fault, c)
			})
		}
	})
	apart := mutation.Apart(refpat.FaultNames(), patchatFaults)
	t.Log(score.Line("patchat", apart))
	assert.Equal(t, []string{"panic-on-long-room-name"}, apart, "every other fault has a row")
	assert.GreaterOrEqual(t, len(patchatFaults), 25, "issue 11 asks for 25 faults")
	for _, f := range refpat.FaultList() {
		if row := rowOf(f.Name); row != nil {
			assert.Equal(t, f.Requirement, row.Reqs[0], "%s: FaultList and the row disagree", f.Name)
		}
	}
}

func rowOf(fault string) *mutation.Row {
	for i := range patchatFaults {
		if patchatFaults[i].Fault == fault {
			return &patchatFaults[i]
		}
	}
	return nil
}
