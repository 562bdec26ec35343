package load

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// maxBridgeLine bounds one line read from a private connection.
const maxBridgeLine = 64 << 10

// bridgeHalf is one client's half of a ChatOS private connection: a fresh
// connection that presents the connect id (10), waits for 11, then writes
// and reads lines of text, each a unique token the history checker judges
// like a message for the far end only.
type bridgeHalf struct {
	c      *chatosClient
	name   string
	id     int64
	peer   string
	ready  atomic.Bool
	mu     sync.Mutex
	conn   net.Conn
	closed bool
	wmu    sync.Mutex
}

// ask sends a private-connection request (3) to a random other client,
// once per client, so a run holds about one private connection per client.
func (c *chatosClient) ask(rng *rand.Rand) error {
	c.asked = true
	peer := c.w.nicks[(c.i+1+rng.IntN(len(c.w.nicks)-1))%len(c.w.nicks)]
	return c.write(wire.PrivateRequest{From: c.nick, To: peer})
}

// negotiate answers what the server sends about private connections: every
// request to this client is accepted (7, in the request's field order), and
// every connect id (9) opens this client's half.
func (c *chatosClient) negotiate(p wire.Packet) {
	switch m := p.(type) {
	case wire.PrivateRequest:
		if m.To == c.nick {
			_ = c.write(wire.PrivateAccept{From: m.From, To: c.nick})
		}
	case wire.ConnectID:
		peer := m.To
		if peer == c.nick {
			peer = m.From
		}
		c.openBridge(m.ID, peer)
	}
}

// openBridge starts a half for connect id, unless the client is closing.
func (c *chatosClient) openBridge(id int64, peer string) {
	c.bmu.Lock()
	defer c.bmu.Unlock()
	if c.closing {
		return
	}
	b := &bridgeHalf{c: c, name: fmt.Sprintf("%s/bridge%d", c.nick, len(c.bridges)), id: id, peer: peer}
	c.bridges = append(c.bridges, b)
	c.bwg.Go(b.run)
}

// someBridge is one of the client's joined halves, or nil.
func (c *chatosClient) someBridge(rng *rand.Rand) *bridgeHalf {
	c.bmu.Lock()
	defer c.bmu.Unlock()
	if len(c.bridges) == 0 {
		return nil
	}
	if b := c.bridges[rng.IntN(len(c.bridges))]; b.ready.Load() {
		return b
	}
	return nil
}

// closeBridges closes every half and waits for their goroutines.
func (c *chatosClient) closeBridges() {
	c.bmu.Lock()
	c.closing = true
	bridges := c.bridges
	c.bmu.Unlock()
	for _, b := range bridges {
		b.close()
	}
	c.bwg.Wait()
	for _, b := range bridges {
		if b.began() {
			c.w.log.Identity(b.name, transcript.EvEnded, "", "")
		}
	}
}

// run connects, presents the id, waits for 11 and reads lines until the
// connection ends.
func (b *bridgeHalf) run() {
	w := b.c.w
	d := net.Dialer{Timeout: w.cfg.Timeout}
	conn, err := d.Dial("tcp", w.cfg.Addr)
	if err != nil {
		return
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		_ = conn.Close()
		return
	}
	b.conn = conn
	b.mu.Unlock()
	w.log.Bridge(b.name, transcript.EvBegin, b.id, b.c.nick, b.peer)
	_ = conn.SetWriteDeadline(time.Now().Add(w.cfg.Timeout))
	_, _ = conn.Write(wire.Append(nil, wire.PresentID{ID: b.id}))
	in := wire.NewReader(&capped{r: conn, left: byteCap}, 0)
	_ = conn.SetReadDeadline(time.Now().Add(w.cfg.Timeout))
	if p, _, err := in.Next(); err != nil || p != (wire.Established{}) {
		b.ended()
		return
	}
	w.log.Bridge(b.name, transcript.EvBegun, b.id, b.c.nick, b.peer)
	b.ready.Store(true)
	b.readLines(conn, in)
}

// readLines records every line that arrives as bytes received on the
// private connection.
func (b *bridgeHalf) readLines(conn net.Conn, in *wire.Reader) {
	r := bufio.NewReaderSize(in, maxBridgeLine)
	for {
		_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
		line, err := r.ReadSlice('\n')
		switch {
		case err == nil:
			b.c.w.log.Got(b.name, transcript.TopicBridge, "", "", string(line[:len(line)-1]))
		case errors.Is(err, os.ErrDeadlineExceeded):
		case errors.Is(err, bufio.ErrBufferFull):
			b.c.w.log.Got(b.name, transcript.TopicBridge, "", "", string(line))
		default:
			b.ended()
			return
		}
	}
}

// say writes one token as a line into the private connection.
func (b *bridgeHalf) say(text string) error {
	b.c.w.log.Sent(b.name, transcript.TopicBridge, b.peer, nil, text)
	b.wmu.Lock()
	defer b.wmu.Unlock()
	_ = b.conn.SetWriteDeadline(time.Now().Add(b.c.w.cfg.Timeout))
	if _, err := b.conn.Write([]byte(text + "\n")); err != nil {
		return fmt.Errorf("%s: write: %w", b.name, err)
	}
	return nil
}

// ended records that the server ended (or never joined) the half, unless
// chatspec closed it.
func (b *bridgeHalf) ended() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.closed {
		b.c.w.log.Identity(b.name, transcript.EvEnded, "", "")
		_ = b.conn.Close()
	}
}

func (b *bridgeHalf) began() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.conn != nil
}

// close ends the half: its identity ends with it.
func (b *bridgeHalf) close() {
	b.mu.Lock()
	b.closed = true
	conn := b.conn
	b.mu.Unlock()
	if conn != nil {
		b.c.w.log.Identity(b.name, transcript.EvEnd, "", "")
		_ = conn.Close()
	}
}
