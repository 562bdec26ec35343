package chatos

import (
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// ErrInvalidConfig is returned (wrapped) by Config.Validate and Serve when a
// setting cannot be used.
var ErrInvalidConfig = errors.New("invalid configuration")

// The two field orders of 7 and 8 (reading A11).
const (
	// AnswerRequest: 7/8 carry (requester, receiver), the order of the 3 they answer.
	AnswerRequest = "request"
	// AnswerReversed: 7/8 carry (answerer, requester).
	AnswerReversed = "reversed"
)

// Defaults of DefaultConfig. Zero numeric fields of a Config take them too.
const (
	DefaultMaxNick      = 32
	DefaultNickChars    = "A-Za-z0-9_-"
	DefaultIdleTimeout  = 300 * time.Second
	DefaultWriteTimeout = 10 * time.Second
	DefaultMaxConns     = 1000
	DefaultQueueLen     = 1024
	DefaultSendBuffer   = 64 << 10
	DefaultMaxMessage   = 512
)

// Config sets the server's limits and behaviour where the document leaves
// them open. Zero numeric fields and an empty NickChars or AnswerOrder take
// the defaults above; EchoPublic is false in a zero Config and true in
// DefaultConfig.
type Config struct {
	// MaxNick is the longest nickname accepted, in bytes (A7).
	MaxNick int
	// NickChars is the set of characters allowed in a nickname, written as the
	// inside of a regexp bracket expression ("A-Za-z0-9_-", `\p{L}\p{N}_`).
	NickChars string
	// IdleTimeout disconnects a connection that delivers no complete packet
	// for this long (COP-5-2). It also bounds how long the first half of a
	// private connection waits for the second, and how long a bridge may
	// carry no byte in either direction.
	IdleTimeout time.Duration
	// WriteTimeout bounds one write to a client; a client that does not read
	// for this long is disconnected.
	WriteTimeout time.Duration
	// MaxConns caps the open TCP connections (main and bridge halves alike);
	// a connection beyond it is closed at once, before any byte is read.
	MaxConns int
	// QueueLen bounds the frames waiting to be written to one client; a client
	// whose queue is full is disconnected (COP-R-4).
	QueueLen int
	// SendBuffer is each connection's kernel send buffer (SO_SNDBUF), in
	// bytes. With QueueLen it bounds what a client that stopped reading can
	// hold of the server's memory before it is found too slow, instead of the
	// megabytes a kernel would otherwise buffer for it.
	SendBuffer int
	// MaxMessage is the longest message text delivered, in code points (A8).
	MaxMessage int
	// MaxString caps every String length field read from a client, in bytes;
	// a frame announcing more closes the connection before anything is
	// allocated (COP-R-1).
	MaxString int
	// AnswerOrder is AnswerRequest or AnswerReversed (A11).
	AnswerOrder string
	// EchoPublic sends a public message back to its sender too (A9).
	EchoPublic bool
	// Faults switches on deliberate bugs, to prove a conformance suite fails.
	Faults Faults
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger

	// onPacket, when set (tests only), sees each packet before it is handled.
	onPacket func(wire.Packet)
}

// DefaultConfig returns the reference server's settings: 32-byte nicknames of
// letters, digits, '_' and '-', 300 s idle timeout, 1000 connections, 256
// queued frames per client, 512 code points per message, answers in request
// order, and public messages echoed to their sender.
func DefaultConfig() Config {
	return Config{
		MaxNick:      DefaultMaxNick,
		NickChars:    DefaultNickChars,
		IdleTimeout:  DefaultIdleTimeout,
		WriteTimeout: DefaultWriteTimeout,
		MaxConns:     DefaultMaxConns,
		QueueLen:     DefaultQueueLen,
		SendBuffer:   DefaultSendBuffer,
		MaxMessage:   DefaultMaxMessage,
		MaxString:    wire.DefaultMaxString,
		AnswerOrder:  AnswerRequest,
		EchoPublic:   true,
	}
}

// withDefaults fills zero fields with the defaults.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	setIfZero(&c.MaxNick, d.MaxNick)
	setIfZero(&c.NickChars, d.NickChars)
	setIfZero(&c.IdleTimeout, d.IdleTimeout)
	setIfZero(&c.WriteTimeout, d.WriteTimeout)
	setIfZero(&c.MaxConns, d.MaxConns)
	setIfZero(&c.QueueLen, d.QueueLen)
	setIfZero(&c.SendBuffer, d.SendBuffer)
	setIfZero(&c.MaxMessage, d.MaxMessage)
	setIfZero(&c.MaxString, d.MaxString)
	setIfZero(&c.AnswerOrder, d.AnswerOrder)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

func setIfZero[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// Validate reports the first setting that cannot be used, after zero fields
// have taken their defaults.
func (c Config) Validate() error {
	_, err := c.withDefaults().rules()
	return err
}

// rules checks the configuration and resolves what the core needs.
func (c Config) rules() (rules, error) {
	switch {
	case c.MaxNick < 0, c.MaxMessage < 0, c.MaxString < 0, c.MaxConns < 0, c.QueueLen < 0, c.SendBuffer < 0:
		return rules{}, fmt.Errorf("%w: limits must not be negative", ErrInvalidConfig)
	case c.IdleTimeout < 0, c.WriteTimeout < 0:
		return rules{}, fmt.Errorf("%w: timeouts must not be negative", ErrInvalidConfig)
	case c.MaxString < 4*c.MaxMessage:
		return rules{}, fmt.Errorf("%w: MaxString %d cannot hold %d code points of 4 bytes",
			ErrInvalidConfig, c.MaxString, c.MaxMessage)
	case c.AnswerOrder != AnswerRequest && c.AnswerOrder != AnswerReversed:
		return rules{}, fmt.Errorf("%w: AnswerOrder %q (want %q or %q)",
			ErrInvalidConfig, c.AnswerOrder, AnswerRequest, AnswerReversed)
	}
	re, err := regexp.Compile(`^[` + c.NickChars + `]+$`)
	if err != nil {
		return rules{}, fmt.Errorf("%w: NickChars %q: %w", ErrInvalidConfig, c.NickChars, err)
	}
	return rules{
		maxNick:    c.MaxNick,
		nickOK:     re.MatchString,
		maxMessage: c.MaxMessage,
		reversed:   c.AnswerOrder == AnswerReversed,
		echo:       c.EchoPublic,
		faults:     c.Faults,
	}, nil
}
