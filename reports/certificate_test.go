package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/results"
)

// certifiedRuns is the certified Pat Chat fixture with what a certificate quotes.
func certifiedRuns() []*results.Run {
	run := completePatchat()
	run.Name, run.Version, run.FeaturesDigest = "ref-server", "v0.1.0 (abc123)", "f00d"
	run.Profile = map[string]string{"capacity": "100", "long-wait": "10s"}
	return []*results.Run{run}
}

func TestCertificateGolden(t *testing.T) {
	runs := certifiedRuns()
	// The catalogue's digest changes with every catalogue edit: the golden
	// files hold a placeholder for it.
	stable := func(b []byte) []byte {
		return bytes.ReplaceAll(b, []byte(catalog.Digest()), []byte("CATALOGUE-SHA256"))
	}
	golden(t, "summary_certified.md.golden", stable(markdownOut(t, runs)))
	golden(t, "report_certified.html.golden", stable([]byte(htmlOut(t, runs))))
	var b bytes.Buffer
	require.NoError(t, CertificateJSON(&b, results.NewCertificate(runs)))
	golden(t, "certificate.json.golden", stable(b.Bytes()))
	var back results.Certificate
	require.NoError(t, json.Unmarshal(b.Bytes(), &back))
	assert.Equal(t, "ref-server", back.Server)
}

// A run that is not certified shows no certificate anywhere.
func TestNoCertificateBlockWhenNotCertified(t *testing.T) {
	runs := fixtureRuns()
	md := string(markdownOut(t, runs))
	page := htmlOut(t, runs)
	assert.NotContains(t, md, "### Certificate")
	assert.NotContains(t, page, `id="certificate"`)
	partial := certifiedRuns()
	partial[0].Selection = "--section 1"
	assert.NotContains(t, string(markdownOut(t, partial)), "Certificate")
	assert.True(t, strings.Contains(string(markdownOut(t, certifiedRuns())), "- **Server**: ref-server"))
}
