package chatos

import (
	"errors"
	"net"
)

var errCap = errors.New("byte cap reached")

// countingConn stops reading once cap bytes have arrived, so a server that
// streams forever cannot make a scenario hold unbounded memory.
type countingConn struct {
	net.Conn
	cap, n int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	if c.n >= c.cap {
		return 0, errCap
	}
	if rest := c.cap - c.n; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := c.Conn.Read(p)
	c.n += int64(n)
	return n, err
}
