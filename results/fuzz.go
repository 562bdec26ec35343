package results

import "time"

// FuzzRun is one fuzz run as reported: what was fuzzed, how much and how
// fast, and one FuzzFinding per bug. findings.json, findings.md and the
// console summary are pure functions of it (package reports).
type FuzzRun struct {
	Protocol    string        `json:"protocol"`
	Target      string        `json:"target"`
	Seed        int64         `json:"seed"`
	Workers     int           `json:"workers"`
	Instances   int           `json:"instances"`
	Cases       int64         `json:"cases"`
	Connections int64         `json:"connections"` // every connection of the cases and the probes
	Probes      int64         `json:"probes"`
	Restarts    int64         `json:"restarts"`
	Duplicates  int64         `json:"duplicates"`   // firings of a bug already found
	FalseAlarms int64         `json:"false_alarms"` // failed probes that passed on a quiet server
	Elapsed     time.Duration `json:"-"`
	Stopped     string        `json:"stopped,omitempty"` // why the run ended early
	Findings    []FuzzFinding `json:"findings"`
}

// FuzzFinding is one bug the fuzzer found: its signature, how often it
// fired, the first case that showed it and where its reproducer was saved.
type FuzzFinding struct {
	Kind        string   `json:"kind"`
	Title       string   `json:"title"`
	Oracle      string   `json:"oracle"`
	Signature   string   `json:"signature"`
	Trace       []string `json:"trace,omitempty"` // the first lines of the server's trace
	Seed        int64    `json:"seed"`
	CaseIndex   int      `json:"case_index"` // the first case that showed it
	TimesSeen   int      `json:"times_seen"`
	Connections int      `json:"connections"`
	Bytes       int      `json:"bytes"`
	File        string   `json:"file,omitempty"`
	Detail      string   `json:"detail"`
	ServerLog   string   `json:"server_log,omitempty"`
}

// CasesPerSecond is the run's case throughput.
func (r *FuzzRun) CasesPerSecond() float64 { return perSecond(r.Cases, r.Elapsed) }

// ConnectionsPerSecond is the run's connection rate (cases and probes).
func (r *FuzzRun) ConnectionsPerSecond() float64 { return perSecond(r.Connections, r.Elapsed) }

func perSecond(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
