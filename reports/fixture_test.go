package reports

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// fixedStart is the injected clock of every fixture run.
var fixedStart = time.Date(2025, 11, 25, 20, 53, 0, 0, time.UTC)

// chatosRun is a failing ChatOS run with one result of each outcome.
func chatosRun() *results.Run {
	return &results.Run{
		Tool: "chatspec 0.1.0", Protocol: "chatos", Target: "127.0.0.1:7777", Mode: results.ModeExec,
		Started: fixedStart, Duration: 3250 * time.Millisecond,
		Results: []results.Result{
			{Protocol: "chatos", Reqs: []string{"COP-3.5-6", "COP-3.5-7"}, Level: "MUST", Section: "3.5",
				Feature: "Private connections", Scenario: "Both sides get 11",
				Location: "features/chatos/3_5_private.feature:12", Outcome: results.Fail, Duration: 2012 * time.Millisecond,
				Message:  "the second connection got no 11",
				Check:    &results.Check{Expected: []string{"0b (private connection established)"}, Actual: "(nothing before the deadline)"},
				TimedOut: true, Wait: 2 * time.Second,
				Transcript: "c1 -> 0a 00 00 00 00 00 00 00 2a  |..........*|\nc2 -> 0a 00 00 00 00 00 00 00 2a  |..........*|\n"},
			{Protocol: "chatos", Reqs: []string{"COP-2.1-1"}, Level: "MUST", Section: "2.1",
				Scenario: "A taken nickname is refused", Location: "features/chatos/2_1_nicknames.feature:5",
				Outcome: results.Pass, Duration: 4 * time.Millisecond},
			{Protocol: "chatos", Reqs: []string{"COP-3.5-10"}, Level: "SHOULD", Section: "3.5",
				Scenario: "Ids are not sequential | small", Location: "features/chatos/3_5_private.feature:40",
				Outcome: results.Warn, Duration: 30 * time.Millisecond, Message: "ids 1 then 2",
				Check: &results.Check{Expected: []string{"an id > 2^32", "two ids more than 1000 apart"}, Actual: "1, 2"}},
			{Protocol: "chatos", Reqs: []string{"COP-3.6-2"}, Level: "INFO", Section: "3.6",
				Scenario: "Does the sender get its own public message", Location: "features/chatos/3_6_public.feature:20",
				Outcome: results.Info, Duration: 15 * time.Millisecond, Notes: []string{"sender receives own public message: yes"}},
			{Protocol: "chatos", Reqs: []string{"COP-R-1"}, Level: "MUST", Section: "R",
				Scenario: "A negative length closes the connection", Location: "features/chatos/r_robustness.feature:8",
				Outcome: results.Error, Duration: 1 * time.Millisecond, Message: "target gone: connection refused",
				Transcript: "c1 -> 00 ff ff ff ff\nc1 <- \x1b[31mEOF\x00\n"},
			{Protocol: "chatos", Reqs: []string{"COP-2.1-3"}, Level: "SHOULD", Section: "2.1",
				Scenario: "Spaces in nicknames", Location: "features/chatos/2_1_nicknames.feature:30",
				Outcome: results.Warn, Known: true, Duration: 3 * time.Millisecond, Message: "\"a b\" accepted"},
			{Protocol: "chatos", Reqs: []string{"COP-5-2"}, Level: "MUST", Section: "5",
				Scenario: "An idle client is disconnected", Location: "features/chatos/5_errors.feature:14",
				Outcome: results.Skipped, Message: "needs a 300s wait: run with --long"},
			{Protocol: "chatos", Reqs: []string{"COP-4-2"}, Level: "INFO", Section: "4",
				Outcome: results.Untestable, Message: results.ReasonNoScenario},
			{Protocol: "chatos", Reqs: []string{"COP-3.5-9"}, Level: "MUST", Section: "3.5",
				Scenario: "A third connection is not bridged", Location: "features/chatos/3_5_private.feature:40",
				Outcome: results.Inconclusive, Duration: 2 * time.Second,
				Message: "blocked: the private connection could not be negotiated, see COP-3.5-4: did not receive PRIVATE_ACCEPT(7)"},
		},
		TargetLog: "listening on 127.0.0.1:7777\npanic: runtime error: index out of range\n",
		Crashes: []results.Crash{{Scenario: "A negative length closes the connection", Location: "features/chatos/r_robustness.feature:8",
			Reqs: []string{"COP-R-2"}, Status: "exit status 2", Message: "the server crashed during this scenario: its process ended: exit status 2; restarted"}},
	}
}

// patchatRun is a certified Pat Chat run.
func patchatRun() *results.Run {
	return &results.Run{
		Tool: "chatspec 0.1.0", Protocol: "patchat", Target: "reference", Mode: results.ModeReference,
		Started: fixedStart.Add(4 * time.Second), Duration: 1500 * time.Millisecond,
		Results: []results.Result{
			{Protocol: "patchat", Reqs: []string{"PAT-1-1"}, Level: "MUST", Section: "1",
				Scenario: "A room message reaches the room", Location: "features/patchat/1_rooms.feature:6",
				Outcome: results.Pass, Duration: 20 * time.Millisecond},
			{Protocol: "patchat", Reqs: []string{"PAT-7-1"}, Level: "INFO", Section: "7",
				Outcome: results.Untestable, Message: "password storage lives on the server's disk"},
		},
	}
}

func fixtureRuns() []*results.Run { return []*results.Run{chatosRun(), patchatRun()} }

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./reports -update to create %s", path)
	if !bytes.Equal(want, got) {
		require.Equal(t, string(want), string(got), "%s differs (go test ./reports -update rewrites it)", path)
	}
}
