package patchat_test

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chatspec/chatspec/internal/testserver"
	refpat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/target"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// helperEnv makes the test binary run as the reference server (exec mode).
const helperEnv = "CHATSPEC_PATCHAT_REFERENCE_HELPER"

// TestMain runs the test binary as the reference server (the body that
// TestExecModeChecks starts with --exec) instead of the tests when helperEnv
// is set (arguments after "--": ADDR DIR); else it runs the tests, up to
// testserver.Waiting at once: they mostly wait on servers of their own.
func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		os.Exit(helperReference(os.Args))
	}
	testserver.Main(m)
}

// helperReference serves the reference until SIGTERM and returns the exit code.
func helperReference(args []string) int {
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	err := refpat.ListenAndServe(ctx, refpat.Config{Addr: args[0], HashCost: bcrypt.MinCost,
		AddressFile: filepath.Join(args[1], "address.txt"), AccountsFile: filepath.Join(args[1], "accounts.txt")})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// TestExecModeChecks runs the checks that need chatspec to start the server
// against the reference started as a separate process, the way a user runs
// `chatspec run patchat --exec './server --addr {addr} --address-file {dir}/address.txt'`.
func TestExecModeChecks(t *testing.T) {
	t.Parallel()
	command := fmt.Sprintf("exec '%s' -- {addr} {dir}", os.Args[0])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tg, err := target.Exec(ctx, command, target.ExecOptions{Env: []string{helperEnv + "=1"}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	d := dialect(t, "reference")
	want := map[string]results.Outcome{"PAT-4.2-1": results.Info, "PAT-4.4-3": results.Pass,
		"PAT-3-7": results.Info, "PAT-3-1": results.Untestable}
	port := tg.Addr()[strings.LastIndexByte(tg.Addr(), ':')+1:]
	for id, outcome := range want {
		r := run(t, tg, d, "@"+id, false)
		require.Len(t, r.Results, 1, id)
		res := r.Results[0]
		require.Equal(t, outcome, res.Outcome, "%s: %s %v", id, res.Message, res.Notes)
		require.True(t, r.Passed(), id)
		if id == "PAT-4.2-1" {
			require.Contains(t, strings.Join(res.Notes, "\n"), "names its port "+port)
		}
		if id == "PAT-3-1" {
			require.Contains(t, res.Message, "chatspec gives the server its port")
		}
	}
}
