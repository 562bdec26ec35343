package fuzz

import (
	"errors"
	"fmt"
)

// Kind is what an oracle saw. The set is closed: reports and exit codes can
// rely on it.
type Kind string

// The kinds of finding.
const (
	KindCrash    Kind = "crash"    // the server stopped accepting or reset the health probe
	KindHang     Kind = "hang"     // the server accepted but did not answer the health probe in time
	KindProtocol Kind = "protocol" // the server sent bytes that do not decode under the protocol
	KindExit     Kind = "exit"     // the server process (--exec) ended by itself
	KindMemory   Kind = "memory"   // the server process's resident memory grew past a bound
)

// Kinds lists every Kind in report order.
var Kinds = []Kind{KindCrash, KindHang, KindProtocol, KindExit, KindMemory}

// ErrUnknownKind is returned when text names no Kind.
var ErrUnknownKind = errors.New("fuzz: unknown finding kind")

// ParseKind reads a Kind from its name.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownKind, s)
}

// Oracle names say which check fired.
const (
	OracleProbe    = "probe"  // the health probe (crash, hang, or a bad probe reply)
	OracleDecode   = "decode" // a case connection received bytes that do not decode
	OracleExit     = "exit"   // the process's exit status (--exec)
	OracleMemory   = "memory" // the process's resident memory (--exec)
	OracleDialCase = "dial"   // a case connection could not even connect
	OracleReplay   = "replay" // used for replays that fired nothing
)

// Finding is one thing the fuzzer found, with everything needed to replay it.
type Finding struct {
	Kind      Kind   // closed set above
	Title     string // one line; findings with the same title are the same bug
	Target    string // how the server was run, e.g. "reference", "exec: ./server {port}"
	Seed      int64  // the run's --seed
	CaseIndex int    // the case's index in that run (its rand stream)
	Case      Case   // the exact bytes per connection, in order
	Oracle    string // which oracle fired (Oracle* names)
	Detail    string // what the oracle saw, possibly several lines
	ServerLog string // tail of the server's output when it fired (--exec)
	Signature Signature
	Faults    string // the bundled reference's fault switches it was found with ("" otherwise)
}

// Identity is what makes two findings the same bug: kind, oracle and
// signature (see identity).
func (f Finding) Identity() string { return identity(f.Kind, f.Oracle, f.Signature) }

// identity keys a bug by kind, oracle and signature. A death the server explains in its own output is one bug however chatspec
// noticed it: the health probe refused (a crash) before the process was
// reaped, or the exit itself, which only a machine's speed tells apart.
func identity(k Kind, oracle string, s Signature) string {
	if s.FromOutput() && (k == KindCrash || k == KindExit) {
		return "death||" + s.Key
	}
	return string(k) + "|" + oracle + "|" + s.Key
}

// Verdict returns the verdict f was recorded with, for comparing a replay.
func (f Finding) Verdict() *Verdict {
	return &Verdict{Kind: f.Kind, Oracle: f.Oracle, Title: f.Title, Detail: f.Detail, Signature: f.Signature}
}

// Verdict is what the oracles concluded about one execution; nil means none fired.
type Verdict struct {
	Kind      Kind
	Oracle    string
	Title     string
	Detail    string
	Signature Signature // which bug; see Signature
	Output    string    // the server output the signature was read from (bounded), "" if none
}

func (v *Verdict) String() string {
	if v == nil {
		return "no oracle fired"
	}
	return fmt.Sprintf("%s (%s): %s", v.Kind, v.Oracle, v.Title)
}

// Same reports whether two verdicts are the same bug: same kind, oracle and
// signature. Replay, the minimiser and confirmation all judge with it.
func (v *Verdict) Same(o *Verdict) bool {
	return v != nil && o != nil && identity(v.Kind, v.Oracle, v.Signature) == identity(o.Kind, o.Oracle, o.Signature)
}

// Matches is Same for a firing seen during a run, whose case is not known
// yet: without server output its signature cannot name a packet, so kind and
// oracle decide; with output, the trace must be the same too.
func (v *Verdict) Matches(o *Verdict) bool {
	switch {
	case v == nil || o == nil:
		return false
	case v.Signature.FromOutput():
		return v.Same(o)
	}
	return v.Kind == o.Kind && v.Oracle == o.Oracle
}
