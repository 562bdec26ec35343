package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/chatspec/chatspec/results"
	"github.com/stretchr/testify/require"
)

// suiteRun is what one `chatspec run` printed and the rows its
// results.json holds.
type suiteRun struct {
	code      int
	out, errs string
	rows      []string // "location outcome" per scenario, sorted (see readRows)
	crashes   []results.Crash
	err       error // results.json could not be read
}

// readRows reads dir/results.json: "location outcome" per scenario's
// result, sorted, and the crashes.
func readRows(dir string) ([]string, []results.Crash, error) {
	data, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		return nil, nil, err
	}
	var doc struct {
		Runs []results.Run `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, err
	}
	if len(doc.Runs) != 1 {
		return nil, nil, fmt.Errorf("%s: %d runs, want 1", dir, len(doc.Runs))
	}
	var rows []string
	for _, r := range doc.Runs[0].Results {
		if r.Location == "" { // a run-wide history row: present whenever some delivery was judged
			continue
		}
		rows = append(rows, r.Location+" "+string(r.Outcome))
	}
	sort.Strings(rows)
	return rows, doc.Runs[0].Crashes, nil
}

// jsonRows is readRows for a test that stops at an unreadable report.
func jsonRows(t *testing.T, dir string) ([]string, []results.Crash) {
	t.Helper()
	rows, crashes, err := readRows(dir)
	require.NoError(t, err)
	return rows, crashes
}

// runIn runs `chatspec run chatos --exec SERVER --color never --report DIR
// extra...`; it touches no testing.T, so it may run on any goroutine.
func runIn(dir, server string, extra ...string) suiteRun {
	args := append([]string{"run", "chatos", "--exec", server, "--color", "never", "--report", dir}, extra...)
	var r suiteRun
	r.code, r.out, r.errs = runCLI(dispatch, args...)
	r.rows, r.crashes, r.err = readRows(dir)
	return r
}

// helperServer is the --exec command starting this test binary as the
// helper server `name mode ADDR` (see the inits of attribution_test.go).
func helperServer(t *testing.T, name, mode string) string {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	return exe + " " + name + " " + mode + " {addr}"
}

// runChatOS prepares a ChatOS run against this binary as helper server
// name in mode, with extra flags, to be started later (see concurrently).
func runChatOS(t *testing.T, name, mode string, extra ...string) func() suiteRun {
	t.Helper()
	server, dir := helperServer(t, name, mode), t.TempDir()
	return func() suiteRun { return runIn(dir, server, extra...) }
}

// concurrently runs a and b at once: two runs against two server processes
// share nothing but the machine, and they spend most of their time waiting.
func concurrently(a, b func() suiteRun) (suiteRun, suiteRun) {
	var ra, rb suiteRun
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); ra = a() }()
	go func() { defer wg.Done(); rb = b() }()
	wg.Wait()
	return ra, rb
}

// requireRows stops the test unless every run ran the suite and wrote its rows.
func requireRows(t *testing.T, runs ...suiteRun) {
	t.Helper()
	for _, r := range runs {
		require.NotEqual(t, 2, r.code, "stderr: %s\n%s", r.errs, r.out)
		require.NoError(t, r.err, "stderr: %s\n%s", r.errs, r.out)
	}
}

// healthyFull is one whole-suite run against this binary as the ChatOS
// reference with no bug (`dies-silent healthy`), made once for every test
// that compares a broken server's rows with it.
var healthyFull struct {
	once sync.Once
	run  suiteRun
}

// againstBoth runs broken (a whole-suite run, default flags) at the same
// time as the shared healthy run and returns both, stopping the test
// unless both wrote their rows.
func againstBoth(t *testing.T, broken func() suiteRun) (suiteRun, suiteRun) {
	t.Helper()
	server := helperServer(t, "dies-silent", "healthy")
	b, h := concurrently(broken, func() suiteRun {
		healthyFull.once.Do(func() {
			dir, err := os.MkdirTemp("", "chatspec-healthy-")
			if err != nil {
				healthyFull.run.err = err
				return
			}
			defer os.RemoveAll(dir)
			healthyFull.run = runIn(dir, server)
		})
		return healthyFull.run
	})
	requireRows(t, b, h)
	return b, h
}
