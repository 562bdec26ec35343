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

// TestPresentRecordsWhoseBridgeAndWithWhom: a 10 begins a bridge identity
// (connect id, owner, far end) and the 11 that answers it confirms the same
// identity; a connection that never presented an id records no bridge for
// an 11 it did not ask for.
func TestPresentRecordsWhoseBridgeAndWithWhom(t *testing.T) {
	addr := serve(t, func(c net.Conn) {
		in := wire.NewReader(c, 0)
		if p, _, err := in.Next(); err == nil && p == (wire.PresentID{ID: 4242}) {
			_, _ = c.Write(wire.Append(nil, wire.Established{}))
		}
		_, _ = io.Copy(io.Discard, c)
	})
	log := transcript.New()
	c, err := Dial(context.Background(), addr, "alice/private", log, Options{Timeout: time.Second})
	require.NoError(t, err)
	require.NoError(t, c.Present(4242, "alice_x", "bob_x"))
	_, err = c.Expect(matcherFor(wire.Established{}), 0)
	require.NoError(t, err)
	require.NoError(t, c.Close())
	var got []transcript.Event
	evs, _ := log.Events()
	for _, ev := range evs {
		ev.At = 0
		got = append(got, ev)
	}
	assert.Equal(t, []transcript.Event{
		{Conn: "alice/private", Kind: transcript.EvBegin, Topic: transcript.TopicBridge, Key: "4242", From: "alice_x", With: "bob_x"},
		{Conn: "alice/private", Kind: transcript.EvBegun, Topic: transcript.TopicBridge, Key: "4242", From: "alice_x", With: "bob_x"},
		{Conn: "alice/private", Kind: transcript.EvEnd},
		{Conn: "alice/private", Kind: transcript.EvEnded},
	}, got)

	unasked := serve(t, func(c net.Conn) {
		_, _ = c.Write(wire.Append(nil, wire.Established{}))
		_, _ = io.Copy(io.Discard, c)
	})
	log = transcript.New()
	c, err = Dial(context.Background(), unasked, "carol", log, Options{Timeout: time.Second})
	require.NoError(t, err)
	_, err = c.Expect(matcherFor(wire.Established{}), 0)
	require.NoError(t, err)
	evs, _ = log.Events()
	assert.Empty(t, evs)
	_ = c.Close()
}
