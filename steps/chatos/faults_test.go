package chatos_test

import (
	"slices"
	"testing"

	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/chatspec/chatspec/results"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSuiteCatchesEveryFault proves the suite can fail: each fault switch of
// the reference server is a realistic bug, and the suite must fail (or warn,
// for a SHOULD) on the requirement that bug breaks. Each case runs in
// parallel against its own in-process server (most of a case is waiting out
// "nothing arrives" deadlines), so a new case is one more table row.
func TestSuiteCatchesEveryFault(t *testing.T) {
	cases := []struct {
		fault, req string
		want       results.Outcome
	}{
		{"duplicate-nick", "COP-2.1-1", results.Fail},
		{"sender-from-packet", "COP-2.3-1", results.Fail},
		{"no-unknown-user", "COP-3.7-2", results.Fail},
		{"private-to-all", "COP-2.4-1", results.Fail},
		{"one-read-one-frame", "COP-3.1-2", results.Fail},
		{"early-established", "COP-3.5-6", results.Fail},
		{"sequential-ids", "COP-3.5-10", results.Warn},
		{"bridge-alters-bytes", "COP-2.6-1", results.Fail},
		{"long-message-delivered", "COP-2.3-2", results.Fail},
		{"no-close-before-login", "COP-5-1", results.Fail},
		{"reusable-ids", "COP-3.5-9", results.Fail},
		{"refusal-wrong-nick", "COP-3.4-2", results.Fail},
	}
	for _, c := range cases {
		t.Run(c.fault, func(t *testing.T) {
			t.Parallel()
			cfg := refchatos.DefaultConfig()
			f, err := refchatos.ParseFaults(c.fault)
			require.NoError(t, err)
			cfg.Faults = f
			run := runAgainst(t, cfg, "@"+c.req)
			require.NotEmpty(t, run.Results)
			var outcomes []results.Outcome
			for _, r := range run.Results {
				if slices.Contains(r.Reqs, c.req) {
					outcomes = append(outcomes, r.Outcome)
				}
			}
			assert.Contains(t, outcomes, c.want, "fault %s should make %s %s", c.fault, c.req, c.want)
			if c.want == results.Fail {
				assert.False(t, run.Passed())
			}
		})
	}
}
