package main

import (
	"flag"
	"os"
	"testing"
)

// testParallel is how many parallel tests of this package run at once
// unless -parallel says otherwise: they are CLI runs against servers that
// spend most of their time waiting on sockets, so the default (GOMAXPROCS,
// two on a 2-core machine) leaves the cores mostly idle.
const testParallel = "8"

// TestMain arms, once for the whole test process, the environment that lets
// this test binary stand in for the misbehaving servers the tests start as
// child processes (see each variable's init). The children inherit it, so
// no test has to set it with t.Setenv, which would keep it from running in
// parallel; a test binary started without one of the magic first arguments
// runs its tests as usual. It also sets -test.parallel to testParallel
// when the command line did not.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		if err := flag.Set("test.parallel", testParallel); err != nil {
			panic(err)
		}
	}
	for _, name := range []string{diesOnEnv, silentEnv, crashyEnv, idleServeEnv, crashSitesEnv, fuzzCLIServeEnv} {
		if err := os.Setenv(name, "1"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
