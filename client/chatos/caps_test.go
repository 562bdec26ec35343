package chatos

import (
	"io"
	"net"
	"strings"
	"testing"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A correct server may refuse the 64 KiB nickname of COP-2.1-2 with a 2
// carrying it: the client must decode that reply, whatever its own limits.
func TestReplyCarryingWhatChatspecSentDecodes(t *testing.T) {
	nick := strings.Repeat("n", 64<<10)
	addr := serve(t, func(c net.Conn) {
		r := wire.NewReader(c, 128<<10)
		p, _, err := r.Next()
		if err != nil {
			return
		}
		_, _ = c.Write(wire.MustEncode(wire.LoginRefused{Nick: p.(wire.Login).Nick}))
		_, _ = io.Copy(io.Discard, c)
	})
	c := dial(t, addr, Options{Timeout: 2 * time.Second})
	require.NoError(t, c.Send(wire.Login{Nick: nick}))
	p, err := c.Expect(matcherFor(wire.LoginRefused{Nick: nick}), 0)
	require.NoError(t, err)
	assert.Len(t, p.(wire.LoginRefused).Nick, 64<<10)
}

// endless writes valid one-byte frames until the client goes away, and
// never closes: a cap reached while waiting is not a close.
func endless(c net.Conn) {
	junk := make([]byte, 16<<10)
	for i := range junk {
		junk[i] = byte(wire.OpEstablished)
	}
	for {
		if _, err := c.Write(junk); err != nil {
			return
		}
	}
}

func TestByteCapWhileWaitingForCloseIsNotClosed(t *testing.T) {
	c := dial(t, serve(t, endless), Options{Timeout: 5 * time.Second, ByteCap: 32 << 10})
	err := c.ExpectClosed(5 * time.Second)
	require.ErrorIs(t, err, ErrStillOpen)
	assert.Contains(t, err.Error(), ErrByteCap.Error())
	assert.False(t, c.Closed())

	raw := dial(t, serve(t, endless), Options{Timeout: 5 * time.Second, ByteCap: 32 << 10})
	assert.ErrorIs(t, raw.WaitRawClosed(5*time.Second), ErrStillOpen, "a raw wait capped is not closed either")
}

func TestCloseAfterBadFrameIsSeen(t *testing.T) {
	bad := []byte{0xee, 1, 2, 3}
	closes := dial(t, serve(t, func(c net.Conn) { _, _ = c.Write(bad) }), Options{Timeout: 2 * time.Second})
	assert.NoError(t, closes.ExpectClosed(2*time.Second))
	assert.True(t, closes.Closed())
	assert.ErrorIs(t, closes.Err(), ErrBadFrame, "the bad frame is still on record (COP-3.1-1)")

	stays := dial(t, serve(t, func(c net.Conn) {
		_, _ = c.Write(bad)
		_, _ = io.Copy(io.Discard, c)
	}), Options{Timeout: 2 * time.Second})
	assert.ErrorIs(t, stays.ExpectClosed(200*time.Millisecond), ErrStillOpen)
	assert.False(t, stays.Closed())
}
