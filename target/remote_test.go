package target

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRemoteAddressSyntax(t *testing.T) {
	good := map[string]string{
		"127.0.0.1:8083":    "127.0.0.1:8083",
		":8083":             "127.0.0.1:8083",
		"localhost:1":       "localhost:1",
		"[::1]:65535":       "[::1]:65535",
		" chat.example:80 ": "chat.example:80",
	}
	for in, want := range good {
		tg, err := Remote(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, tg.Addr(), in)
	}
	for _, bad := range []string{"", "nohost", "host:", "host:0", "host:70000", "host:http", "a b:80", "1.2.3.4:80:90"} {
		_, err := Remote(bad)
		assert.ErrorIs(t, err, ErrBadAddress, bad)
	}
}

func TestRemoteAliveAndLimits(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	tg, err := Remote(ln.Addr().String())
	require.NoError(t, err)
	ctx := context.Background()

	require.NoError(t, tg.Alive(ctx))
	assert.Equal(t, ModeTarget, tg.Mode())
	assert.False(t, tg.CanRestart())
	assert.ErrorIs(t, tg.Restart(ctx), ErrCannotRestart)
	_, exited := tg.Exited()
	assert.False(t, exited)
	assert.Empty(t, tg.Log())
	assert.Empty(t, tg.Dir())
	_, ok := tg.RSS()
	assert.False(t, ok)
	assert.NoError(t, tg.Close())
}

func TestRemoteAliveReasons(t *testing.T) {
	port, err := FreePort()
	require.NoError(t, err)
	assert.Positive(t, port)
	tg, err := Remote("127.0.0.1:" + strconv.Itoa(port))
	require.NoError(t, err)

	err = tg.Alive(context.Background())
	assert.ErrorIs(t, err, ErrRefused)
	assert.ErrorIs(t, err, ErrUnreachable)

	expired, cancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel()
	err = tg.Alive(expired)
	assert.ErrorIs(t, err, ErrDialTimeout)
	assert.ErrorIs(t, err, ErrUnreachable)
}
