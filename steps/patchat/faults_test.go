package patchat_test

import (
	"slices"
	"strings"
	"testing"

	refpat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/results"
	"github.com/stretchr/testify/require"
)

// caughtBy is the check that must catch each fault (a part of its message),
// so a fault is not passed off as caught by some unrelated failure.
var caughtBy = map[string]string{
	"history-on-join":           "carol received a message it must not receive",
	"leak-to-other-room":        "dave received a message it must not receive",
	"leaver-still-receives":     "bob received a message it must not receive",
	"accept-wrong-password":     "the server accepted login, which it must refuse",
	"duplicate-username":        "the server accepted register, which it must refuse",
	"silent-drop-over-capacity": "the client beyond the capacity (100) got no answer",
	"unlabelled-duplicates":     "dave got the broadcast in a way P3 does not allow",
	"raw-control-bytes":         "alice received bytes that are not text",
	"list-all-users":            "are not exactly its members",
	"vanished-stays-listed":     "is still listed in",
}

// TestSuiteCatchesEveryFault proves the suite can fail: for each fault
// switch of the reference that breaks a requirement, the scenarios of that
// requirement, run strictly against the faulty server, do not certify it and
// give the requirement a FAIL (MUST) or WARN (SHOULD) row. The crash fault
// (no requirement) would kill the test process and is left to the fuzzer.
func TestSuiteCatchesEveryFault(t *testing.T) {
	d := dialect(t, "reference")
	tested := 0
	for _, f := range refpat.FaultList() {
		if f.Requirement == "" {
			continue
		}
		tested++
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			faults, err := refpat.ParseFaults(f.Name)
			require.NoError(t, err)
			r := run(t, referenceTarget(t, refpat.Config{Faults: faults}), d, "@"+f.Requirement, true)
			require.False(t, r.Passed(), "the suite certified a server with %s", f.Name)
			var msgs []string
			for _, res := range r.Results {
				if res.Outcome == results.Fail || res.Outcome == results.Warn {
					msgs = append(msgs, res.Message)
				}
			}
			if want, ok := caughtBy[f.Name]; ok {
				require.Contains(t, strings.Join(msgs, "\n"), want, "%s caught by another check", f.Name)
			}
			got := outcomes(r)[f.Requirement]
			require.True(t, slices.Contains(got, results.Fail) || slices.Contains(got, results.Warn),
				"%s: %s rows are %v, want a FAIL or WARN", f.Name, f.Requirement, got)
		})
	}
	require.GreaterOrEqual(t, tested, 6, "the issue asks for at least six fault switches")
}
