package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/load"
	"github.com/chatspec/chatspec/reports"
	wirepatchat "github.com/chatspec/chatspec/wire/patchat"
)

// loadOptions are the flags of "chatspec load".
type loadOptions struct {
	server   serverFlags
	clients  int
	duration time.Duration
	rate     float64
	seed     uint64
	timeout  time.Duration
	report   string
}

// maxListed bounds the violations printed on the console (the JSON report
// holds up to oracle.MaxViolations).
const maxListed = 20

// loadMain runs "chatspec load chatos|patchat [flags]".
func loadMain(args []string, stdout, stderr io.Writer) int {
	opt, err := parseLoadFlags(args, stderr)
	return untilInterrupt(err, func(ctx context.Context) int { return runLoad(ctx, opt, stdout, stderr) })
}

func parseLoadFlags(args []string, stderr io.Writer) (loadOptions, error) {
	var opt loadOptions
	fs := newServerFlags("load", "usage: chatspec load chatos|patchat [flags]\n\n"+
		"N clients log in and chat (Pat Chat: in rooms they create, join and leave) at random under a seed;\n"+
		"the history checker then judges every delivery. Exit status: 0 no violation, 1 violations,\n"+
		"2 usage error or unreachable target.\n", &opt.server, stderr)
	fs.IntVar(&opt.clients, "clients", 10, "clients at once")
	fs.DurationVar(&opt.duration, "duration", 10*time.Second, "how long the clients chat")
	fs.Float64Var(&opt.rate, "rate", 2, "messages or room actions per second per client")
	fs.Uint64Var(&opt.seed, "seed", 0, "random seed; the same seed gives the same choices (default: from the clock, printed)")
	fs.DurationVar(&opt.timeout, "timeout", 5*time.Second, "longest wait for a reply")
	fs.StringVar(&opt.report, "report", "", "write load.json and load.html into this directory")
	proto, rest := splitProtocol(args)
	if err := fs.Parse(rest); err != nil {
		return opt, err
	}
	opt.server.protocol = proto
	fail := func(format string, a ...any) error {
		fmt.Fprintf(stderr, "chatspec load: "+format+"\n", a...)
		return errFuzzUsage
	}
	switch {
	case fs.NArg() > 0:
		return opt, fail("unexpected argument %q", fs.Arg(0))
	case proto == "":
		return opt, fail("name the protocol: chatspec load chatos|patchat")
	case opt.clients < 2:
		return opt, fail("--clients must be at least 2, got %d", opt.clients)
	case opt.duration <= 0 || opt.timeout <= 0:
		return opt, fail("--duration and --timeout must be positive")
	case opt.rate <= 0:
		return opt, fail("--rate must be positive, got %g", opt.rate)
	}
	if opt.seed == 0 {
		opt.seed = uint64(time.Now().UnixNano() & 0x7fffffff)
	}
	return opt, opt.server.check(stderr, "chatspec load")
}

// runLoad starts the server, runs the workload and reports.
func runLoad(ctx context.Context, opt loadOptions, stdout, stderr io.Writer) int {
	d, err := workloadDialect(opt.server)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec load: %v\n", err)
		return fuzzExitUsage
	}
	srv, err := opt.server.start(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec load: %v\n", err)
		return fuzzExitUsage
	}
	defer srv.close()
	fmt.Fprintf(stderr, "chatspec load %s against %s: %d clients for %s at %g/s each, seed %d\n",
		srv.protocol, srv.name, opt.clients, opt.duration, opt.rate, opt.seed)
	res, err := load.Run(ctx, load.Config{Protocol: srv.protocol, Addr: srv.target.Addr(), Clients: opt.clients,
		Duration: opt.duration, Rate: opt.rate, Seed: opt.seed, Dialect: d, Timeout: opt.timeout})
	if err != nil {
		fmt.Fprintf(stderr, "chatspec load: %v\n", err)
		return fuzzExitUsage
	}
	printLoad(stdout, res)
	if opt.report != "" {
		if err := writeLoadReport(opt.report, res, srv.name); err != nil {
			fmt.Fprintf(stderr, "chatspec load: %v\n", err)
			return fuzzExitUsage
		}
	}
	if res.Violations() > 0 {
		return 1
	}
	return 0
}

// workloadDialect is the Pat Chat dialect to drive the server with.
func workloadDialect(s serverFlags) (*wirepatchat.Dialect, error) {
	if s.protocol != load.PatChat {
		return nil, nil
	}
	d, _, err := loadDialect(s.dialect)
	if err != nil {
		return nil, fmt.Errorf("--dialect: %w", err)
	}
	return d, nil
}

// printLoad prints the figures, then the first violations.
func printLoad(w io.Writer, r load.Result) {
	fmt.Fprintf(w, "%s: %d clients, %s, seed %d\n", r.Protocol, r.Clients, r.Duration.Round(time.Millisecond), r.Seed)
	fmt.Fprintf(w, "  messages sent     %d\n  deliveries        %d (%.0f/s)\n", r.Sent, r.Deliveries, r.PerSecond)
	fmt.Fprintf(w, "  latency           p50 %s  p99 %s  max %s\n", round(r.LatencyP50), round(r.LatencyP99), round(r.LatencyMax))
	if r.Protocol == load.ChatOS {
		fmt.Fprintf(w, "  private conns     %d joined, %d lines through them\n", r.Bridges, r.BridgeLines)
	}
	fmt.Fprintf(w, "  lost              %d\n  duplicated        %d\n  violations        %d\n",
		r.Lost, r.Duplicated, r.Violations())
	for i, e := range r.ClientErrors {
		if i == maxListed {
			fmt.Fprintf(w, "  ... and %d more client errors\n", len(r.ClientErrors)-maxListed)
			break
		}
		fmt.Fprintf(w, "  client stopped: %s\n", e)
	}
	for i, v := range r.Check.Violations {
		if i == maxListed {
			fmt.Fprintf(w, "... and %d more violations (see --report)\n", r.Violations()-maxListed)
			break
		}
		fmt.Fprintf(w, "\n%s [%s] %s\n", failWord(v.Req), v.Req, v)
		for _, e := range v.Excerpts {
			fmt.Fprintf(w, "    %s\n", e)
		}
	}
}

// failWord is how a violation of req is shown: FAIL for a MUST, WARN for
// a SHOULD.
func failWord(req string) string {
	if r, _ := catalog.Lookup(req); r.Level == catalog.Should {
		return "WARN"
	}
	return "FAIL"
}

func round(d time.Duration) string {
	return d.Round(10 * time.Microsecond).String()
}

// writeLoadReport writes load.json and load.html (named apart from a
// suite run's results.json and report.html, so one folder can hold both).
func writeLoadReport(dir string, r load.Result, target string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "load.json"), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	var page bytes.Buffer
	run := r.Report(target)
	if err := reports.LoadHTML(&page, &run); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "load.html"), page.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--report: %w", err)
	}
	return nil
}
