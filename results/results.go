// Package results is chatspec's one outcome model. A conformance run fills a
// Run with one Result per scenario; the console table, results.json, JUnit,
// Markdown, the exit code and the expectations file are all pure functions of
// it, so they can never disagree about a verdict.
package results

import (
	"errors"
	"fmt"
	"time"

	"github.com/chatspec/chatspec/catalog"
)

// Outcome is the verdict of one scenario.
type Outcome string

// The outcomes. FAIL (a MUST not met), ERROR and an INCONCLUSIVE MUST block
// certification; WARN and an INCONCLUSIVE SHOULD block it too in strict mode.
const (
	Pass         Outcome = "PASS"         // the requirement holds
	Inconclusive Outcome = "INCONCLUSIVE" // the scenario's setup could not complete: no verdict on its requirement
	Fail         Outcome = "FAIL"         // a MUST requirement is not met
	Warn         Outcome = "WARN"         // a SHOULD requirement is not met
	Info         Outcome = "INFO"         // an observation; never fails (see Notes)
	Untestable   Outcome = "UNTESTABLE"   // cannot be checked in this mode (reason in Message)
	Skipped      Outcome = "SKIPPED"      // not selected, or needs a long wait not asked for (reason in Message)
	Error        Outcome = "ERROR"        // harness problem or target gone: no verdict on the requirement
)

// outcomes lists every Outcome in report order.
var outcomes = []Outcome{Pass, Fail, Warn, Info, Inconclusive, Untestable, Skipped, Error}

// severity orders outcomes as TTCN-3 orders verdicts (pass < inconclusive <
// fail < error): observations and checks not run weigh like a pass, and a
// SHOULD not met weighs just below a MUST not met.
var severity = map[Outcome]int{Pass: 0, Info: 0, Skipped: 1, Untestable: 1, Inconclusive: 2, Warn: 3, Fail: 4, Error: 5}

// Worse returns the more severe of two outcomes: a scenario's verdict only
// ever gets worse as evidence arrives.
func Worse(a, b Outcome) Outcome {
	if severity[b] > severity[a] {
		return b
	}
	return a
}

// ErrUnknownOutcome is returned when text names no Outcome.
var ErrUnknownOutcome = errors.New("unknown outcome")

// ParseOutcome reads an Outcome from its name, e.g. "FAIL".
func ParseOutcome(s string) (Outcome, error) {
	for _, o := range outcomes {
		if string(o) == s {
			return o, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownOutcome, s)
}

// Run modes: where the server under test came from.
const (
	ModeReference = "reference" // chatspec's bundled reference server
	ModeTarget    = "target"    // a server the user runs, given by address
	ModeExec      = "exec"      // a server chatspec starts (and may restart) itself
)

// Process exit codes. 0 and 1 come from ExitCode; 2 is decided by the CLI
// for bad usage, an unreachable target, or a run that could not start.
const (
	ExitCertified    = 0
	ExitNotCertified = 1
	ExitUsage        = 2
)

// Check is a failed comparison: every alternative the check would have
// accepted, next to what actually arrived (hex and decoded text).
type Check struct {
	Expected []string `json:"expected"`
	Actual   string   `json:"actual"`
}

// Result is the outcome of one scenario (or, for uncovered requirements, of
// no scenario at all). Reqs are catalogue IDs, copied untouched from tags.
type Result struct {
	Protocol   string        `json:"protocol"`
	Reqs       []string      `json:"reqs"`
	Level      catalog.Level `json:"level"`
	Section    string        `json:"section"`
	Feature    string        `json:"feature,omitempty"`
	Scenario   string        `json:"scenario"`
	Location   string        `json:"location,omitempty"` // "features/chatos/3_5_private.feature:12"
	Outcome    Outcome       `json:"outcome"`
	Known      bool          `json:"known,omitempty"` // matches the expectations file: does not block
	Duration   time.Duration `json:"-"`               // JSON: duration_ms
	Message    string        `json:"message,omitempty"`
	Check      *Check        `json:"check,omitempty"`
	Notes      []string      `json:"notes,omitempty"` // observations, e.g. "sender receives own public message: yes"
	TimedOut   bool          `json:"timed_out,omitempty"`
	Wait       time.Duration `json:"-"`                    // the wait that ran out; JSON: wait_ms
	Transcript string        `json:"transcript,omitempty"` // wire transcript, every outcome; capped (MaxTranscript, MaxRunTranscripts)
}

// Crash records one death of the server during a run: the scenario it died
// during when chatspec could tell (the one running alone, or the one that
// killed it again when rerun alone), else the scenarios running at the time.
type Crash struct {
	Scenario string   `json:"scenario,omitempty"` // the scenario the server died during; "" when not known
	Location string   `json:"location,omitempty"` // that scenario's place: the key of its result
	Reqs     []string `json:"reqs,omitempty"`     // that scenario's requirement IDs
	Status   string   `json:"status,omitempty"`   // how the process ended, e.g. "exit status 2"
	Suspects []string `json:"suspects,omitempty"` // scenarios running when it died, when none could be named
	Message  string   `json:"message"`
}

// Run is one conformance run of one protocol against one server.
type Run struct {
	Tool      string        `json:"tool"`
	Protocol  string        `json:"protocol"`
	Target    string        `json:"target"`
	Mode      string        `json:"mode"` // ModeReference, ModeTarget or ModeExec
	Started   time.Time     `json:"started"`
	Duration  time.Duration `json:"-"` // JSON: duration_ms
	Strict    bool          `json:"strict"`
	Results   []Result      `json:"results"`
	TargetLog string        `json:"target_log,omitempty"` // tail of the server's stderr (exec mode)
	Crashes   []Crash       `json:"crashes,omitempty"`

	// What a certificate quotes about the run (see NewCertificate).
	Name           string            `json:"name,omitempty"`            // the server's name (--name), defaulting to Target
	Version        string            `json:"version,omitempty"`         // chatspec's module version
	FeaturesDigest string            `json:"features_digest,omitempty"` // SHA-256 of the feature files run
	Profile        map[string]string `json:"profile,omitempty"`         // the profile's declared options
	Selection      string            `json:"selection,omitempty"`       // the flags that narrowed the run ("--section 2.3"); empty for a full run
}

// OutcomeFor turns "did the check hold" into an Outcome for a scenario of
// the given level. INFO-level scenarios that ran always report INFO (their
// observations are in Notes): they are never PASS or FAIL.
func OutcomeFor(level catalog.Level, passed bool) Outcome {
	switch {
	case level == catalog.Info:
		return Info
	case passed:
		return Pass
	case level == catalog.Should:
		return Warn
	}
	return Fail
}
