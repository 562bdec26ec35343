package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	refchatos "github.com/chatspec/chatspec/reference/chatos"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// diesOnEnv lets this test binary (`dies-on OP ADDR`) be the ChatOS
// reference server, except that the whole process dies, with a stack trace
// on stderr, the moment a client sends a frame whose opcode is OP (-1:
// never): a server with one fatal bug, as a user's server might have.
const diesOnEnv = "CHATSPEC_RUN_TEST_DIES_ON"

// silentEnv lets this test binary (`dies-silent armed|healthy ADDR`) be the
// ChatOS reference server, except that (armed) the whole process dies when a
// client connects and leaves without sending a byte, as a real server did.
const silentEnv = "CHATSPEC_RUN_TEST_DIES_SILENT"

func init() {
	if len(os.Args) != 4 {
		return
	}
	switch {
	case os.Getenv(silentEnv) != "" && os.Args[1] == "dies-silent":
		serveHelper(os.Args[3], func(ln net.Listener) net.Listener {
			return &silentBomb{Listener: ln, armed: os.Args[2] == "armed"}
		})
	case os.Getenv(diesOnEnv) != "" && os.Args[1] == "dies-on":
		var fatal int
		if _, err := fmt.Sscan(os.Args[2], &fatal); err != nil {
			os.Exit(2)
		}
		serveHelper(os.Args[3], func(ln net.Listener) net.Listener {
			return &opcodeBomb{Listener: ln, fatal: wire.Opcode(fatal), armed: fatal >= 0}
		})
	}
}

// serveHelper serves the ChatOS reference at addr through wrap's listener
// until the process ends; it never returns.
func serveHelper(addr string, wrap func(net.Listener) net.Listener) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		os.Exit(2)
	}
	_ = refchatos.Serve(context.Background(), wrap(ln), refchatos.DefaultConfig())
	os.Exit(0)
}

// opcodeBomb hands the reference server connections that watch what the
// client sends and kill the process on the fatal opcode.
type opcodeBomb struct {
	net.Listener
	fatal wire.Opcode
	armed bool // false: the same server without the bug
}

func (l *opcodeBomb) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	w := &opcodeWatch{Conn: c, fatal: l.fatal, watching: l.armed}
	w.frames = wire.NewReader(&w.seen, 0)
	return w, nil
}

// silentBomb hands the reference server connections that kill the process
// when the client closes without having sent anything.
type silentBomb struct {
	net.Listener
	armed bool
}

func (l *silentBomb) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil || !l.armed {
		return c, err
	}
	return &silentWatch{Conn: c}, nil
}

type silentWatch struct {
	net.Conn
	spoke bool
}

func (w *silentWatch) Read(p []byte) (int, error) {
	n, err := w.Conn.Read(p)
	w.spoke = w.spoke || n > 0
	if err == io.EOF && !w.spoke {
		fmt.Fprintln(os.Stderr, "Exception in thread \"main\": java.io.EOFException: client left without a word")
		os.Exit(3)
	}
	return n, err
}

// errDrained: the watcher has decoded every byte the server read so far.
var errDrained = errors.New("drained")

// drain is what the server read and the watcher has not decoded yet.
type drain struct{ buf []byte }

func (d *drain) Read(p []byte) (int, error) {
	if len(d.buf) == 0 {
		return 0, errDrained
	}
	n := copy(p, d.buf)
	d.buf = d.buf[n:]
	return n, nil
}

// opcodeWatch decodes, in the server's own read, the frames the client sent.
// It stops watching at a frame it cannot decode or once a private
// connection is bridged (raw bytes from then on).
type opcodeWatch struct {
	net.Conn
	fatal    wire.Opcode
	seen     drain
	frames   *wire.Reader
	watching bool
}

func (w *opcodeWatch) Read(p []byte) (int, error) {
	n, err := w.Conn.Read(p)
	w.seen.buf = append(w.seen.buf, p[:n]...)
	for w.watching {
		pkt, _, derr := w.frames.Next()
		var fe *wire.FrameError
		switch {
		case derr == nil && pkt.Opcode() == wire.OpPresentID:
			w.watching = false
		case derr == nil:
		case errors.As(derr, &fe) && errors.Is(derr, wire.ErrUnknownOpcode) && fe.Op == w.fatal:
			fmt.Fprintf(os.Stderr, "panic: unhandled opcode %d\n\ngoroutine 7 [running]:\nmain.dispatch(0x%x)\n\tserver.go:42\n", fe.Op, byte(fe.Op))
			os.Exit(2)
		case errors.Is(derr, errDrained):
			return n, err
		default:
			w.watching = false
		}
	}
	return n, err
}

// The example rows that send opcode 12: one in each unknown-opcode outline
// (COP-3.3-1 "does not disturb", COP-3.3-2 "closes").
const (
	guiltyDisturb = "features/chatos/3_3_opcodes.feature:22"
	guiltyCloses  = "features/chatos/3_3_opcodes.feature:34"
)

// TestCrashChargedToTheScenarioThatSentIt: at the default concurrency, a
// server that dies on opcode 12 is crashed by exactly the two scenarios that
// send 12, each charged with its own crash and the server's stack trace;
// every other row is what the same server without that bug gets.
func TestCrashChargedToTheScenarioThatSentIt(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	broken, healthy := againstBoth(t, runChatOS(t, "dies-on", "12"))
	code, out, rows, crashes := broken.code, broken.out, broken.rows, broken.crashes
	assert.Equal(t, 1, code)
	require.Empty(t, healthy.crashes)
	require.Len(t, crashes, 2, out)
	var where, reqs []string
	for _, c := range crashes {
		where = append(where, c.Location)
		reqs = append(reqs, c.Reqs...)
		assert.Equal(t, "exit status 2", c.Status)
	}
	assert.ElementsMatch(t, []string{guiltyDisturb, guiltyCloses}, where)
	assert.ElementsMatch(t, []string{"COP-3.3-1", "COP-3.3-2"}, reqs)
	want := strings.Join(healthy.rows, "\n")
	for _, g := range []string{guiltyDisturb, guiltyCloses} {
		want = strings.Replace(want, g+" PASS", g+" FAIL", 1)
	}
	assert.Equal(t, want, strings.Join(rows, "\n"), "only the guilty rows differ")
	assert.Contains(t, out, "the server died 2 times: ")
	assert.Contains(t, out, `during [COP-3.3-1] "An unknown opcode (12) does not disturb other clients"`)
	assert.Regexp(t, `FAIL \[COP-3.3-1\] An unknown opcode \(12\) does not disturb other clients\n`+
		`(.*\n)*?.*the server crashed during this scenario \(its process ended: exit status 2\)`, out)
	assert.Contains(t, out, "panic: unhandled opcode 12", "the stack trace is in the guilty row")
}

// TestGuiltyIDAloneIsNotCertified: selecting only the requirement whose
// scenario kills the server must not print CERTIFIED, even though that
// scenario's own check (the others are still served) passes before it dies.
func TestGuiltyIDAloneIsNotCertified(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	only := []string{"--tags", "@COP-3.3-1"}
	bomb := runChatOS(t, "dies-on", "12", only...)
	reference := runChatOS(t, "dies-on", "-1", only...)
	broken, healthy := concurrently(bomb, reference)
	requireRows(t, broken, healthy)
	assert.Equal(t, 1, broken.code)
	assert.NotContains(t, broken.out, "\nCERTIFIED")
	want := strings.Replace(strings.Join(healthy.rows, "\n"), guiltyDisturb+" PASS", guiltyDisturb+" FAIL", 1)
	assert.Equal(t, want, strings.Join(broken.rows, "\n"))
	require.Len(t, broken.crashes, 1)
	assert.Equal(t, guiltyDisturb, broken.crashes[0].Location)
}

// startBomb runs this binary as a server dying on opcode op, as a process
// chatspec did not start (--target), and returns its address.
func startBomb(t *testing.T, op int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "dies-on", fmt.Sprint(op), addr)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			// a login, not a bare close: leave politely
			_, _ = c.Write([]byte{0, 0, 0, 0, 5, 'p', 'r', 'o', 'b', 'e'})
			_, _ = c.Read(make([]byte, 64))
			c.Close()
			return addr
		}
		require.True(t, time.Now().Before(deadline), "helper server never listened: %v", err)
		<-time.After(20 * time.Millisecond)
	}
}

// TestTargetThatDiesChargesItsScenario: with --target chatspec cannot
// restart the server. Run one at a time, the scenario it died in is charged
// and every later one is an ERROR naming it.
func TestTargetThatDiesChargesItsScenario(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	addr := startBomb(t, 12)
	dir := t.TempDir()
	code, out, errs := chatspecCLI(t, "run", "chatos", "--target", addr, "--section", "3.3,3.4",
		"--concurrency", "1", "--color", "never", "--report", dir)
	assert.Equal(t, 1, code, errs)
	rows, crashes := jsonRows(t, dir)
	assert.Equal(t, []string{
		guiltyDisturb + " FAIL",
		"features/chatos/3_3_opcodes.feature:23 ERROR",
		"features/chatos/3_3_opcodes.feature:24 ERROR",
		"features/chatos/3_3_opcodes.feature:34 ERROR",
		"features/chatos/3_3_opcodes.feature:35 ERROR",
		"features/chatos/3_3_opcodes.feature:36 ERROR",
		"features/chatos/3_4_identification.feature:11 ERROR",
		"features/chatos/3_4_identification.feature:16 ERROR",
		"features/chatos/3_4_identification.feature:22 ERROR",
	}, rows, out)
	require.Len(t, crashes, 1)
	assert.Equal(t, guiltyDisturb, crashes[0].Location)
	assert.Contains(t, out, `not run: the server stopped answering during "An unknown opcode (12) does not disturb other clients"`)
	assert.Contains(t, out, "chatspec did not start this server, so it has none of its output")
}

// TestProbesSpareAServerThatDiesOnSilentClose: readiness and liveness log in
// and read the answer, so a server that dies when a client connects and
// leaves without a word is tested like any other. Its rows are those of the
// same server without that weakness, but one: the scenario whose anonymous
// connection (it must not log in) leaves without a word really kills it,
// and is charged with the one crash.
func TestProbesSpareAServerThatDiesOnSilentClose(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	broken, healthy := againstBoth(t, runChatOS(t, "dies-silent", "armed"))
	code, out, rows, crashes := broken.code, broken.out, broken.rows, broken.crashes
	require.Empty(t, healthy.crashes)
	const anonymous = "features/chatos/2_5_one_to_all.feature:10"
	assert.Equal(t, 1, code)
	require.Len(t, crashes, 1, out)
	assert.Equal(t, anonymous, crashes[0].Location)
	want := strings.Replace(strings.Join(healthy.rows, "\n"), anonymous+" PASS", anonymous+" FAIL", 1)
	assert.Equal(t, want, strings.Join(rows, "\n"))
	assert.Contains(t, out, "java.io.EOFException: client left without a word")
}

func TestReadyFlagsNameThemselves(t *testing.T) {
	for args, want := range map[string]string{
		"--ready|up":                            "--ready applies to a server chatspec starts",
		"--ready-file|{dir}/pid":                "--ready-file applies to a server chatspec starts",
		"--exec|./srv {port}|--ready|(unclosed": "--ready: error parsing regexp",
	} {
		code, _, errs := chatspecCLI(t, append([]string{"run", "chatos"}, strings.Split(args, "|")...)...)
		assert.Equal(t, 2, code, args)
		assert.Contains(t, errs, want, args)
	}
}
