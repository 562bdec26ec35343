package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/target"
)

// BenchmarkInstances fuzzes the crash-sites server, which takes 300 ms to
// start and dies on most malformed frames, with --instances 1 and then 4
// (8 workers, 10 s each), and reports both cases/s and their ratio
// ("speedup"; the target is >= 3: restarts overlap, and each waits only
// for readiness). Run with -benchtime 1x: one iteration is two 10 s runs.
func BenchmarkInstances(b *testing.B) {
	b.Setenv(crashSitesEnv, "1")
	self, err := os.Executable()
	require.NoError(b, err)
	exec := target.CommandLine(self, "crash-sites", "--addr", "{addr}", "--start-delay", "300ms")
	var one, four, restarts1, restarts4 float64
	for range b.N {
		r1, n1 := instancesRun(b, exec, 1)
		r4, n4 := instancesRun(b, exec, 4)
		one, four = one+r1, four+r4
		restarts1, restarts4 = restarts1+n1, restarts4+n4
	}
	n := float64(b.N)
	b.ReportMetric(one/n, "cases/s-1")
	b.ReportMetric(four/n, "cases/s-4")
	b.ReportMetric(restarts1/n, "restarts-1")
	b.ReportMetric(restarts4/n, "restarts-4")
	b.ReportMetric(four/one, "speedup")
}

// instancesRun fuzzes for 10 s with this many instances and returns the
// run's cases/s and restarts, read from findings.json.
func instancesRun(b *testing.B, exec string, instances int) (float64, float64) {
	dir := b.TempDir()
	code, stdout, stderr := runCLI(fuzzMain, "chatos", "--exec", exec, "--duration", "10s", "--seed", "3",
		"--workers", "8", "--instances", strconv.Itoa(instances), "--findings", dir, "--report", dir)
	require.Equal(b, 1, code, "stdout:\n%s\nstderr:\n%s", stdout, stderr)
	data, err := os.ReadFile(filepath.Join(dir, "findings.json"))
	require.NoError(b, err)
	var rep struct {
		CasesPerSecond float64 `json:"cases_per_second"`
		Restarts       float64 `json:"restarts"`
	}
	require.NoError(b, json.Unmarshal(data, &rep))
	return rep.CasesPerSecond, rep.Restarts
}
