package patchat

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Defaults for Config fields left zero.
const (
	DefaultAddr         = "127.0.0.1:8083"
	DefaultCapacity     = 100
	DefaultMaxLine      = 4096
	DefaultWriteQueue   = 256
	DefaultWriteTimeout = 10 * time.Second
	DefaultHashCost     = bcrypt.DefaultCost
)

// lingerTimeout bounds how long a closing connection (after BYE or a
// refusal) waits for the client to close its side, so the last reply is not
// destroyed by a reset.
const lingerTimeout = 2 * time.Second

// Config configures a server. The zero value serves the reference wording on
// DefaultAddr with accounts in memory only.
type Config struct {
	Addr         string        // ListenAndServe address; "" means DefaultAddr
	AddressFile  string        // if set, the listen address is written here atomically once listening: its appearance means ready
	AccountsFile string        // "username<TAB>bcrypt-hash" per line; "" keeps accounts in memory only
	Capacity     int           // connections at once, logged in or not; 0 means DefaultCapacity
	MaxLine      int           // longest input line in bytes (without "\r\n"); 0 means DefaultMaxLine
	Style        string        // StyleLine (default) or StyleMenu (test-only variant)
	Faults       Faults        // deliberate bugs; zero value is the correct server
	Logger       *slog.Logger  // nil discards logs
	IdleTimeout  time.Duration // close a connection silent this long; 0 means never
	WriteQueue   int           // outgoing chunks queued per client before it is dropped; 0 means DefaultWriteQueue
	WriteTimeout time.Duration // deadline for one write to a client; 0 means DefaultWriteTimeout
	// HashCost is the bcrypt cost for new accounts; 0 means bcrypt.DefaultCost.
	// Tests and embedded conformance runs may pass bcrypt.MinCost: at the
	// default cost a hash takes tens of milliseconds, which makes 100-user runs slow.
	HashCost int
}

// withDefaults fills the zero fields.
func (c Config) withDefaults() Config {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.Capacity <= 0 {
		c.Capacity = DefaultCapacity
	}
	if c.MaxLine <= 0 {
		c.MaxLine = DefaultMaxLine
	}
	if c.Style == "" {
		c.Style = StyleLine
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.WriteQueue <= 0 {
		c.WriteQueue = DefaultWriteQueue
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.HashCost == 0 {
		c.HashCost = DefaultHashCost
	}
	return c
}

// Server is a Pat Chat reference server. Each call of Serve starts from the
// accounts file and an empty set of rooms.
type Server struct {
	cfg Config
}

// New returns a server for cfg (zero fields get their defaults). Errors in
// cfg are reported by Serve.
func New(cfg Config) *Server { return &Server{cfg: cfg.withDefaults()} }

// Serve is New(cfg).Serve(ctx, ln).
func Serve(ctx context.Context, ln net.Listener, cfg Config) error { return New(cfg).Serve(ctx, ln) }

// ListenAndServe listens on cfg.Addr (DefaultAddr if empty) and serves until ctx is cancelled.
func ListenAndServe(ctx context.Context, cfg Config) error { return New(cfg).ListenAndServe(ctx) }

// ListenAndServe loads everything the server needs, then listens on the
// configured address and serves it as Serve does. The slow part (the accounts
// file) comes before listening, so the address file follows the listen at once.
func (s *Server) ListenAndServe(ctx context.Context) error {
	h, err := s.prepare()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("patchat: listen: %w", err)
	}
	return s.start(ctx, ln, h)
}

// Serve loads the accounts, writes the address file if configured, and serves
// ln until ctx is cancelled. It then closes ln and every connection, waits
// for their goroutines and returns nil (graceful shutdown). It returns an
// error if the configuration or accounts file is bad, or Accept fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	h, err := s.prepare()
	if err != nil {
		_ = ln.Close()
		return err
	}
	return s.start(ctx, ln, h)
}

// prepare checks the style and loads the accounts into a hub ready to serve.
func (s *Server) prepare() (*hub, error) {
	st, err := lookupStyle(s.cfg.Style)
	if err != nil {
		return nil, err
	}
	acc, err := LoadAccounts(s.accountsFile(), s.cfg.HashCost)
	if err != nil {
		return nil, err
	}
	if s.cfg.Faults.AccountsTrailingSpace {
		acc.keySuffix = " "
	}
	return newHub(s.cfg, st, acc), nil
}

// start writes the address file (atomically, before the first Accept: once
// it exists the server is listening) and serves ln until ctx is cancelled.
func (s *Server) start(ctx context.Context, ln net.Listener, h *hub) error {
	defer ln.Close()
	if s.cfg.AddressFile != "" {
		if err := writeFileAtomic(s.cfg.AddressFile, []byte(ln.Addr().String()+"\n"), 0o644); err != nil {
			return fmt.Errorf("patchat: write address file: %w", err)
		}
	}
	s.cfg.Logger.Info("patchat serving", "addr", ln.Addr().String(), "style", h.style.name,
		"capacity", s.cfg.Capacity, "faults", s.cfg.Faults.String())
	return h.serve(ctx, ln)
}

// hub is one running server: the Core, the accounts and the live connections.
type hub struct {
	cfg      Config
	style    style
	accounts *Accounts
	log      *slog.Logger

	mu     sync.Mutex // guards core, conns and nextID
	core   *Core
	conns  map[SessionID]*conn
	nextID SessionID

	wg sync.WaitGroup // one per connection goroutine

	loginMu sync.Mutex   // SerialLogins fault: held by the connection going through login
	ln      net.Listener // closed by exit, the Exit* faults' "process exit"
	exited  atomic.Value // string: why exit was called
}

func newHub(cfg Config, st style, acc *Accounts) *hub {
	return &hub{
		cfg: cfg, style: st, accounts: acc, log: cfg.Logger,
		core:  NewCore(coreCapacity(cfg), cfg.Faults),
		conns: map[SessionID]*conn{},
	}
}

// serve accepts until ctx is cancelled or Accept fails, then waits for every
// connection to end. Cancelling ctx closes the listener and each connection.
func (h *hub) serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stop()
	h.ln = ln
	var err error
	for {
		nc, aerr := ln.Accept()
		if aerr != nil {
			if ctx.Err() == nil {
				err = fmt.Errorf("patchat: accept: %w", aerr)
			}
			break
		}
		h.wg.Add(1)
		go func() {
			defer h.wg.Done()
			h.handle(ctx, nc)
		}()
	}
	cancel()
	h.wg.Wait()
	h.log.Info("patchat stopped")
	if why, _ := h.exited.Load().(string); why != "" {
		return fmt.Errorf("%w: %s", ErrExited, why)
	}
	return err
}
