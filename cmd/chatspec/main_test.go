package main

import (
	"os"
	"testing"

	"github.com/chatspec/chatspec/internal/testserver"
)

// TestMain arms, once for the whole test process, the environment that lets
// this test binary stand in for the misbehaving servers the tests start as
// child processes (see each variable's init). The children inherit it, so
// no test has to set it with t.Setenv, which would keep it from running in
// parallel; a test binary started without one of the magic first arguments
// runs its tests as usual. Its parallel tests are CLI runs that mostly wait
// on sockets: without the race detector, testserver.Waiting run at once.
func TestMain(m *testing.M) {
	if !testserver.Raced {
		testserver.RaiseParallel(testserver.Waiting)
	}
	for _, name := range []string{diesOnEnv, silentEnv, crashyEnv, idleServeEnv, crashSitesEnv, fuzzCLIServeEnv} {
		if err := os.Setenv(name, "1"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
