package chatos

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProbeLogsInAndReadsTheAnswer: the probe sends a LOGIN with a probe
// nickname, and an acceptance or a refusal both mean alive.
func TestProbeLogsInAndReadsTheAnswer(t *testing.T) {
	for _, reply := range []func(string) wire.Packet{
		func(n string) wire.Packet { return wire.LoginAccepted{Nick: n} },
		func(n string) wire.Packet { return wire.LoginRefused{Nick: n} },
	} {
		var got wire.Packet
		addr := serve(t, func(c net.Conn) {
			p, _, err := wire.NewReader(c, 0).Next()
			if err == nil {
				got = p
				_, _ = c.Write(wire.Append(nil, reply(p.(wire.Login).Nick)))
			}
		})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		require.NoError(t, Probe(ctx, addr))
		cancel()
		login, ok := got.(wire.Login)
		require.True(t, ok, "the probe's first words are a LOGIN, got %v", got)
		assert.True(t, strings.HasPrefix(login.Nick, "probe_"), login.Nick)
	}
}

// TestProbeFailsOnASilentServer: a server that accepts and never answers is
// not alive.
func TestProbeFailsOnASilentServer(t *testing.T) {
	addr := serve(t, func(c net.Conn) { _, _ = c.Read(make([]byte, 64)); _, _ = c.Read(make([]byte, 64)) })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	require.ErrorIs(t, Probe(ctx, addr), ErrNoMatch)
}
