package results

import "time"

// LoadRun is what a load run (chatspec load) reports: its figures, the
// history the checker judged, the violation rows and where on the history
// each violation sits. It is the input of the load run's HTML page, so the
// page can draw the latency distribution and a timeline of the clients.
type LoadRun struct {
	LoadFigures
	Target       string   `json:"target"`
	Violations   int      `json:"violations"` // found, including those not kept in Rows
	ClientErrors []string `json:"client_errors,omitempty"`
	Rows         []Result `json:"rows,omitempty"` // one per violation kept
	Marks        []Mark   `json:"marks,omitempty"`
	History      *History `json:"-"`
}

// LoadFigures are what a load run measured: its size, throughput,
// latency percentiles and the losses and duplicates the checker counted.
type LoadFigures struct {
	Protocol   string        `json:"protocol"`
	Clients    int           `json:"clients"`
	Duration   time.Duration `json:"duration_ns"`
	Seed       uint64        `json:"seed"`
	Sent       int           `json:"sent"`
	Deliveries int           `json:"deliveries"`
	PerSecond  float64       `json:"deliveries_per_second"`
	LatencyP50 time.Duration `json:"latency_p50_ns"`
	LatencyP99 time.Duration `json:"latency_p99_ns"`
	LatencyMax time.Duration `json:"latency_max_ns"`
	Lost       int           `json:"lost"`
	Duplicated int           `json:"duplicated"`
	// ChatOS: private connections joined (both halves got 11) and the
	// lines received on them.
	Bridges     int `json:"private_connections,omitempty"`
	BridgeLines int `json:"private_lines,omitempty"`
}

// Mark places a violation on the history: on connection Conn at time At
// (where it was received, or for a message that never arrived, written).
type Mark struct {
	Conn int32         `json:"conn"`
	At   time.Duration `json:"at"`
	Req  string        `json:"req"`
	What string        `json:"what"` // the violation in one line
}
