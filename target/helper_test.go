package target

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The test binary re-executes itself as a tiny TCP server when helperEnv is
// set. Its behaviour is chosen by the other environment variables below.
const (
	helperEnv        = "CHATSPEC_TARGET_HELPER"
	helperCrashAfter = "HELPER_CRASH_AFTER"   // exit 3 after accepting N connections
	helperIgnoreTerm = "HELPER_IGNORE_TERM"   // ignore SIGTERM
	helperExitStart  = "HELPER_EXIT_AT_START" // exit with this code before listening
	helperNoise      = "HELPER_NOISE"         // write this many bytes of output at start
	helperStartDelay = "HELPER_START_DELAY"   // take this long (a Go duration) before listening
)

// TestMain runs the test binary as the helper server instead of the tests
// when helperEnv is set (helperCommand re-executes it). Arguments after "--":
// PORT DIR.
func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		args := os.Args
		for i, a := range args {
			if a == "--" {
				args = args[i+1:]
				break
			}
		}
		os.Exit(helperMain(args[0], args[1]))
	}
	os.Exit(m.Run())
}

// helperMain runs the helper server and returns its exit code.
func helperMain(port, dir string) int {
	fmt.Fprintf(os.Stdout, "helper stdout: pid %d\n", os.Getpid())
	writeNoise()
	if code := os.Getenv(helperExitStart); code != "" {
		fmt.Fprintln(os.Stderr, "helper: bad config: boom")
		n, _ := strconv.Atoi(code)
		return n
	}
	if os.Getenv(helperIgnoreTerm) == "1" {
		signal.Ignore(syscall.SIGTERM)
	}
	if d, err := time.ParseDuration(os.Getenv(helperStartDelay)); err == nil {
		<-time.After(d) // a slow starter (a JVM, say)
	}
	writePid(dir) // before listening, so it is there once the port accepts
	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper: listen:", err)
		return 4
	}
	fmt.Fprintf(os.Stderr, "helper stderr: listening on %s\n", ln.Addr())
	return acceptLoop(ln, dir)
}

// acceptLoop accepts and closes connections, crashing after HELPER_CRASH_AFTER
// of them unless a helper in the same DIR crashed already (so a restart stays up).
func acceptLoop(ln net.Listener, dir string) int {
	crashAfter, _ := strconv.Atoi(os.Getenv(helperCrashAfter))
	marker := filepath.Join(dir, "crashed")
	if _, err := os.Stat(marker); err == nil {
		crashAfter = 0
	}
	for n := 1; ; n++ {
		c, err := ln.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, "helper: accept:", err)
			return 5
		}
		_ = c.Close()
		if crashAfter > 0 && n >= crashAfter {
			fmt.Fprintf(os.Stderr, "helper: crashing after %d connections\n", n)
			_ = os.WriteFile(marker, nil, 0o600)
			return 3
		}
	}
}

// writePid records the helper's pid in DIR/pid (atomically, via rename).
func writePid(dir string) {
	tmp := filepath.Join(dir, "pid.tmp")
	if err := os.WriteFile(tmp, []byte(strconv.Itoa(os.Getpid())), 0o600); err == nil {
		_ = os.Rename(tmp, filepath.Join(dir, "pid"))
	}
}

// writeNoise writes HELPER_NOISE bytes of numbered lines to stdout.
func writeNoise() {
	n, _ := strconv.Atoi(os.Getenv(helperNoise))
	for i := 0; n > 0; i++ {
		line := fmt.Sprintf("noise line %06d\n", i)
		os.Stdout.WriteString(line)
		n -= len(line)
	}
}

// helperCommand is an --exec command line that runs this test binary as the
// helper server, replacing the shell so the helper leads the process group.
func helperCommand() string {
	return fmt.Sprintf("exec '%s' -- {port} {dir}", os.Args[0])
}

// helperOpts returns ExecOptions whose environment turns on the helper with extra settings.
func helperOpts(extra ...string) ExecOptions {
	return ExecOptions{StopGrace: 2 * time.Second, Env: append([]string{helperEnv + "=1"}, extra...)}
}

// helperPid reads the pid the helper wrote into the target's directory.
func helperPid(t *testing.T, tg Target) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(tg.Dir(), "pid"))
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	require.NoError(t, err)
	return pid
}
