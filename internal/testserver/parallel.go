// Package testserver holds what the tests of several packages share to run
// servers under test: how many such tests run at once, and the test binary
// re-executed as a server that may crash. Only tests import it.
package testserver

import (
	"flag"
	"os"
	"strconv"
	"testing"
	"time"
)

// Waiting is how many parallel tests run at once in a package whose tests
// spend their time waiting for a server's replies and for timeouts that
// prove a reply never comes, not on the CPU.
const Waiting = 8

// Main is the TestMain of such a package: it runs the tests with up to
// Waiting parallel tests at once unless -parallel was given or the race
// detector is on. go test's default is GOMAXPROCS, two on a 2-core
// machine, which runs them two at a time one timeout after another.
func Main(m *testing.M) {
	if !Raced {
		RaiseParallel(Waiting)
	}
	os.Exit(m.Run())
}

// Wide is the timeout of a run whose rows must still pass on a busy
// machine: Patience times the usual 2 s.
const Wide = Patience * 2 * time.Second

// RaiseParallel sets -test.parallel to n unless the command line set it, for
// a TestMain that has more to do before m.Run.
func RaiseParallel(n int) {
	if !flag.Parsed() {
		flag.Parse()
	}
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", strconv.Itoa(n))
	}
}

// Together runs fn(t, i) for i in [0, n) as parallel subtests named by
// name(i), and returns once all have ended, failing t now if one failed: a
// test that compares several runs waits for the longest, not their sum.
func Together(t *testing.T, n int, name func(i int) string, fn func(t *testing.T, i int)) {
	t.Helper()
	t.Run("together", func(t *testing.T) {
		for i := range n {
			t.Run(name(i), func(t *testing.T) {
				t.Parallel()
				fn(t, i)
			})
		}
	})
	if t.Failed() {
		t.FailNow()
	}
}
