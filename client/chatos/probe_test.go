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

// TestProbeTellsADroppedConnectionFromSilence: a server that closes the
// connection in answer to a login is dying; one that keeps it open without
// a word is alive (failing, for the scenarios to judge), and so is one that
// answers garbage.
func TestProbeTellsADroppedConnectionFromSilence(t *testing.T) {
	cases := map[string]struct {
		script func(net.Conn)
		alive  bool
	}{
		"drops":   {func(c net.Conn) { _, _ = c.Read(make([]byte, 64)) }, false},
		"silent":  {func(c net.Conn) { _, _ = c.Read(make([]byte, 64)); _, _ = c.Read(make([]byte, 64)) }, true},
		"garbage": {func(c net.Conn) { _, _ = c.Read(make([]byte, 64)); _, _ = c.Write([]byte{0xee, 1, 2}) }, true},
	}
	for name, tc := range cases {
		addr := serve(t, tc.script)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := Probe(ctx, addr)
		cancel()
		if tc.alive {
			assert.NoError(t, err, name)
		} else {
			assert.ErrorIs(t, err, ErrProbeDropped, name)
		}
	}
}
