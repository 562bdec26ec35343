package patchat

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// conn is one admitted connection: its reader runs in handle's goroutine,
// its writer in a goroutine of its own fed by a bounded queue.
type conn struct {
	id       SessionID
	nc       net.Conn
	log      *slog.Logger
	out      chan chunk    // bounded outgoing queue; never closed
	finish   chan struct{} // closed by the reader: flush the queue, then stop
	done     chan struct{} // closed when the writer has stopped
	wtimeout time.Duration
	dropped  atomic.Bool // the client fell behind and was disconnected
	loggedIn func()      // SerialLogins fault: lets the next connection log in
}

// enqueue queues ch without blocking. A client whose queue is full is not
// reading: it is disconnected, so it can never delay anyone else.
func (c *conn) enqueue(ch chunk) {
	select {
	case c.out <- ch:
	default:
		if c.dropped.CompareAndSwap(false, true) {
			c.log.Warn("client not reading, disconnected", "queue", cap(c.out))
			_ = c.nc.Close()
		}
	}
}

func (c *conn) send(chunks []chunk) {
	for _, ch := range chunks {
		c.enqueue(ch)
	}
}

// handle serves one connection until it ends or ctx is cancelled. It returns
// only after the connection's writer goroutine has stopped and nc is closed.
func (h *hub) handle(ctx context.Context, nc net.Conn) {
	stop := context.AfterFunc(ctx, func() { _ = nc.Close() })
	defer stop()
	defer nc.Close()
	c, first := h.admit(nc)
	if c == nil {
		h.refuse(nc, first)
		return
	}
	defer h.serialLogin(c)()
	go c.writeLoop()
	fe := h.style.newFront()
	c.send(fe.render(first))
	graceful := h.readLoop(c, fe)
	if !graceful && h.cfg.Faults.ExitOnVanish && ctx.Err() == nil {
		h.exit("client dropped without exit: write to a closed socket")
	}
	h.mu.Lock()
	h.core.Step(c.id, Vanish{}) // no-op after exit
	delete(h.conns, c.id)
	h.mu.Unlock()
	close(c.finish)
	<-c.done
	if graceful {
		linger(nc)
	}
	c.log.Debug("connection closed", "graceful", graceful)
}

// admit asks the Core for a place and registers the connection. It returns
// nil and the refusal event when the server is full.
func (h *hub) admit(nc net.Conn) (*conn, Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.nextID++
	id := h.nextID
	outs := h.core.Step(id, Connect{})
	if len(outs) != 1 || outs[0].Event.Kind != KindGreeting {
		return nil, Event{Kind: KindFull, N: h.cfg.Capacity}
	}
	c := &conn{
		id: id, nc: nc,
		log:      h.log.With("session", uint64(id), "remote", nc.RemoteAddr().String()),
		out:      make(chan chunk, h.cfg.WriteQueue),
		finish:   make(chan struct{}),
		done:     make(chan struct{}),
		wtimeout: h.cfg.WriteTimeout,
	}
	h.conns[id] = c
	c.log.Debug("connection accepted")
	return c, outs[0].Event
}

// refuse answers a connection over capacity and closes it; under
// SilentDropOverCapacity it holds the connection open and never answers.
func (h *hub) refuse(nc net.Conn, ev Event) {
	h.log.Warn("connection refused: server full", "remote", nc.RemoteAddr().String(), "capacity", ev.N)
	if h.cfg.Faults.SilentDropOverCapacity {
		_, _ = io.Copy(io.Discard, nc) // until the client or shutdown closes it
		return
	}
	if h.cfg.Faults.BareCloseOverCapacity {
		return
	}
	_ = nc.SetWriteDeadline(time.Now().Add(h.cfg.WriteTimeout))
	for _, ch := range h.style.newFront().render(ev) {
		if _, err := nc.Write(ch.data); err != nil {
			return
		}
	}
	linger(nc)
}

// linger half-closes nc and reads until the client closes (bounded in time
// and size), so the last reply is not lost to a reset caused by unread input.
func linger(nc net.Conn) {
	if cw, ok := nc.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
	_ = nc.SetReadDeadline(time.Now().Add(lingerTimeout))
	_, _ = io.CopyN(io.Discard, nc, 64<<10)
}

// readLoop reads lines until the connection ends. It reports whether it ended
// by the server's choice after a closing reply (exit). A panic is logged and
// ends only this connection.
func (h *hub) readLoop(c *conn, fe frontEnd) (graceful bool) {
	defer func() {
		if v := recover(); v != nil {
			c.log.Error("panic in connection", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			graceful = false
		}
	}()
	lr := h.style.inputs(c.nc, h.cfg.MaxLine)
	for {
		if h.cfg.IdleTimeout > 0 {
			_ = c.nc.SetReadDeadline(time.Now().Add(h.cfg.IdleTimeout))
		}
		line, err := lr.next()
		if errors.Is(err, ErrLineTooLong) && h.cfg.Faults.ExitOnLongLine {
			h.exit("line over the limit: buffer overflow")
			return false
		}
		if errors.Is(err, ErrLineTooLong) {
			c.send(fe.render(Event{Kind: KindLineTooLong}))
			continue
		}
		if err != nil {
			c.log.Debug("read ended", "err", err)
			return false
		}
		line, ok := h.filter(line)
		if !ok {
			continue
		}
		if h.dispatch(c, fe, line) {
			return true
		}
	}
}

// dispatch carries out one input line and reports whether the connection
// is to be closed.
func (h *hub) dispatch(c *conn, fe frontEnd, line string) (closing bool) {
	req := fe.input(line)
	c.send(req.prompt)
	for _, ev := range req.local {
		c.send(fe.render(ev))
	}
	switch {
	case req.register != nil:
		c.send(fe.render(h.register(req.register)))
	case req.login != nil:
		ok := h.accounts.Verify(req.login.user, req.login.pass, h.cfg.Faults.AcceptWrongPassword)
		c.log.Info("login attempt", "user", req.login.user, "password_ok", ok)
		return h.step(c, fe, Login{User: req.login.user, PasswordOK: ok})
	case req.cmd != nil:
		h.crashOnLongRoomName(req.cmd)
		return h.step(c, fe, req.cmd)
	}
	return false
}

// register creates an account and says how it went.
func (h *hub) register(cr *credentials) Event {
	err := h.accounts.Register(cr.user, cr.pass, h.cfg.Faults.DuplicateUsername)
	switch {
	case err == nil:
		h.log.Info("account registered", "user", cr.user)
		return Event{Kind: KindRegistered, User: cr.user}
	case errors.Is(err, ErrUserExists):
		return Event{Kind: KindUserExists, User: cr.user}
	case errors.Is(err, ErrBadUsername):
		return Event{Kind: KindBadUsername}
	case errors.Is(err, ErrBadPassword):
		return Event{Kind: KindBadPassword}
	}
	h.log.Error("registration failed", "user", cr.user, "err", err)
	return Event{Kind: KindInternal}
}

// step runs cmd through the Core. Events for other sessions are queued while
// the lock is held, so every client sees messages in the Core's order; the
// sender's own replies are rendered by its front end afterwards.
func (h *hub) step(c *conn, fe frontEnd, cmd Command) (closing bool) {
	var mine []Event
	h.mu.Lock()
	for _, o := range h.core.Step(c.id, cmd) {
		if o.To == c.id {
			mine = append(mine, o.Event)
		} else if other := h.conns[o.To]; other != nil && o.Event.Kind == KindMessage {
			other.enqueue(chunk{data: h.style.message(o.Event)})
		}
	}
	h.mu.Unlock()
	for _, ev := range mine {
		c.send(fe.render(ev))
		closing = closing || ev.Kind.closes() && !(ev.Kind == KindBye && h.cfg.Faults.ExitCommandKeepsSocket)
		if ev.Kind == KindWelcome && c.loggedIn != nil {
			c.loggedIn()
		}
	}
	return closing
}

// crashOnLongRoomName is the PanicOnLongRoomName fault: a panic in a fresh
// goroutine, out of reach of every recover, so the whole process dies.
func (h *hub) crashOnLongRoomName(cmd Command) {
	if cr, ok := cmd.(Create); ok && h.cfg.Faults.PanicOnLongRoomName && len(cr.Room) > panicRoomLen {
		go func() {
			panic(fmt.Sprintf("patchat: room name of %d bytes (fault panic-on-long-room-name)", len(cr.Room)))
		}()
		select {} // this connection never answers; the process is about to die
	}
}
