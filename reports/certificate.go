package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/chatspec/chatspec/results"
)

// CertificateJSON writes certificate.json, the machine-readable
// certificate of a full, certified run (see results.NewCertificate).
func CertificateJSON(w io.Writer, c *results.Certificate) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("certificate: %w", err)
	}
	return nil
}

// certField is one line of the human-readable certificate.
type certField struct{ Key, Value string }

// certificateFields is the certificate's summary, in reading order; the
// Markdown and HTML reports print it, each in its own markup.
func certificateFields(c *results.Certificate) []certField {
	f := []certField{
		{"Server", c.Server}, {"Target", c.Target}, {"Date", c.Date.Format(time.RFC3339)},
		{"Verdict", c.Verdict + strictNote(c.Strict)}, {"chatspec", c.Version}, {"Catalogue", "sha256:" + c.Catalogue},
	}
	for _, s := range c.Protocols {
		f = append(f,
			certField{s.Protocol + " document", s.Document.Title + ", sha256:" + s.Document.SHA256},
			certField{s.Protocol + " features", "sha256:" + s.FeaturesDigest + " (" + s.Mode + " mode)"},
			certField{s.Protocol + " profile", profileLine(s.Profile)},
			certField{s.Protocol + " requirements", fmt.Sprintf("%d judged, %d not judged", len(s.Requirements), len(s.Deselected))})
	}
	for i := range f {
		f[i].Value = oneLine(f[i].Value)
	}
	return f
}

func strictNote(strict bool) string {
	if strict {
		return " (strict: every SHOULD too)"
	}
	return ""
}

// profileLine is "key=value, ..." in key order.
func profileLine(p map[string]string) string {
	if len(p) == 0 {
		return "(defaults)"
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+p[k])
	}
	return strings.Join(parts, ", ")
}

// certificateOutcomes lists every requirement's line of the certificate:
// "COP-2.1-1 MUST PASS (2 scenarios)" or "COP-5-2 MUST SKIPPED: reason".
func certificateOutcomes(c *results.Certificate) []string {
	var lines []string
	for _, s := range c.Protocols {
		for _, r := range s.Requirements {
			lines = append(lines, fmt.Sprintf("%s %s %s (%s)", r.ID, r.Level, r.Outcome, plural(r.Scenarios, "scenario", "scenarios")))
		}
		for _, d := range s.Deselected {
			lines = append(lines, fmt.Sprintf("%s %s %s: %s", d.ID, d.Level, d.Outcome, oneLine(d.Reason)))
		}
	}
	return lines
}

func mdCertificate(b *strings.Builder, c *results.Certificate) {
	if c == nil {
		return
	}
	b.WriteString("\n### Certificate\n\n")
	for _, f := range certificateFields(c) {
		fmt.Fprintf(b, "- **%s**: %s\n", mdCell(f.Key), mdCell(f.Value))
	}
	lines := certificateOutcomes(c)
	fmt.Fprintf(b, "\n<details><summary>Every requirement (%d)</summary>\n\n", len(lines))
	for _, l := range lines {
		fmt.Fprintf(b, "- %s\n", mdCell(l))
	}
	b.WriteString("\n</details>\n")
}
