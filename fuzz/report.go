package fuzz

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// RunInfo describes a run for reports.
type RunInfo struct {
	Protocol string `json:"protocol"`
	Target   string `json:"target"`
	Seed     int64  `json:"seed"`
	Workers  int    `json:"workers"`
}

// FindingFileName is a stable file name for a finding: protocol, kind and a
// hash of the title, so the same bug found again overwrites its own file.
func FindingFileName(f Finding) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(f.Title))
	return fmt.Sprintf("%s-%s-%08x.finding", f.Case.Protocol, f.Kind, h.Sum32())
}

// reportFinding is one finding in findings.json.
type reportFinding struct {
	Kind      Kind   `json:"kind"`
	Title     string `json:"title"`
	Oracle    string `json:"oracle"`
	Seed      int64  `json:"seed"`
	CaseIndex int    `json:"case_index"`
	TimesSeen int    `json:"times_seen"`
	Conns     int    `json:"connections"`
	Bytes     int    `json:"bytes"`
	File      string `json:"file,omitempty"`
	Detail    string `json:"detail"`
	ServerLog string `json:"server_log,omitempty"`
}

// reportJSON is findings.json.
type reportJSON struct {
	RunInfo
	Cases          int64           `json:"cases"`
	ElapsedSeconds float64         `json:"elapsed_seconds"`
	CasesPerSecond float64         `json:"cases_per_second"`
	Probes         int64           `json:"probes"`
	Restarts       int64           `json:"restarts"`
	Stopped        string          `json:"stopped,omitempty"`
	Findings       []reportFinding `json:"findings"`
}

// ReportJSON renders a run's findings as JSON; files maps titles to the
// finding files written.
func ReportJSON(info RunInfo, s Summary, files map[string]string) ([]byte, error) {
	r := reportJSON{RunInfo: info, Cases: s.Cases, ElapsedSeconds: s.Elapsed.Seconds(),
		CasesPerSecond: s.CasesPerSecond(), Probes: s.Probes, Restarts: s.Restarts, Stopped: s.Stopped,
		Findings: []reportFinding{}}
	for _, f := range s.Findings {
		r.Findings = append(r.Findings, reportFinding{Kind: f.Kind, Title: f.Title, Oracle: f.Oracle, Seed: f.Seed,
			CaseIndex: f.CaseIndex, TimesSeen: s.Seen[f.Title], Conns: len(f.Case.Conns), Bytes: f.Case.Size(),
			File: files[f.Title], Detail: f.Detail, ServerLog: f.ServerLog})
	}
	return json.MarshalIndent(r, "", "  ")
}

// ReportMarkdown renders a run's findings as Markdown.
func ReportMarkdown(info RunInfo, s Summary, files map[string]string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# chatspec fuzz: %s\n\n", info.Protocol)
	fmt.Fprintf(&b, "| target | seed | workers | cases | elapsed | cases/s | findings |\n|---|---|---|---|---|---|---|\n")
	fmt.Fprintf(&b, "| %s | %d | %d | %d | %s | %.0f | %d |\n\n", mdCell(info.Target), info.Seed, info.Workers,
		s.Cases, s.Elapsed.Round(time.Millisecond), s.CasesPerSecond(), len(s.Findings))
	if s.Stopped != "" {
		fmt.Fprintf(&b, "Stopped early: %s\n\n", s.Stopped)
	}
	if len(s.Findings) == 0 {
		b.WriteString("No findings.\n")
		return []byte(b.String())
	}
	for i, f := range s.Findings {
		fmt.Fprintf(&b, "## %d. %s\n\n", i+1, mdCell(f.Title))
		fmt.Fprintf(&b, "- kind: **%s**, oracle: %s, seen %d time(s)\n", f.Kind, f.Oracle, s.Seen[f.Title])
		fmt.Fprintf(&b, "- case %d of seed %d: %d connection(s), %d bytes\n", f.CaseIndex, f.Seed, len(f.Case.Conns), f.Case.Size())
		if file := files[f.Title]; file != "" {
			fmt.Fprintf(&b, "- reproducer: `%s` (`chatspec replay %s`, `chatspec fuzz --minimise %s`)\n", file, file, file)
		}
		fmt.Fprintf(&b, "\n```text\n%s\n```\n", strings.TrimSpace(f.Detail))
		if f.ServerLog != "" {
			fmt.Fprintf(&b, "\nServer output (tail):\n\n```text\n%s\n```\n", strings.TrimSpace(f.ServerLog))
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// mdCell keeps text inside one Markdown table cell or heading.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ").Replace(s)
}

// WriteReport writes findings.md and findings.json into dir.
func WriteReport(dir string, info RunInfo, s Summary, files map[string]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("fuzz: report directory: %w", err)
	}
	js, err := ReportJSON(info, s, files)
	if err != nil {
		return fmt.Errorf("fuzz: report json: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "findings.json"), append(js, '\n'), 0o644); err != nil {
		return fmt.Errorf("fuzz: write report: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "findings.md"), ReportMarkdown(info, s, files), 0o644); err != nil {
		return fmt.Errorf("fuzz: write report: %w", err)
	}
	return nil
}
