package fuzz

import (
	"fmt"
	"hash/fnv"

	"github.com/chatspec/chatspec/results"
)

// RunInfo describes a run for reports: what the engine does not know itself.
type RunInfo struct {
	Protocol  string
	Target    string
	Seed      int64
	Workers   int
	Instances int
}

// FindingFileName is a stable file name for a finding: protocol, kind and a
// hash of its identity (kind, oracle, signature), so the same bug found
// again overwrites its own file and two bugs never share one.
func FindingFileName(f Finding) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(f.Identity()))
	return fmt.Sprintf("%s-%s-%08x.finding", f.Case.Protocol, f.Kind, h.Sum32())
}

// Results turns a run's summary into the results model, from which reports
// renders findings.json, findings.md and the console summary. files maps a
// finding's Identity to the file it was saved in.
func (s Summary) Results(info RunInfo, files map[string]string) *results.FuzzRun {
	run := &results.FuzzRun{Protocol: info.Protocol, Target: info.Target, Seed: info.Seed, Workers: info.Workers,
		Instances: max(info.Instances, 1), Cases: s.Cases, Connections: s.Connections, Probes: s.Probes,
		Restarts: s.Restarts, Duplicates: s.Duplicates, FalseAlarms: s.FalseAlarms, Elapsed: s.Elapsed,
		Stopped: s.Stopped, Findings: []results.FuzzFinding{}}
	for _, f := range s.Findings {
		run.Findings = append(run.Findings, results.FuzzFinding{Kind: string(f.Kind), Title: f.Title, Oracle: f.Oracle,
			Signature: f.Signature.Key, Trace: f.Signature.Trace, Seed: f.Seed, CaseIndex: f.CaseIndex,
			TimesSeen: s.Seen[f.Identity()], Connections: len(f.Case.Conns), Bytes: f.Case.Size(),
			File: files[f.Identity()], Detail: f.Detail, ServerLog: f.ServerLog})
	}
	return run
}
