package load

import (
	"context"
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

// byteCap bounds what one load client reads from the server.
const byteCap = 256 << 20

// chatosClient is one ChatOS user: a reader goroutine records every
// message that arrives; act writes one public or private message.
type chatosClient struct {
	w      *world
	i      int
	nick   string
	conn   net.Conn
	in     *wire.Reader
	n      int
	done   chan struct{}
	closed atomic.Bool
	wmu    sync.Mutex
	asked  bool // it asked someone for a private connection

	bmu     sync.Mutex // guards bridges and closing
	bridges []*bridgeHalf
	closing bool
	bwg     sync.WaitGroup
}

// connectChatOS dials and logs client i in.
func (w *world) connectChatOS(ctx context.Context, i int) (client, error) {
	d := net.Dialer{Timeout: w.cfg.Timeout}
	conn, err := d.DialContext(ctx, "tcp", w.cfg.Addr)
	if err != nil {
		return nil, err
	}
	c := &chatosClient{w: w, i: i, nick: w.nicks[i], conn: conn, done: make(chan struct{}),
		in: wire.NewReader(&capped{r: conn, left: byteCap}, 0)}
	w.log.Identity(c.nick, transcript.EvBegin, transcript.TopicLogin, c.nick)
	if err := c.write(wire.Login{Nick: c.nick}); err != nil {
		return nil, c.fail(err)
	}
	_ = conn.SetReadDeadline(time.Now().Add(w.cfg.Timeout))
	p, _, err := c.in.Next()
	if err != nil {
		return nil, c.fail(err)
	}
	if _, ok := p.(wire.LoginAccepted); !ok {
		return nil, c.fail(fmt.Errorf("login answered with %s", p))
	}
	w.log.Identity(c.nick, transcript.EvBegun, transcript.TopicLogin, c.nick)
	go c.read()
	return c, nil
}

func (c *chatosClient) fail(err error) error {
	_ = c.conn.Close()
	return fmt.Errorf("%s: %w", c.nick, err)
}

func (c *chatosClient) write(p wire.Packet) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.conn.SetWriteDeadline(time.Now().Add(c.w.cfg.Timeout))
	_, err := c.conn.Write(wire.Append(nil, p))
	return err
}

// read records messages until the connection ends.
func (c *chatosClient) read() {
	defer close(c.done)
	for {
		_ = c.conn.SetReadDeadline(time.Now().Add(time.Minute))
		p, _, err := c.in.Next()
		if err != nil {
			if !c.closed.Load() && !errors.Is(err, os.ErrDeadlineExceeded) {
				c.w.log.Identity(c.nick, transcript.EvEnded, "", "") // the server ended it
				c.w.log.Raw(c.nick, []byte("read ended: "+err.Error()))
			}
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				return
			}
			continue
		}
		switch m := p.(type) {
		case wire.PublicMessage:
			c.w.log.Got(c.nick, transcript.TopicPublic, m.From, "", m.Text)
		case wire.PrivateMessage:
			c.w.log.Got(c.nick, transcript.TopicPrivate, m.From, "", m.Text)
		default:
			c.negotiate(p)
		}
	}
}

// act asks for a private connection (once, one time in twelve), writes
// into a private connection it has (one time in four), or writes a public
// message (two times in three of the rest) or a private one to a random
// other client.
func (c *chatosClient) act(_ context.Context, rng *rand.Rand) error {
	c.n++
	text := fmt.Sprintf("%s-%d-%d", c.w.run, c.i, c.n)
	switch r := rng.IntN(12); {
	case r == 0 && !c.asked:
		return c.ask(rng)
	case r < 4:
		if b := c.someBridge(rng); b != nil {
			return b.say(text)
		}
	}
	var p wire.Packet = wire.PublicMessage{From: c.nick, Text: text}
	topic, to := transcript.TopicPublic, ""
	if rng.IntN(3) == 0 {
		to = c.w.nicks[(c.i+1+rng.IntN(len(c.w.nicks)-1))%len(c.w.nicks)]
		p, topic = wire.PrivateMessage{From: c.nick, To: to, Text: text}, transcript.TopicPrivate
	}
	c.w.log.Sent(c.nick, topic, to, nil, text)
	return c.write(p)
}

// close ends the connection; its identities end with it.
func (c *chatosClient) close() {
	c.closeBridges()
	c.closed.Store(true)
	c.w.log.Identity(c.nick, transcript.EvEnd, "", "")
	_ = c.conn.Close()
	<-c.done
	c.w.log.Identity(c.nick, transcript.EvEnded, "", "")
}

// capped stops reading after a byte budget, so a server that streams
// forever cannot grow a load client without bound.
type capped struct {
	r    net.Conn
	left int64
}

var errCapped = errors.New("load: byte cap reached")

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errCapped
	}
	p = p[:min(int64(len(p)), c.left)]
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
