package main

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

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
