package patchat

import (
	"errors"
	"sync"
	"unicode/utf8"
)

// This file holds the pieces of the fault switches that do not fit in one
// line of the code they break. None runs unless its fault is on.

// ErrExited is what Serve returns after an Exit* fault stopped the server:
// from outside it looks like a process that died.
var ErrExited = errors.New("patchat: server exited")

// exit stops the whole server as a crashed process would: the listener
// closes, and with it every connection.
func (h *hub) exit(why string) {
	h.exited.CompareAndSwap(nil, why)
	h.log.Error("server exiting (fault)", "why", why)
	_ = h.ln.Close()
}

// accountsFile is where accounts are kept: nowhere under AccountsNotSaved.
func (s *Server) accountsFile() string {
	if s.cfg.Faults.AccountsNotSaved {
		return ""
	}
	return s.cfg.AccountsFile
}

// coreCapacity is the capacity the core enforces: none under NoCapacityLimit.
func coreCapacity(cfg Config) int {
	if cfg.Faults.NoCapacityLimit {
		return 1 << 30
	}
	return cfg.Capacity
}

// filter cleans an input line (P9), or under RawControlBytes passes it as it
// is, or under ControlBytesRelayed drops a line that is not UTF-8 and passes
// the rest raw. false drops the line.
func (h *hub) filter(line string) (string, bool) {
	switch f := h.cfg.Faults; {
	case f.RawControlBytes:
		return line, true
	case f.ControlBytesRelayed:
		return line, utf8.ValidString(line)
	}
	return Sanitize(line), true
}

// serialLogin is SerialLogins: a connection holds one server-wide lock from
// its greeting until it has logged in or gone. It returns the release.
func (h *hub) serialLogin(c *conn) func() {
	if !h.cfg.Faults.SerialLogins {
		return func() {}
	}
	h.loginMu.Lock()
	var once sync.Once
	release := func() { once.Do(h.loginMu.Unlock) }
	c.loggedIn = release
	return release
}

// staysListed says whether a departing member leaves its name behind:
// VanishedStaysListed for a drop, ExitCommandStaysListed for exit.
func (c *Core) staysListed(exited bool) bool {
	return !exited && c.faults.VanishedStaysListed || exited && c.faults.ExitCommandStaysListed
}

// left remembers a room a session left (RejoinListedTwice only).
func (c *Core) left(s *session, name string) {
	if c.faults.RejoinListedTwice {
		if s.left == nil {
			s.left = map[string]bool{}
		}
		s.left[name] = true
	}
}

// rejoined is RejoinListedTwice: joining again a room one left adds the
// name a second time to the room's list.
func (c *Core) rejoined(s *session, r *room) {
	if s.left[r.name] && !r.members[s.id] {
		r.ghosts = append(r.ghosts, s.user)
		delete(s.left, r.name)
	}
}
