package main

import (
	"context"
	"io"
	"net"
	"os"
	"testing"
	"time"

	refpatchat "github.com/chatspec/chatspec/reference/patchat"
	"golang.org/x/crypto/bcrypt"

	"github.com/stretchr/testify/require"
)

// With silentEnv set, `dies-silent-patchat armed ADDR` is the Pat Chat
// reference that dies when a client connects and leaves without a word.
func init() {
	if len(os.Args) == 4 && os.Getenv(silentEnv) != "" && os.Args[1] == "dies-silent-patchat" {
		ln, err := net.Listen("tcp", os.Args[3])
		if err != nil {
			os.Exit(2)
		}
		bomb := &silentBomb{Listener: ln, armed: os.Args[2] == "armed"}
		_ = refpatchat.Serve(context.Background(), bomb, refpatchat.Config{HashCost: bcrypt.MinCost})
		os.Exit(0)
	}
}

// dialect try --exec waits for the server with the dialect's greeting, so
// a Pat Chat server that dies on a silent close answers the action.
func TestDialectTryExecStartsASilentCloseVictimPolitely(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(dialectMain, "try", "reference", "--exec", helperServer(t, "dies-silent-patchat", "armed"), "list_rooms")
	require.Equal(t, 0, code, "%s\n%s", stdout, stderr)
	require.Contains(t, stdout, "result: accepted")
}

// fuzz and replay start an --exec server as run does: readiness and
// liveness speak the protocol, so a server that dies when a client connects
// and leaves without a word (silentBomb, armed) is still up once started.
func TestFuzzExecStartsASilentCloseVictimPolitely(t *testing.T) {
	t.Parallel()
	s := &serverFlags{protocol: "chatos", exec: helperServer(t, "dies-silent", "armed")}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r, err := s.start(ctx, io.Discard)
	require.NoError(t, err)
	defer r.target.Close()
	// Each check is itself a connection: three in a row, then the process.
	for i := range 3 {
		require.NoError(t, r.target.Alive(ctx), "check %d: the server is gone", i+1)
	}
	status, exited := r.target.Exited()
	require.False(t, exited, "the server exited: %s", status)
}
