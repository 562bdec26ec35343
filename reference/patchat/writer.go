package patchat

import (
	"fmt"
	"runtime/debug"
	"time"
)

// maxBatch bounds how many queued bytes one write gathers.
const maxBatch = 64 << 10

// writeLoop writes queued chunks until finish is closed (then it writes what
// is still queued and stops) or a write fails (then it closes the connection,
// which ends the reader too). Queued chunks are gathered into one write, so
// replies and room messages that queue up together are coalesced; a chunk
// marked flush ends its write.
func (c *conn) writeLoop() {
	defer close(c.done)
	defer func() {
		if v := recover(); v != nil {
			c.log.Error("panic in writer", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			_ = c.nc.Close()
		}
	}()
	for {
		select {
		case ch := <-c.out:
			if !c.writeBatch(ch) {
				return
			}
		case <-c.finish:
			c.flushRest()
			return
		}
	}
}

// flushRest writes whatever is queued after finish.
func (c *conn) flushRest() {
	for {
		select {
		case ch := <-c.out:
			if !c.writeBatch(ch) {
				return
			}
		default:
			return
		}
	}
}

// writeBatch writes first plus whatever else is queued, up to maxBatch or a
// flush mark, with a write deadline. It reports whether the write succeeded.
func (c *conn) writeBatch(first chunk) bool {
	buf := append([]byte(nil), first.data...)
	for more := !first.flush; more && len(buf) < maxBatch; {
		select {
		case ch := <-c.out:
			buf = append(buf, ch.data...)
			more = !ch.flush
		default:
			more = false
		}
	}
	if len(buf) == 0 {
		return true
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(c.wtimeout))
	if _, err := c.nc.Write(buf); err != nil {
		c.log.Debug("write failed, closing", "err", err)
		_ = c.nc.Close()
		return false
	}
	return true
}
