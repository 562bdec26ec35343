package chatos

import (
	"context"
	"io"
	"net"
	"testing"
	"time"

	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve starts a one-connection server that runs script on its side.
func serve(t *testing.T, script func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		script(c)
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

func dial(t *testing.T, addr string, opts Options) *Client {
	t.Helper()
	c, err := Dial(context.Background(), addr, "test", transcript.New(), opts)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

func TestExpectKeepsOtherPacketsForLater(t *testing.T) {
	addr := serve(t, func(c net.Conn) {
		b := wire.Append(nil, wire.PublicMessage{From: "x", Text: "other"})
		b = wire.Append(b, wire.PublicMessage{From: "me", Text: "mine"})
		_, _ = c.Write(b)
		_, _ = io.Copy(io.Discard, c)
	})
	c := dial(t, addr, Options{Timeout: time.Second})
	p, err := c.Expect(matcherFor(wire.PublicMessage{From: "me", Text: "mine"}), 0)
	require.NoError(t, err)
	assert.Equal(t, wire.PublicMessage{From: "me", Text: "mine"}, p)
	p, err = c.Expect(matcherFor(wire.PublicMessage{From: "x", Text: "other"}), 0)
	require.NoError(t, err)
	assert.Equal(t, "other", p.(wire.PublicMessage).Text)
}

func TestExpectReportsWhatArrivedInstead(t *testing.T) {
	addr := serve(t, func(c net.Conn) {
		_, _ = c.Write(wire.MustEncode(wire.LoginRefused{Nick: "bob"}))
		_, _ = io.Copy(io.Discard, c)
	})
	c := dial(t, addr, Options{Timeout: 100 * time.Millisecond})
	_, err := c.Expect(matcherFor(wire.LoginAccepted{Nick: "bob"}), 0)
	var ee *ExpectError
	require.ErrorAs(t, err, &ee)
	assert.ErrorIs(t, err, ErrNoMatch)
	assert.Equal(t, []string{`LOGIN_ACCEPTED(1) nick="bob"`}, ee.Want)
	assert.Equal(t, []string{`LOGIN_REFUSED(2) nick="bob"`}, ee.Got)
}

func TestHostileServerBytesAreBounded(t *testing.T) {
	addr := serve(t, func(c net.Conn) {
		junk := make([]byte, 64<<10)
		for i := range junk {
			junk[i] = byte(wire.OpEstablished) // endless valid 1-byte frames
		}
		for {
			if _, err := c.Write(junk); err != nil {
				return
			}
		}
	})
	// The cap is reached in a few thousand packets; the timeout is only a
	// backstop, long enough for a loaded machine under -race.
	c := dial(t, addr, Options{Timeout: 60 * time.Second, ByteCap: 4 << 10})
	t.Cleanup(func() {})
	_, err := c.Expect(matcherFor(wire.LoginAccepted{Nick: "never"}), 0)
	assert.ErrorIs(t, err, ErrByteCap)
	var ee *ExpectError
	require.ErrorAs(t, err, &ee)
	assert.LessOrEqual(t, len(ee.Got), maxShown+1, "a failure lists a bounded number of packets")
}

func TestUndecodableFrameIsNamed(t *testing.T) {
	addr := serve(t, func(c net.Conn) {
		_, _ = c.Write([]byte{0x01, 0x7f, 0xff, 0xff, 0xff})
		_, _ = io.Copy(io.Discard, c)
	})
	c := dial(t, addr, Options{Timeout: time.Second})
	_, err := c.Expect(matcherFor(wire.LoginAccepted{Nick: "bob"}), 0)
	assert.ErrorIs(t, err, ErrBadFrame)
	assert.Contains(t, err.Error(), "length above cap")
}

func TestExpectClosedAndRaw(t *testing.T) {
	addr := serve(t, func(c net.Conn) {
		_, _ = c.Write(append(wire.MustEncode(wire.Established{}), "raw\xffbytes"...))
	})
	c := dial(t, addr, Options{Timeout: time.Second})
	_, err := c.Expect(matcherFor(wire.Established{}), 0)
	require.NoError(t, err)
	got, err := c.ReadRaw(9, time.Second)
	require.NoError(t, err)
	assert.Equal(t, "raw\xffbytes", string(got))
	assert.NoError(t, c.WaitRawClosed(time.Second))
}

func TestExpectNoneCatchesWhatMustNotArrive(t *testing.T) {
	addr := serve(t, func(c net.Conn) {
		_, _ = c.Write(wire.MustEncode(wire.PublicMessage{From: "a", Text: "secret"}))
		_, _ = io.Copy(io.Discard, c)
	})
	c := dial(t, addr, Options{Timeout: time.Second})
	err := c.ExpectNone(matcherFor(wire.PublicMessage{From: "a", Text: "secret"}), 300*time.Millisecond)
	assert.Error(t, err)
	assert.NoError(t, c.ExpectNone(matcherFor(wire.PublicMessage{From: "a", Text: "other"}), 50*time.Millisecond))
}

func matcherFor(p wire.Packet) Matcher {
	return Matcher{Want: []string{p.String()}, Match: func(got wire.Packet) bool { return got == p }}
}
