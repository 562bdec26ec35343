package results

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/catalog"
)

// certifiedRun selected every requirement of the ChatOS catalogue: two
// scenarios for COP-2.1-1, COP-5-2 skipped by its declared option.
func certifiedRun() *Run {
	run := &Run{Protocol: catalog.ChatOS, Target: "127.0.0.1:7777", Name: "my-server", Mode: ModeExec,
		Started: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), Version: "v1.0.0", FeaturesDigest: "abc",
		Profile: map[string]string{"max-nick": "32"},
		Results: []Result{{Protocol: "chatos", Reqs: []string{"COP-2.1-1"}, Scenario: "a", Outcome: Pass}}}
	for _, req := range catalog.ForProtocol(catalog.ChatOS) {
		res := Result{Protocol: "chatos", Reqs: []string{req.ID}, Level: req.Level, Scenario: "s " + req.ID,
			Outcome: OutcomeFor(req.Level, true)}
		if req.ID == "COP-5-2" {
			res.Outcome, res.Message = Skipped, "needs a 300s wait: run with --long"
		}
		run.Results = append(run.Results, res)
	}
	return run
}

func TestCertificateOfACertifiedRun(t *testing.T) {
	c := NewCertificate(Runs{certifiedRun()})
	require.NotNil(t, c)
	assert.Equal(t, "my-server", c.Server)
	assert.Equal(t, catalog.Digest(), c.Catalogue)
	require.Len(t, c.Protocols, 1)
	s := c.Protocols[0]
	assert.Equal(t, catalog.Documents["chatos"], s.Document)
	assert.Equal(t, "abc", s.FeaturesDigest)
	assert.Len(t, s.Requirements, len(catalog.ForProtocol("chatos"))-1)
	assert.Equal(t, CertifiedOutcome{"COP-2.1-1", catalog.Must, Pass, 2}, s.Requirements[0])
	assert.Contains(t, s.Requirements, CertifiedOutcome{"COP-3.6-2", catalog.Info, Info, 1})
	assert.Equal(t, []DeselectedOutcome{{"COP-5-2", catalog.Must, Skipped, "needs a 300s wait: run with --long"}}, s.Deselected,
		"only what a declared option left out")
}

func TestNoCertificateForAFailedOrPartialRun(t *testing.T) {
	failed := certifiedRun()
	failed.Results[1].Outcome = Fail
	assert.Nil(t, NewCertificate(Runs{failed}))
	partial := certifiedRun()
	partial.Selection = "--section 2.1"
	assert.Nil(t, NewCertificate(Runs{partial}))
	assert.Nil(t, NewCertificate(nil))
	unnamed := certifiedRun()
	unnamed.Name = ""
	assert.Equal(t, "127.0.0.1:7777", NewCertificate(Runs{unnamed}).Server)
}
