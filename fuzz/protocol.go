package fuzz

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"syscall"

	"github.com/chatspec/chatspec/target"
)

// Protocol is what the engine needs from one protocol: cases, a stream
// oracle per connection, a health probe, and shrinking help.
type Protocol interface {
	// Name is "chatos" or "patchat"; it goes into every case and finding.
	Name() string
	// Generate builds one case from r; the same stream gives the same case.
	Generate(r *rand.Rand) Case
	// NewWatch returns the oracle for one connection's received bytes.
	NewWatch() Watch
	// Probe checks the server is healthy: a fresh client logs in and gets a
	// message round trip before ctx ends. Errors wrap one of the ErrProbe*.
	Probe(ctx context.Context, addr string) error
	// Reducers help the minimiser shrink this protocol's steps.
	Reducers() []Reducer
}

// Watch is the protocol oracle of one connection: it sees every byte the
// server sent on it, in order. Calls are never concurrent.
type Watch interface {
	// Feed takes the next bytes received. It returns a violation when they
	// break the protocol; Feed is not called again after one.
	Feed(b []byte) *Violation
	// End says the server closed the connection; a frame cut short is a violation.
	End() *Violation
	// Value returns a run-time value seen so far (see Fill), e.g. "connect-id".
	Value(name string) ([]byte, bool)
}

// Violation is what a Watch or probe found wrong in the server's bytes.
type Violation struct {
	Token  string // short stable name, e.g. "unknown-opcode"; part of the finding title
	Detail string // what arrived, with the offending bytes
	Where  string // the packet and field that broke, e.g. "PUBLIC_MESSAGE(4) message"; "" when unknown
}

// ProbeConnector is implemented by protocols whose health probe opens more
// than one connection; the count goes into the run's connection total.
type ProbeConnector interface {
	ProbeConnections() int
}

// probeConns is how many connections p's probe opens.
func probeConns(p Protocol) int {
	if pc, ok := p.(ProbeConnector); ok {
		return pc.ProbeConnections()
	}
	return 1
}

// Locator is implemented by protocols that can say, from a case's bytes
// alone, which packet (and which of its fields) the case broke: the last
// malformed one, else the last one sent. Without server output it is what
// tells two crashes apart.
type Locator interface {
	Locate(c Case) string
}

// CaseRand returns the random stream of case index in a run with seed. Case
// i depends only on (seed, i), never on workers or timing.
func CaseRand(seed int64, index int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), uint64(index)))
}

// GenerateCase returns case index of a run with seed.
func GenerateCase(p Protocol, seed int64, index int) Case {
	c := p.Generate(CaseRand(seed, index))
	c.Protocol = p.Name()
	return c
}

// Probe failures. A probe error wraps exactly one; ClassifyProbe turns it
// into a finding kind.
var (
	ErrProbeRefused = errors.New("probe: connection refused")
	ErrProbeClosed  = errors.New("probe: connection closed or reset by the server")
	ErrProbeTimeout = errors.New("probe: no answer in time")
	ErrProbeReply   = errors.New("probe: reply does not follow the protocol")
	ErrProbeBusy    = errors.New("probe: server busy, try again") // not a finding; retried
)

// ProbeNetError wraps a network error met by a probe at stage with the
// matching ErrProbe* sentinel.
func ProbeNetError(stage string, err error) error {
	var ne net.Error
	var sentinel error
	switch {
	case target.Refused(err):
		sentinel = ErrProbeRefused
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &ne) && ne.Timeout():
		sentinel = ErrProbeTimeout
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, net.ErrClosed):
		sentinel = ErrProbeClosed
	default:
		sentinel = ErrProbeClosed
	}
	return fmt.Errorf("%w: %s: %v", sentinel, stage, err)
}

// ClassifyProbe turns a probe error into a verdict (nil for nil).
// Refused or closed is a crash, no answer a hang, a bad reply a protocol finding.
func ClassifyProbe(err error) *Verdict {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrProbeRefused):
		return &Verdict{Kind: KindCrash, Oracle: OracleProbe, Title: "crash: health probe refused", Detail: err.Error()}
	case errors.Is(err, ErrProbeTimeout):
		return &Verdict{Kind: KindHang, Oracle: OracleProbe, Title: "hang: health probe got no answer", Detail: err.Error()}
	case errors.Is(err, ErrProbeReply):
		return &Verdict{Kind: KindProtocol, Oracle: OracleProbe, Title: "protocol: bad health probe reply", Detail: err.Error()}
	default:
		return &Verdict{Kind: KindCrash, Oracle: OracleProbe, Title: "crash: health probe connection closed", Detail: err.Error()}
	}
}
