package chatos

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/chatspec/chatspec/transcript"
)

// ReadRaw reads raw bytes (a bridged private connection carries no frames,
// reading A10) until n bytes have arrived, the server closes, or the wait
// runs out. It returns what arrived in every case.
func (c *Client) ReadRaw(n int, wait time.Duration) ([]byte, error) {
	deadline := time.Now().Add(wait)
	out := make([]byte, 0, min(n, 1<<20))
	buf := make([]byte, 4096)
	for len(out) < n {
		_ = c.conn.SetReadDeadline(deadline)
		k, err := c.in.Read(buf[:min(len(buf), n-len(out))])
		if k > 0 {
			c.log.Add(c.Name, transcript.Received, buf[:k], fmt.Sprintf("%d raw bytes", k))
			out = append(out, buf[:k]...)
		}
		switch {
		case err == nil:
		case errors.Is(err, os.ErrDeadlineExceeded):
			return out, fmt.Errorf("%w: %d of %d bytes after %v", ErrNoMatch, len(out), n, wait)
		case errors.Is(err, errCap):
			// chatspec stopped reading; the server did not close anything.
			c.log.Notef(c.Name, "byte cap of %d reached; no longer reading", c.opts.ByteCap)
			return out, fmt.Errorf("%w (%d bytes)", ErrByteCap, c.opts.ByteCap)
		case errors.Is(err, io.EOF) || isReset(err):
			c.log.Notef(c.Name, "closed by the server")
			return out, ErrClosed
		default:
			return out, err
		}
	}
	return out, nil
}

// WaitRawClosed reads and discards raw bytes until the server closes the
// connection; it fails with ErrStillOpen if the wait runs out first, or if
// the byte cap stops chatspec reading (a cap is never a close).
func (c *Client) WaitRawClosed(wait time.Duration) error {
	_, err := c.ReadRaw(1<<30, wait)
	switch {
	case errors.Is(err, ErrClosed):
		return nil
	case errors.Is(err, ErrNoMatch), errors.Is(err, ErrByteCap):
		c.log.Notef(c.Name, "still open after %v", wait)
		return fmt.Errorf("%w (%v)", ErrStillOpen, err)
	}
	return err
}
