// Package profile holds the legitimate choices a server makes where the
// documents leave them open (readings A7, A11, P4, P6 in catalog/readings.md): the values the
// suite judges against. Defaults are those readings; a server author
// overrides them with a small YAML file given to --profile.
package profile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	"go.yaml.in/yaml/v3"
)

// ErrBadProfile wraps every problem with a profile file.
var ErrBadProfile = errors.New("bad profile")

// Answer orders of packets 7 and 8 (A11).
const (
	OrderRequest  = "request"  // (requester, receiver), as in the 3 they answer
	OrderReversed = "reversed" // (answerer, requester)
)

// Profile is a server's declared choices.
type Profile struct {
	// MaxNick is the longest nickname, in bytes, the ChatOS server accepts.
	MaxNick int `yaml:"max-nick"`
	// IdleTimeout is after how long a silent ChatOS client is disconnected.
	IdleTimeout time.Duration `yaml:"idle-timeout"`
	// AnswerOrder is the field order of 7 and 8: "request" or "reversed".
	AnswerOrder string `yaml:"answer-order"`
	// Capacity is how many Pat Chat users can be logged in at once.
	Capacity int `yaml:"capacity"`
	// LongWait is the longest wait chatspec makes without --long: a check
	// that needs longer (the idle timeout) is SKIPPED unless asked for.
	LongWait time.Duration `yaml:"long-wait"`
}

// Default is the readings' choice for both documents (catalog/readings.md).
func Default() Profile {
	return Profile{MaxNick: 32, IdleTimeout: 300 * time.Second, AnswerOrder: OrderRequest,
		Capacity: 100, LongWait: 10 * time.Second}
}

// Load reads a profile file; keys it does not set keep their defaults, and
// unknown keys are errors (a typo must not silently keep a default).
func Load(path string) (Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Profile{}, fmt.Errorf("%w: %v", ErrBadProfile, err)
	}
	return Parse(data, path)
}

// Parse reads a profile from YAML text; source names it in errors.
func Parse(data []byte, source string) (Profile, error) {
	p := Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil && !errors.Is(err, errEOF()) {
		return Profile{}, fmt.Errorf("%w: %s: %v", ErrBadProfile, source, err)
	}
	if err := p.Validate(); err != nil {
		return Profile{}, fmt.Errorf("%w: %s: %v", ErrBadProfile, source, err)
	}
	return p, nil
}

// Validate checks the values make sense.
func (p Profile) Validate() error {
	switch {
	case p.MaxNick < 1:
		return fmt.Errorf("max-nick must be at least 1, got %d", p.MaxNick)
	case p.IdleTimeout <= 0:
		return fmt.Errorf("idle-timeout must be positive, got %v", p.IdleTimeout)
	case p.AnswerOrder != OrderRequest && p.AnswerOrder != OrderReversed:
		return fmt.Errorf("answer-order must be %q or %q, got %q", OrderRequest, OrderReversed, p.AnswerOrder)
	case p.Capacity < 1:
		return fmt.Errorf("capacity must be at least 1, got %d", p.Capacity)
	}
	return nil
}
