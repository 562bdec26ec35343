package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/target"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// crashSitesEnv makes this test binary a small ChatOS server with four crash
// sites ("crash-sites --addr A [--start-delay 300ms]"), each dying with its own kind of trace: a
// Go panic on a negative length, a Python-like traceback on invalid UTF-8, a
// Java-like exception on an unknown opcode, and an AddressSanitizer report
// on a length above its cap. Anything else it serves well enough for the
// health probe: logins are accepted and public messages relayed to all.
const crashSitesEnv = "CHATSPEC_CRASH_SITES_SERVE"

// crashSitesCap is the server's String cap (a length above it is crash site 4).
const crashSitesCap = 4096

func init() {
	if os.Getenv(crashSitesEnv) == "" || len(os.Args) < 4 || os.Args[1] != "crash-sites" {
		return
	}
	if len(os.Args) >= 6 && os.Args[4] == "--start-delay" { // a slow start, as a JVM's
		d, err := time.ParseDuration(os.Args[5])
		if err != nil {
			os.Exit(2)
		}
		<-time.After(d)
	}
	ln, err := net.Listen("tcp", os.Args[3])
	if err != nil {
		os.Exit(2)
	}
	s := &crashSites{conns: map[net.Conn]bool{}}
	for {
		c, err := ln.Accept()
		if err != nil {
			os.Exit(2)
		}
		go s.serve(c)
	}
}

type crashSites struct {
	mu    sync.Mutex
	conns map[net.Conn]bool // logged in
}

func (s *crashSites) serve(c net.Conn) {
	defer c.Close()
	rd := wire.NewReader(c, crashSitesCap)
	for {
		p, _, err := rd.Next()
		if err != nil {
			s.crash(err)
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
			return
		}
		switch p := p.(type) {
		case wire.Login:
			s.mu.Lock()
			s.conns[c] = true
			s.mu.Unlock()
			b, _ := wire.Encode(wire.LoginAccepted{Nick: p.Nick})
			_, _ = c.Write(b)
		case wire.PublicMessage:
			s.broadcast(p)
		}
	}
}

func (s *crashSites) broadcast(p wire.PublicMessage) {
	b, err := wire.Encode(p)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		_ = c.SetWriteDeadline(time.Now().Add(time.Second))
		_, _ = c.Write(b)
	}
}

// crash is the four crash sites; other errors (a frame cut short) end the
// connection only.
func (s *crashSites) crash(err error) {
	switch {
	case errors.Is(err, wire.ErrNegativeLength):
		goCrashSite(err)
	case errors.Is(err, wire.ErrInvalidUTF8):
		fmt.Fprint(os.Stderr, "Traceback (most recent call last):\n"+
			"  File \"/srv/chat/server.py\", line 88, in serve_forever\n    self.handle(conn)\n"+
			"  File \"/srv/chat/handler.py\", line 41, in read_string\n    return data.decode('utf-8')\n"+
			"UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 3: invalid start byte\n")
		os.Exit(1)
	case errors.Is(err, wire.ErrUnknownOpcode):
		fmt.Fprint(os.Stderr, "Exception in thread \"client-7\" java.lang.IllegalArgumentException: opcode 200\n"+
			"\tat chat.Frames.decode(Frames.java:57)\n\tat chat.ClientHandler.run(ClientHandler.java:31)\n"+
			"\tat java.base/java.lang.Thread.run(Thread.java:1583)\n")
		os.Exit(1)
	case errors.Is(err, wire.ErrFrameTooLarge):
		fmt.Fprintf(os.Stderr, "=================================================================\n"+
			"==%d==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011 at pc 0x4c3b2e\n"+
			"READ of size 4096 at 0x602000000011 thread T2\n"+
			"    #0 0x4c3b2d in read_string /src/chat/frames.c:112:5\n    #1 0x4c4f10 in handle /src/chat/server.c:77:9\n", os.Getpid())
		os.Exit(1)
	}
}

// goCrashSite panics in a goroutine of its own, so the runtime prints a
// real Go trace and exits 2.
func goCrashSite(err error) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		var lengths []int
		_ = lengths[len(err.Error())%7+9] // index out of range
	}()
	<-done
}

// crashSitesCmd is the --exec command starting this binary as the server.
func crashSitesCmd(t *testing.T) string {
	self, err := os.Executable()
	require.NoError(t, err)
	return target.CommandLine(self, "crash-sites", "--addr", "{addr}")
}

// Four crash sites, four findings, four signatures; each replays as the
// same signature and minimises without slipping to another.
func TestFuzzFourCrashSitesFourSignatures(t *testing.T) {
	// Not parallel: on a loaded machine two workers' crashes can be mixed up
	// (a finding saved with another case's signature), which is the fuzzer's
	// to mend, not this test's to race.
	if testing.Short() {
		t.Skip("starts server processes")
	}
	exec := crashSitesCmd(t)
	dir := t.TempDir()
	// Until the four are found (a crash also kills the cases beside it, so
	// how many cases that takes depends on timing), or a generous deadline.
	code, stdout, stderr := runCLI(fuzzMain, "chatos", "--exec", exec, "--duration", "2m", "--stop-after", "4",
		"--seed", "3", "--workers", "2", "--findings", dir, "--report", dir)
	require.Equal(t, 1, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	files, err := filepath.Glob(filepath.Join(dir, "*.finding"))
	require.NoError(t, err)
	var keys []string
	for _, file := range files {
		f, err := fuzz.ReadFindingFile(file)
		require.NoError(t, err)
		keys = append(keys, f.Signature.Key)
	}
	sort.Strings(keys)
	assert.Equal(t, []string{
		"AddressSanitizer heap-buffer-overflow in read_string frames.c:112:5",
		"go panic: runtime error: index out of range [N] with length N in chatspec.goCrashSite.func1",
		"java java.lang.IllegalArgumentException at chat.Frames.decode(Frames.java:57) < chat.ClientHandler.run(ClientHandler.java:31)",
		"python UnicodeDecodeError at handler.py:41 in read_string",
	}, keys, "stdout:\n%s", stdout)
	assert.Contains(t, stdout, "UnicodeDecodeError: 'utf-8' codec", "the trace's first lines in the summary")
	assert.Contains(t, stdout, "goroutine", "a Go trace goes past its blank line")
	// Each finding is replayed and minimised against its own server
	// processes, so the four go on at once; the checks come after.
	type cli struct {
		code      int
		out, errs string
	}
	replays, minimised := make([]cli, len(files)), make([]cli, len(files))
	var wg sync.WaitGroup
	for i, file := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, m := &replays[i], &minimised[i]
			r.code, r.out, r.errs = runCLI(replayMain, file, "--exec", exec)
			m.code, m.out, m.errs = runCLI(fuzzMain, "--minimise", file, "--exec", exec, "--max-tests", "80")
		}()
	}
	wg.Wait()
	for i, file := range files {
		r, m := replays[i], minimised[i]
		assert.Equal(t, 1, r.code, "%s\n%s", r.out, r.errs)
		assert.Contains(t, r.out, "reproduced (same signature)", file)
		want, err := fuzz.ReadFindingFile(file)
		require.NoError(t, err)
		require.Equal(t, 1, m.code, "%s\n%s", m.out, m.errs)
		small, err := fuzz.ReadFindingFile(strings.TrimSuffix(file, ".finding") + ".min.finding")
		require.NoError(t, err)
		assert.Equal(t, want.Signature.Key, small.Signature.Key, "no slippage")
		assert.LessOrEqual(t, small.Case.Size(), want.Case.Size())
	}
	exportFails(t, exec, strings.TrimSuffix(files[0], ".finding")+".min.finding")
}

// exportFails exports a minimised finding as a feature: run --features
// fails with it against the crashing server and passes against the
// reference.
func exportFails(t *testing.T, exec, minFile string) {
	t.Helper()
	code, out, errOut := runCLI(fuzzMain, "--export-feature", minFile)
	require.Equal(t, 0, code, "%s\n%s", out, errOut)
	feature, err := os.ReadFile(strings.TrimSuffix(minFile, ".finding") + ".feature")
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "regression.feature"), feature, 0o644))
	code, out, errOut = runCLI(runMain, "chatos", "--features", dir, "--exec", exec, "--color", "never")
	assert.Equal(t, 1, code, "fails against the crashing server:\n%s\n%s\n%s", feature, out, errOut)
	assert.Contains(t, out, "COP-R-1")
	code, out, errOut = runCLI(runMain, "chatos", "--features", dir, "--color", "never")
	assert.Equal(t, 0, code, "passes against the reference:\n%s\n%s\n%s", feature, out, errOut)
}

// A finding recorded against another server is not replayed against the
// bundled reference: the user must say where that server is.
func TestReplayFindingOfAnotherTargetNeedsTarget(t *testing.T) {
	dir := t.TempDir()
	f := fuzz.Finding{Kind: fuzz.KindExit, Oracle: fuzz.OracleExit, Title: "exit", Target: "exec ./srv {port}",
		Signature: fuzz.Signature{Key: "signal SIGSEGV after LOGIN(0)"},
		Case:      fuzz.Case{Protocol: "chatos", Conns: []fuzz.ConnScript{{Steps: []fuzz.Step{{Data: []byte{0}}}}}}}
	path := filepath.Join(dir, "x.finding")
	require.NoError(t, fuzz.WriteFindingFile(path, f))
	code, _, stderr := runCLI(replayMain, path)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `recorded against "exec ./srv {port}"`)
	assert.Contains(t, stderr, "--target")
	code, _, stderr = runCLI(fuzzMain, "--minimise", path)
	assert.Equal(t, 2, code, stderr)
}

// A finding recorded on the reference with faults replays with them.
func TestRecordedFaultsComeBack(t *testing.T) {
	s := serverFlags{}
	f := fuzz.Finding{Target: "reference (faults: panic-on-empty-recipient)", Case: fuzz.Case{Protocol: "chatos"}}
	code, ok := adoptFinding(&s, f, os.Stderr, "test")
	require.True(t, ok, code)
	assert.Equal(t, "panic-on-empty-recipient", s.faults)
	s = serverFlags{}
	f = fuzz.Finding{Target: "reference", Faults: "duplicate-nick", Case: fuzz.Case{Protocol: "chatos"}}
	_, _ = adoptFinding(&s, f, os.Stderr, "test")
	assert.Equal(t, "duplicate-nick", s.faults)
}

// A Pat Chat finding exported as a feature runs through the raw-line steps
// and passes against the reference.
func TestExportedPatchatFeatureRuns(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	dir := t.TempDir()
	f := fuzz.Finding{Kind: fuzz.KindCrash, Oracle: fuzz.OracleProbe, Title: "crash", Target: "reference",
		Signature: fuzz.Signature{Key: "probe after m invalid-utf8"},
		Case: fuzz.Case{Protocol: "patchat", Conns: []fuzz.ConnScript{
			{Steps: []fuzz.Step{{Data: []byte("register fzexp1 pw1\nlogin fzexp1 pw1\nm hello \xff\x00\n")}}},
			{Steps: []fuzz.Step{{}, {Data: []byte("j")}}},
		}}}
	path := filepath.Join(dir, "patchat-crash-1.min.finding")
	require.NoError(t, fuzz.WriteFindingFile(path, f))
	code, out, errOut := runCLI(fuzzMain, "--export-feature", path)
	require.Equal(t, 0, code, "%s\n%s", out, errOut)
	feature, err := os.ReadFile(strings.TrimSuffix(path, ".finding") + ".feature")
	require.NoError(t, err)
	assert.Contains(t, string(feature), `"m hello \xff\x00\n"`)
	runDir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(runDir, "regression.feature"), feature, 0o644))
	code, out, errOut = runCLI(runMain, "patchat", "--features", runDir, "--color", "never")
	assert.Equal(t, 0, code, "%s\n%s\n%s", feature, out, errOut)
	assert.Regexp(t, `PAT-R-2 +\| MUST +\| The server survives fuzz case patchat-crash-1.min +\| PASS`, out)
}
