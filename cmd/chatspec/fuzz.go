package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/reports"
	"github.com/chatspec/chatspec/results"
)

// Exit statuses of fuzz and replay.
const (
	fuzzExitClean = 0 // nothing found (replay: nothing fired)
	fuzzExitFound = 1 // a finding (replay/minimise: it still reproduces)
	fuzzExitUsage = 2 // bad usage or unreachable target
)

// errFuzzUsage marks a usage error (exit 2) that has already been explained.
var errFuzzUsage = errors.New("usage error")

// fuzzOptions are the flags of "chatspec fuzz".
type fuzzOptions struct {
	server       serverFlags
	seed         int64
	duration     time.Duration
	cases        int
	workers      int
	instances    int
	report       string
	findings     string
	minimise     string
	export       string
	maxTests     int
	stopOnFirst  bool
	stopAfter    int
	probeEvery   int
	probeTimeout time.Duration
	rssGrowthMiB int64
	drain        time.Duration
}

// fuzzMain runs "chatspec fuzz chatos|patchat [flags]".
func fuzzMain(args []string, stdout, stderr io.Writer) int {
	opt, err := parseFuzzFlags(args, stderr)
	return untilInterrupt(err, func(ctx context.Context) int {
		if opt.export != "" {
			return runExport(opt.export, stdout, stderr)
		}
		if opt.minimise != "" {
			return runMinimise(ctx, opt, stdout, stderr)
		}
		return runFuzz(ctx, opt, stdout, stderr)
	})
}

func parseFuzzFlags(args []string, stderr io.Writer) (fuzzOptions, error) {
	var opt fuzzOptions
	fs := newServerFlags("fuzz", "usage: chatspec fuzz chatos|patchat [flags]\n"+
		"       chatspec fuzz [chatos|patchat] --minimise FINDING [flags]\n"+
		"       chatspec fuzz --export-feature FINDING\n\n"+
		"Fuzzes a server (the bundled reference when neither --target nor --exec is given).\n"+
		"Exit status: 0 nothing found, 1 findings, 2 usage error or unreachable target.\n", &opt.server, stderr)
	fs.Int64Var(&opt.seed, "seed", 0, "random seed; the same seed gives the same cases (default: from the clock, printed)")
	fs.DurationVar(&opt.duration, "duration", 0, "stop after this long (default 60s when --cases is not given)")
	fs.IntVar(&opt.cases, "cases", 0, "stop after this many cases (0: no limit)")
	fs.IntVar(&opt.workers, "workers", 4, "cases run at once")
	fs.IntVar(&opt.instances, "instances", 1, "with --exec (or --faults): run this many copies of the server on their own ports, shared by the workers, so restarts overlap")
	fs.StringVar(&opt.report, "report", "", "write findings.md and findings.json into this directory")
	fs.StringVar(&opt.findings, "findings", "findings", "directory for finding files")
	fs.StringVar(&opt.minimise, "minimise", "", "shrink the case of this finding file instead of fuzzing")
	fs.StringVar(&opt.export, "export-feature", "", "write this (minimised) finding file as a .feature scenario next to it, for run --features")
	fs.IntVar(&opt.maxTests, "max-tests", fuzz.DefaultMaxTests, "case executions allowed to --minimise")
	fs.BoolVar(&opt.stopOnFirst, "stop-on-first", false, "stop at the first finding")
	fs.IntVar(&opt.stopAfter, "stop-after", 0, "stop once this many different findings are found (0: no limit)")
	fs.IntVar(&opt.probeEvery, "probe-every", 4, "cases between health probes (1: after every case)")
	fs.DurationVar(&opt.probeTimeout, "probe-timeout", fuzz.DefaultProbeTimeout, "deadline of one health probe (no answer: hang)")
	fs.Int64Var(&opt.rssGrowthMiB, "rss-growth", fuzz.DefaultRSSGrowth>>20, "with --exec: MiB of resident memory growth that is a finding")
	fs.DurationVar(&opt.drain, "drain", 0, "how long a case waits for the server to close after the last byte (default 250ms)")
	proto, rest := splitProtocol(args)
	if err := fs.Parse(rest); err != nil {
		return opt, err
	}
	if proto == "" && fs.NArg() > 0 {
		proto, rest = fs.Arg(0), fs.Args()[1:]
		if err := fs.Parse(rest); err != nil {
			return opt, err
		}
	}
	opt.server.protocol = proto
	return opt, checkFuzzFlags(fs, &opt, stderr)
}

// splitProtocol takes a leading protocol name off args.
func splitProtocol(args []string) (string, []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[0], args[1:]
	}
	return "", args
}

func checkFuzzFlags(fs *flag.FlagSet, opt *fuzzOptions, stderr io.Writer) error {
	fail := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "chatspec fuzz: "+format+"\n", a...)
		return errFuzzUsage
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected argument %q", fs.Arg(0))
	case opt.export != "" && opt.minimise != "":
		return fail("--export-feature and --minimise exclude each other: minimise first, then export the .min.finding")
	case opt.server.protocol == "" && opt.minimise == "" && opt.export == "":
		return fail("name the protocol: chatspec fuzz chatos|patchat")
	case opt.workers < 1:
		return fail("--workers must be at least 1, got %d", opt.workers)
	case opt.probeEvery < 1:
		return fail("--probe-every must be at least 1, got %d", opt.probeEvery)
	case opt.maxTests < 1:
		return fail("--max-tests must be at least 1, got %d", opt.maxTests)
	case opt.stopAfter < 0:
		return fail("--stop-after must not be negative, got %d", opt.stopAfter)
	case opt.cases < 0:
		return fail("--cases must not be negative, got %d", opt.cases)
	case opt.duration < 0:
		return fail("--duration must not be negative, got %v", opt.duration)
	case opt.instances < 1:
		return fail("--instances must be at least 1, got %d", opt.instances)
	case opt.instances > 1 && opt.server.exec == "" && opt.server.faults == "":
		return fail("--instances needs --exec (or --faults): chatspec starts the copies itself")
	}
	if err := notAFile("report", opt.report); err != nil {
		return fail("%v", err)
	}
	if opt.cases == 0 && opt.duration == 0 {
		opt.duration = time.Minute
	}
	if opt.seed == 0 {
		opt.seed = time.Now().UnixNano() & 0x7fffffff
	}
	if opt.minimise != "" || opt.export != "" {
		return nil // the protocol may come from the finding: checked once it is read
	}
	return opt.server.check(stderr, "chatspec fuzz")
}

// runFuzz runs the engine and reports.
func runFuzz(ctx context.Context, opt fuzzOptions, stdout, stderr io.Writer) int {
	srv, err := opt.server.start(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec fuzz: %v\n", err)
		return fuzzExitUsage
	}
	defer srv.close()
	extra, err := startInstances(ctx, opt, stderr)
	defer func() {
		for _, x := range extra {
			x.close()
		}
	}()
	if err != nil {
		fmt.Fprintf(stderr, "chatspec fuzz: --instances: %v\n", err)
		return fuzzExitUsage
	}
	files := map[string]string{}
	o := srv.oracles(opt.probeTimeout, opt.rssGrowthMiB, opt.drain)
	var others []*fuzz.Oracles
	for _, x := range extra {
		others = append(others, x.oracles(opt.probeTimeout, opt.rssGrowthMiB, opt.drain))
	}
	cfg := fuzz.Config{Oracles: o, Instances: others, TargetName: srv.name, Seed: opt.seed, Cases: opt.cases, Duration: opt.duration,
		Workers: opt.workers, ProbeEvery: opt.probeEvery, StopOnFirst: opt.stopOnFirst, StopAfter: opt.stopAfter,
		Faults:    opt.server.faults,
		OnFinding: func(f fuzz.Finding) { files[f.Identity()] = saveFinding(opt.findings, f, stderr) }}
	fmt.Fprintf(stderr, "chatspec fuzz %s against %s, seed %d, %d worker(s), %d instance(s)\n", srv.protocol, srv.name,
		opt.seed, opt.workers, opt.instances)
	e := fuzz.NewEngine(cfg)
	done := make(chan struct{})
	progressDone := startProgress(e, stderr, done)
	sum, err := e.Run(ctx)
	close(done)
	<-progressDone
	if err != nil {
		fmt.Fprintf(stderr, "chatspec fuzz: %v\n", err)
		return fuzzExitUsage
	}
	run := sum.Results(fuzz.RunInfo{Protocol: srv.protocol, Target: srv.name, Seed: opt.seed, Workers: opt.workers,
		Instances: opt.instances}, files)
	fmt.Fprintln(stdout)
	if err := reports.FuzzConsole(stdout, run); err != nil {
		fmt.Fprintf(stderr, "chatspec fuzz: %v\n", err)
	}
	if opt.report != "" {
		if err := writeFuzzReport(opt.report, run); err != nil {
			fmt.Fprintf(stderr, "chatspec fuzz: %v\n", err)
			return fuzzExitUsage
		}
	}
	if len(sum.Findings) > 0 {
		return fuzzExitFound
	}
	return fuzzExitClean
}

// startInstances starts the copies of the server beyond the first.
func startInstances(ctx context.Context, opt fuzzOptions, stderr io.Writer) ([]*runningServer, error) {
	var out []*runningServer
	for range opt.instances - 1 {
		x, err := opt.server.start(ctx, stderr)
		if err != nil {
			return out, err
		}
		out = append(out, x)
	}
	return out, nil
}

// writeFuzzReport writes findings.json and findings.md into dir.
func writeFuzzReport(dir string, run *results.FuzzRun) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report directory: %w", err)
	}
	for name, render := range map[string]func(io.Writer, *results.FuzzRun) error{
		"findings.json": reports.FuzzJSON, "findings.md": reports.FuzzMarkdown,
	} {
		var b bytes.Buffer
		if err := render(&b, run); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return nil
}

// saveFinding writes a finding file and says where; "" when it could not.
func saveFinding(dir string, f fuzz.Finding, stderr io.Writer) string {
	path := filepath.Join(dir, fuzz.FindingFileName(f))
	err := os.MkdirAll(dir, 0o755)
	if err == nil {
		err = fuzz.WriteFindingFile(path, f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "\nchatspec fuzz: finding %q not saved: %v\n", f.Title, err)
		return ""
	}
	fmt.Fprintf(stderr, "\nfinding: %s (%s, case %d) -> %s\n", f.Title, f.Kind, f.CaseIndex, path)
	return path
}

// runMinimise shrinks one finding and writes it next to the original.
func runMinimise(ctx context.Context, opt fuzzOptions, stdout, stderr io.Writer) int {
	f, err := fuzz.ReadFindingFile(opt.minimise)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec fuzz: %v\n", err)
		return fuzzExitUsage
	}
	if code, ok := adoptFinding(&opt.server, f, stderr, "chatspec fuzz"); !ok {
		return code
	}
	srv, err := opt.server.start(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec fuzz: %v\n", err)
		return fuzzExitUsage
	}
	defer srv.close()
	o := srv.oracles(opt.probeTimeout, opt.rssGrowthMiB, opt.drain)
	small, rep, err := fuzz.MinimiseFinding(ctx, o, f, opt.maxTests)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec fuzz: minimise: %v\n", err)
		switch {
		case errors.Is(err, fuzz.ErrNotReproduced):
			return fuzzExitClean // nothing fired
		case errors.Is(err, fuzz.ErrOtherSignature):
			return fuzzExitFound // something fired, not this bug: nothing kept
		}
		return fuzzExitUsage
	}
	out := strings.TrimSuffix(opt.minimise, ".finding") + ".min.finding"
	if err := fuzz.WriteFindingFile(out, small); err != nil {
		fmt.Fprintf(stderr, "chatspec fuzz: %v\n", err)
		return fuzzExitUsage
	}
	fmt.Fprintf(stdout, "minimised %s (same signature: %s) in %d tests: %d -> %d bytes, %d -> %d connections, %d -> %d steps\n%s\n",
		opt.minimise, small.Signature.Key, rep.Tests, rep.BeforeBytes, rep.AfterBytes, rep.BeforeConns, rep.AfterConns,
		rep.BeforeSteps, rep.AfterSteps, out)
	return fuzzExitFound
}

// runExport writes a finding as a .feature file next to it.
func runExport(path string, stdout, stderr io.Writer) int {
	f, err := fuzz.ReadFindingFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec fuzz: %v\n", err)
		return fuzzExitUsage
	}
	base := strings.TrimSuffix(path, ".finding")
	text, err := fuzz.ExportFeature(f, filepath.Base(base))
	if err != nil {
		fmt.Fprintf(stderr, "chatspec fuzz: %s: %v\n", path, err)
		return fuzzExitUsage
	}
	out := base + ".feature"
	if err := os.WriteFile(out, text, 0o644); err != nil {
		fmt.Fprintf(stderr, "chatspec fuzz: %v\n", err)
		return fuzzExitUsage
	}
	fmt.Fprintf(stdout, "%s\nrun it with: chatspec run %s --features %s --exec '...' (or --target)\n",
		out, f.Case.Protocol, filepath.Dir(out))
	return fuzzExitClean
}

// adoptFinding takes the protocol from a finding when none was named and
// refuses a mismatch; a finding recorded against another server needs
// --target or --exec (the bundled reference is not that server), and one
// recorded against the reference with faults gets those faults back.
func adoptFinding(s *serverFlags, f fuzz.Finding, stderr io.Writer, cmd string) (int, bool) {
	switch {
	case s.protocol == "":
		s.protocol = f.Case.Protocol
	case f.Case.Protocol != "" && s.protocol != f.Case.Protocol:
		fmt.Fprintf(stderr, "%s: the finding is for %s, not %s\n", cmd, f.Case.Protocol, s.protocol)
		return fuzzExitUsage, false
	}
	if s.target == "" && s.exec == "" {
		if !recordedOnReference(f) {
			fmt.Fprintf(stderr, "%s: the finding was recorded against %q, not the bundled reference: "+
				"give --target HOST:PORT or --exec CMD for that server\n", cmd, f.Target)
			return fuzzExitUsage, false
		}
		if s.faults == "" {
			s.faults = recordedFaults(f)
		}
	}
	if err := s.check(stderr, cmd); err != nil {
		return fuzzExitUsage, false
	}
	return 0, true
}

// recordedOnReference reports whether f was found on the bundled reference.
func recordedOnReference(f fuzz.Finding) bool {
	return f.Target == "" || f.Target == "reference" || strings.HasPrefix(f.Target, "reference (")
}

// recordedFaults are the reference's fault switches f was found with; a
// finding file from before the faults line names them in its target.
func recordedFaults(f fuzz.Finding) string {
	if f.Faults != "" {
		return f.Faults
	}
	if rest, ok := strings.CutPrefix(f.Target, "reference (faults: "); ok {
		return strings.TrimSuffix(rest, ")")
	}
	return ""
}

// startProgress shows live counters until done is closed: one rewritten
// line on a terminal, a plain line every 10 s otherwise. The returned
// channel is closed once the last line is written.
func startProgress(e *fuzz.Engine, w io.Writer, done <-chan struct{}) <-chan struct{} {
	finished := make(chan struct{})
	tty := isTerminal(w)
	every := 10 * time.Second
	if tty {
		every = 250 * time.Millisecond
	}
	go func() {
		defer close(finished)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				if tty {
					fmt.Fprintf(w, "\r%s\n", progressLine(e.Stats()))
				}
				return
			case <-tick.C:
				if tty {
					fmt.Fprintf(w, "\r%s", progressLine(e.Stats()))
				} else {
					fmt.Fprintln(w, progressLine(e.Stats()))
				}
			}
		}
	}()
	return finished
}

func progressLine(s fuzz.Stats) string {
	return fmt.Sprintf("cases %d  %.0f/s  findings %d  elapsed %s   ", s.Cases, s.CasesPerSecond(), s.Findings,
		s.Elapsed.Round(time.Second))
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
