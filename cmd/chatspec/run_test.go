package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostile starts a loopback server whose every connection is handled by fn.
func hostile(t *testing.T, fn func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	done := make(chan struct{})
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); fn(c) }()
		}
	}()
	t.Cleanup(func() {
		close(done)
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String()
}

func chatspecCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := dispatch(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestHostileServersFailPromptly runs the ChatOS suite against servers that
// speak something else entirely: each run must end, fail, and show what arrived.
func TestHostileServersFailPromptly(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	servers := map[string]func(net.Conn){
		"echo": func(c net.Conn) { _, _ = io.Copy(c, c) },
		"http": func(c net.Conn) {
			_, _ = c.Read(make([]byte, 1024))
			_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
			c.Close()
		},
		"garbage": func(c net.Conn) {
			junk := bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 1024)
			for {
				if _, err := c.Write(junk); err != nil {
					return
				}
			}
		},
		"2GiB-prefix": func(c net.Conn) {
			_, _ = c.Write([]byte{0x01, 0x7f, 0xff, 0xff, 0xff})
			_, _ = io.Copy(io.Discard, c)
		},
		"silent": func(c net.Conn) { _, _ = io.Copy(io.Discard, c) },
	}
	for name, fn := range servers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			addr := hostile(t, fn)
			dir := t.TempDir()
			code, out, errs := chatspecCLI(t, "run", "chatos", "--target", addr, "--timeout", "300ms",
				"--quiet", "100ms", "--color", "never", "--report", dir)
			assert.Equal(t, 1, code, "stderr: %s", errs)
			assert.Contains(t, out, "NOT CERTIFIED")
			assert.Contains(t, out, "expected one of:")
			var res map[string]any
			data, err := os.ReadFile(filepath.Join(dir, "results.json"))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(data, &res))
			assert.Equal(t, false, res["certified"])
		})
	}
}

func TestReferenceIsCertifiedByTheCLI(t *testing.T) {
	// Not parallel: a certification must not compete with other full runs on a loaded machine.
	dir := t.TempDir()
	code, out, errs := chatspecCLI(t, "run", "chatos", "--color", "never", "--report", dir)
	require.Equal(t, 0, code, "stderr: %s\n%s", errs, out)
	assert.Contains(t, out, "CERTIFIED")
	for _, f := range []string{"results.json", "junit.xml", "summary.md", "report.html", "certificate.json"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		assert.Contains(t, string(data), "COP-3.5-6", f)
	}
	checkCertificate(t, dir)
}

func TestFaultyReferenceIsNotCertified(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	code, out, _ := chatspecCLI(t, "run", "chatos", "--faults", "sender-from-packet", "--section", "2.3", "--color", "never")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "FAIL")
	assert.Contains(t, out, "COP-2.3-1")
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"run", "nope"},
		{"run", "chatos", "--target", "x", "--exec", "y"},
		{"run", "chatos", "--tags", "(@a or @b)"},
		{"run", "chatos", "--section", "three"},
		{"run", "chatos", "--faults", "not-a-fault"},
		{"run", "--target", "127.0.0.1:1"},
		{"frobnicate"},
	} {
		code, _, errs := chatspecCLI(t, args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.NotEmpty(t, strings.TrimSpace(errs), "%v must say what was wrong", args)
	}
}

func TestUnreachableTargetIsExit2(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	code, _, errs := chatspecCLI(t, "run", "chatos", "--target", addr)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "cannot be reached")
}

func TestSelectingNothingIsAnError(t *testing.T) {
	code, _, errs := chatspecCLI(t, "run", "chatos", "--tags", "@no-such-tag")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "no scenario selected")
}
