package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Format is the first field of results.json; ReadJSON refuses any other.
const Format = "chatspec-results/1"

// ErrBadResultsFile is wrapped by ReadJSON's errors.
var ErrBadResultsFile = errors.New("bad results file")

// millis renders a duration as (fractional) milliseconds, exactly enough
// that fromMillis gives the same nanoseconds back.
func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func fromMillis(ms float64) time.Duration {
	return time.Duration(math.Round(ms * float64(time.Millisecond)))
}

// marshal is json.Marshal without HTML escaping: transcripts are full of
// "->" and "<-", which should stay readable in results.json.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

type resultFields Result // no methods: avoids recursing into MarshalJSON

type resultJSON struct {
	resultFields
	DurationMS float64 `json:"duration_ms"`
	WaitMS     float64 `json:"wait_ms,omitempty"`
}

// MarshalJSON writes durations as duration_ms and wait_ms.
func (r Result) MarshalJSON() ([]byte, error) {
	return marshal(resultJSON{resultFields(r), millis(r.Duration), millis(r.Wait)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (r *Result) UnmarshalJSON(data []byte) error {
	var v resultJSON
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*r = Result(v.resultFields)
	r.Duration, r.Wait = fromMillis(v.DurationMS), fromMillis(v.WaitMS)
	return nil
}

type runFields Run

type runJSON struct {
	runFields
	DurationMS float64       `json:"duration_ms"`
	Counts     *Counts       `json:"counts,omitempty"`     // derived; ignored when read
	Certified  *bool         `json:"certified,omitempty"`  // derived; ignored when read
	Coverage   *Coverage     `json:"coverage,omitempty"`   // derived; ignored when read
	Deselected []Deselection `json:"deselected,omitempty"` // derived; ignored when read
}

// MarshalJSON writes the duration as duration_ms, plus the derived counts,
// verdict, coverage and deselections so that consumers need not recompute them.
func (r Run) MarshalJSON() ([]byte, error) {
	counts, certified, coverage := r.Counts(), r.Certified(), r.Coverage()
	return marshal(runJSON{runFields(r), millis(r.Duration), &counts, &certified, &coverage, r.Deselected()})
}

// UnmarshalJSON reads what MarshalJSON writes; derived fields are dropped.
func (r *Run) UnmarshalJSON(data []byte) error {
	var v runJSON
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*r = Run(v.runFields)
	r.Duration = fromMillis(v.DurationMS)
	return nil
}

// fileJSON is the envelope of results.json.
type fileJSON struct {
	Format    string   `json:"format"`
	Certified bool     `json:"certified"`
	Verdict   Verdict  `json:"verdict"`
	Counts    Counts   `json:"counts"`
	Blockers  Blockers `json:"blockers"`
	Runs      []*Run   `json:"runs"`
}

// WriteJSON writes results.json: a versioned envelope with the overall
// verdict, counts and blockers, and every run in full, results in the
// order given. Text is written as JSON strings (invalid UTF-8 becomes
// U+FFFD, as encoding/json does).
func WriteJSON(w io.Writer, runs Runs) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // transcripts are full of "->" and "<-"
	f := fileJSON{Format, runs.Certified(), runs.Verdict(), runs.Counts(), runs.Blockers(), runs}
	if f.Runs == nil {
		f.Runs = []*Run{}
	}
	return enc.Encode(f)
}

// ReadJSON reads a file written by WriteJSON (for comparing several servers,
// or re-rendering a past run).
func ReadJSON(r io.Reader) (Runs, error) {
	var f fileJSON
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadResultsFile, err)
	}
	if f.Format != Format {
		return nil, fmt.Errorf("%w: format %q, want %q", ErrBadResultsFile, f.Format, Format)
	}
	return f.Runs, nil
}
