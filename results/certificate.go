package results

import (
	"time"

	"github.com/chatspec/chatspec/catalog"
)

// CertificateFormat is the first field of certificate.json.
const CertificateFormat = "chatspec-certificate/1"

// Certificate is what a full, certified run attests: which chatspec, which
// catalogue and documents, which suite and profile, and every requirement's
// outcome, so that a reviewer can check the claim without rerunning it.
type Certificate struct {
	Format    string           `json:"format"`
	Server    string           `json:"server"` // --name, or the target
	Target    string           `json:"target"`
	Date      time.Time        `json:"date"`
	Verdict   string           `json:"verdict"`
	Strict    bool             `json:"strict"`
	Version   string           `json:"version"`
	Catalogue string           `json:"catalogue_sha256"`
	Protocols []CertifiedSuite `json:"protocols"`
}

// CertifiedSuite is one protocol's part of a certificate.
type CertifiedSuite struct {
	Protocol       string              `json:"protocol"`
	Document       catalog.Document    `json:"document"`
	FeaturesDigest string              `json:"features_sha256"`
	Mode           string              `json:"mode"`
	Profile        map[string]string   `json:"profile"`
	Requirements   []CertifiedOutcome  `json:"requirements"`
	Deselected     []DeselectedOutcome `json:"deselected"`
}

// CertifiedOutcome is a requirement judged by the run: the worst outcome
// of the scenarios that checked it.
type CertifiedOutcome struct {
	ID        string        `json:"id"`
	Level     catalog.Level `json:"level"`
	Outcome   Outcome       `json:"outcome"`
	Scenarios int           `json:"scenarios"`
}

// DeselectedOutcome is a requirement the run did not judge, with the option
// or mode that left it out (e.g. "needs a 300s wait: run with --long").
type DeselectedOutcome struct {
	ID      string        `json:"id"`
	Level   catalog.Level `json:"level"`
	Outcome Outcome       `json:"outcome"` // SKIPPED or UNTESTABLE
	Reason  string        `json:"reason"`
}

// NewCertificate returns the certificate of the runs, or nil when there is
// none to give: a run is not certified, or it is partial (a selection
// narrowed it), so a certificate always covers whole suites.
func NewCertificate(runs Runs) *Certificate {
	if !runs.Certified() {
		return nil
	}
	for _, r := range runs {
		if r.Selection != "" {
			return nil
		}
	}
	first := runs[0]
	c := &Certificate{Format: CertificateFormat, Server: first.ServerName(), Target: first.Target,
		Date: first.Started.UTC(), Verdict: "CERTIFIED", Strict: first.Strict, Version: first.Version,
		Catalogue: catalog.Digest()}
	for _, r := range runs {
		c.Protocols = append(c.Protocols, certifiedSuite(r))
	}
	return c
}

// ServerName is the name reports give the server: Name, or the target.
func (r *Run) ServerName() string {
	if r.Name != "" {
		return r.Name
	}
	return r.Target
}

func certifiedSuite(r *Run) CertifiedSuite {
	s := CertifiedSuite{Protocol: r.Protocol, Document: catalog.Documents[r.Protocol], FeaturesDigest: r.FeaturesDigest,
		Mode: r.Mode, Profile: r.Profile, Requirements: []CertifiedOutcome{}, Deselected: []DeselectedOutcome{}}
	for _, req := range catalog.ForProtocol(r.Protocol) {
		judged, skipped := r.outcomesOf(req.ID)
		switch {
		case judged != nil:
			judged.Level = req.Level
			s.Requirements = append(s.Requirements, *judged)
		case skipped != nil:
			skipped.Level = req.Level
			s.Deselected = append(s.Deselected, *skipped)
		default:
			s.Deselected = append(s.Deselected, DeselectedOutcome{ID: req.ID, Level: req.Level, Outcome: Untestable, Reason: ReasonNoScenario})
		}
	}
	return s
}

// outcomesOf sums up the results naming id: the worst judged outcome, or,
// when no result judged it, the first reason it was left out.
func (r *Run) outcomesOf(id string) (*CertifiedOutcome, *DeselectedOutcome) {
	var judged *CertifiedOutcome
	var skipped *DeselectedOutcome
	for _, res := range r.Sorted() {
		if !names(res, id) {
			continue
		}
		if res.Outcome == Skipped || res.Outcome == Untestable {
			if skipped == nil {
				skipped = &DeselectedOutcome{ID: id, Outcome: res.Outcome, Reason: res.Message}
			}
			continue
		}
		if judged == nil {
			judged = &CertifiedOutcome{ID: id, Outcome: res.Outcome}
		}
		judged.Outcome = Worse(judged.Outcome, res.Outcome)
		judged.Scenarios++
	}
	return judged, skipped
}

// RequirementOutcome is the run's outcome for one requirement: the worst
// outcome of the scenarios that judged it, or, when none did, why it was
// not judged (SKIPPED, UNTESTABLE). ok is false when no result names it.
func (r *Run) RequirementOutcome(id string) (o Outcome, ok bool) {
	judged, skipped := r.outcomesOf(id)
	switch {
	case judged != nil:
		return judged.Outcome, true
	case skipped != nil:
		return skipped.Outcome, true
	}
	return "", false
}

func names(res Result, id string) bool {
	for _, x := range res.Reqs {
		if x == id {
			return true
		}
	}
	return false
}
