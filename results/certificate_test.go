package results

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/catalog"
)

func certifiedRun() *Run {
	return &Run{Protocol: catalog.ChatOS, Target: "127.0.0.1:7777", Name: "my-server", Mode: ModeExec,
		Started: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), Version: "v1.0.0", FeaturesDigest: "abc",
		Profile: map[string]string{"max-nick": "32"},
		Results: []Result{
			{Protocol: "chatos", Reqs: []string{"COP-2.1-1"}, Scenario: "a", Outcome: Pass},
			{Protocol: "chatos", Reqs: []string{"COP-2.1-1"}, Scenario: "b", Outcome: Pass},
			{Protocol: "chatos", Reqs: []string{"COP-3.6-2"}, Scenario: "c", Outcome: Info},
			{Protocol: "chatos", Reqs: []string{"COP-5-2"}, Scenario: "d", Outcome: Skipped, Message: "needs a 300s wait: run with --long"},
		}}
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
	assert.Equal(t, []CertifiedOutcome{{"COP-2.1-1", catalog.Must, Pass, 2}, {"COP-3.6-2", catalog.Info, Info, 1}}, s.Requirements)
	assert.Len(t, s.Deselected, len(catalog.ForProtocol("chatos"))-2, "every other catalogue ID, with its reason")
	assert.Contains(t, s.Deselected, DeselectedOutcome{"COP-5-2", catalog.Must, Skipped, "needs a 300s wait: run with --long"})
	assert.Contains(t, s.Deselected, DeselectedOutcome{"COP-2.1-2", catalog.Must, Untestable, ReasonNoScenario})
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
