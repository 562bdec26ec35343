package chatos

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/require"
)

// COP-R-4: a client that stops reading never delays others. A flood of
// private messages to a stalled client fills its queue and it is
// disconnected (its nickname is released, so a probe gets 6), while another
// pair keeps exchanging messages the whole time.
func TestSlowReaderDisconnectedOthersServed(t *testing.T) {
	ts := start(t)
	ts.login(t, "stalled") // never read again
	flooder := ts.login(t, "flooder")
	carol, dave, watcher := ts.login(t, "carol"), ts.login(t, "dave"), ts.login(t, "watcher")

	var stop atomic.Bool
	defer stop.Store(true)
	go flood(flooder, &stop, wire.PrivateMessage{To: "stalled", Text: strings.Repeat("😀", 512)})
	deadline := time.Now().Add(2 * waitFor)
	for round := 0; ; round++ {
		require.True(t, time.Now().Before(deadline), "stalled client never disconnected")
		text := fmt.Sprintf("ping %d", round)
		carol.send(wire.PrivateMessage{To: "dave", Text: text})
		dave.expect(text, equal(wire.PrivateMessage{From: "carol", To: "dave", Text: text}))
		if watcher.probeGone("stalled", round) {
			return
		}
	}
}

// flood writes p to c until stop is set or a write fails.
func flood(c *client, stop *atomic.Bool, p wire.Packet) {
	frame := wire.Append(nil, p)
	_ = c.nc.SetWriteDeadline(time.Now().Add(2 * waitFor))
	for !stop.Load() {
		if _, err := c.nc.Write(frame); err != nil {
			return
		}
	}
}

// probeGone sends a private message to nick and a public marker; it reports
// whether a 6 for nick came back before the marker.
func (c *client) probeGone(nick string, round int) bool {
	c.t.Helper()
	mark := wire.PublicMessage{From: c.name, Text: fmt.Sprintf("probe %d", round)}
	c.send(wire.PrivateMessage{To: nick, Text: "probe"})
	c.send(mark)
	gone := false
	c.expect("probe marker", func(p wire.Packet) bool {
		gone = gone || p == wire.Packet(wire.UnknownUser{Name: nick})
		return p == wire.Packet(mark)
	})
	return gone
}
