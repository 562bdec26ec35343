package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/profile"
	"github.com/chatspec/chatspec/reports"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/steps"
	"github.com/chatspec/chatspec/target"
	"github.com/mattn/go-isatty"
)

// runOptions are the flags of `chatspec run`.
type runOptions struct {
	protocols    []string
	target, exec string
	ready        *regexp.Regexp // --ready: a line of the server's output that means ready
	readyFile    string         // --ready-file: a file whose existence means ready
	profile      profile.Profile
	tags         string
	timeout      time.Duration
	quiet        time.Duration
	startTimeout time.Duration
	execInDir    bool
	concurrency  int
	strict, long bool
	report       string
	featuresDir  string
	dialect      string
	expect       string
	expectations results.Expectations // read from expect before the run
	writeExpect  string
	faults       string
	repeat       int
	progress     bool
	color        string
	dryRun       bool
	name         string // the server's name in reports (--name)
	github       bool   // print GitHub Actions annotations
	selection    string // the flags that narrowed the run, for results.Run.Selection
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// runSynopsis heads `chatspec run -h`.
const runSynopsis = `usage: chatspec run [chatos|patchat] [flags]

Runs the conformance suite of one protocol (both when none is named) against a
server: --target, --exec, or the embedded reference server when neither is given.
Exit status: 0 certified, 1 not certified, 2 usage error or unreachable target.`

// parseRun reads the command line of `chatspec run`; help goes to stdout.
func parseRun(args []string, stdout io.Writer) (*runOptions, error) {
	o := &runOptions{}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if _, ok := protocols[args[0]]; !ok {
			return nil, usagef("unknown protocol %q (want chatos or patchat)", args[0])
		}
		o.protocols, args = []string{args[0]}, args[1:]
	}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.StringVar(&o.target, "target", "", "host:port of a running server to certify")
	fs.StringVar(&o.exec, "exec", "", "command that starts the server; {port}, {addr} and {dir} are filled in (e.g. './myserver --port {port}')")
	profilePath := fs.String("profile", "", "YAML file of the server's legitimate choices (max-nick, idle-timeout, answer-order, capacity, long-wait)")
	tags := fs.String("tags", "", `select scenarios by tag: "@COP-3.5-6", "@must and not @long", "@a or @b"`)
	section := fs.String("section", "", "select sections of the document, e.g. 3.5 or 3.5,4 or R")
	fs.DurationVar(&o.timeout, "timeout", 2*time.Second, "longest wait for a reply the server owes")
	fs.DurationVar(&o.quiet, "quiet", 250*time.Millisecond, `how long a "nothing arrives" check listens`)
	ready := fs.String("ready", "", "with --exec: the server is ready once a line of its output matches this regular expression")
	fs.StringVar(&o.readyFile, "ready-file", "", "with --exec: the server is ready once this file exists ({dir} is filled in)")
	fs.DurationVar(&o.startTimeout, "start-timeout", 10*time.Second, "with --exec: how long the server may take to accept connections")
	fs.BoolVar(&o.execInDir, "exec-in-dir", false, "with --exec: start the server in {dir} (for a server that writes its address file in its working directory)")
	fs.IntVar(&o.concurrency, "concurrency", 8, "scenarios run at once")
	fs.BoolVar(&o.strict, "strict", false, "SHOULD failures fail the run too")
	fs.BoolVar(&o.long, "long", false, "run checks that wait longer than the profile's long-wait (the idle timeout)")
	fs.StringVar(&o.report, "report", "", "write results.json, junit.xml, summary.md and report.html to this folder")
	fs.StringVar(&o.featuresDir, "features", "", "run the .feature files of this folder instead of the embedded ones")
	fs.StringVar(&o.dialect, "dialect", "", "Pat Chat dialect file (default: the reference server's dialect)")
	fs.StringVar(&o.expect, "expect", "", "expectations file: known failures listed there do not fail the run")
	fs.StringVar(&o.writeExpect, "write-expect", "", "write this run's failures as an expectations file")
	fs.StringVar(&o.faults, "faults", "", "embedded reference only: turn on fault switches (to see chatspec fail)")
	fs.IntVar(&o.repeat, "repeat", 1, "run the suite this many times and flag scenarios whose outcome changes (flakes)")
	fs.BoolVar(&o.progress, "progress", false, "print a plain line per finished scenario on stderr (on a terminal, a status line is redrawn in place anyway)")
	fs.StringVar(&o.color, "color", "auto", "colour the table: auto, always or never")
	fs.BoolVar(&o.dryRun, "dry-run", false, "list the scenarios this run would execute, and run nothing")
	fs.BoolVar(&o.github, "github", false, "print GitHub Actions annotations for the first ten failures and a notice with the verdict")
	fs.StringVar(&o.name, "name", "", "the server's name in reports and `chatspec compare` (default: the target)")
	if err := parseArgs(fs, runSynopsis, args, stdout); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usagef("unexpected argument %q (the protocol comes first: chatspec run chatos ...)", fs.Arg(0))
	}
	if err := o.checkApplies(setFlags(fs)); err != nil {
		return nil, err
	}
	if err := o.readiness(*ready); err != nil {
		return nil, err
	}
	return o, o.finish(*profilePath, *tags, *section)
}

// checkApplies refuses a flag the run would ignore, naming it.
func (o *runOptions) checkApplies(set map[string]bool) error {
	for _, name := range protocolOrder {
		for _, flagName := range protocols[name].ownFlags {
			if set[flagName] && len(o.protocols) == 1 && o.protocols[0] != name {
				return usagef("--%s applies only to %s, not %s", flagName, name, o.protocols[0])
			}
		}
	}
	if set["start-timeout"] && o.exec == "" {
		return usagef("--start-timeout applies only with --exec (how long the started server may take)")
	}
	return nil
}

// readiness checks --ready and --ready-file, which only apply to --exec.
func (o *runOptions) readiness(ready string) error {
	switch {
	case ready != "" && o.exec == "":
		return usagef("--ready applies to a server chatspec starts: give --exec too")
	case o.readyFile != "" && o.exec == "":
		return usagef("--ready-file applies to a server chatspec starts: give --exec too")
	case ready == "":
		return nil
	}
	re, err := regexp.Compile(ready)
	if err != nil {
		return usagef("--ready: %v", err)
	}
	o.ready = re
	return nil
}

// finish validates the flags against each other.
func (o *runOptions) finish(profilePath, tags, section string) error {
	if len(o.protocols) == 0 {
		for _, name := range protocolOrder {
			if _, ok := protocols[name]; ok {
				o.protocols = append(o.protocols, name)
			}
		}
	}
	switch {
	case o.target != "" && o.exec != "":
		return usagef("--target and --exec exclude each other")
	case o.execInDir && o.exec == "":
		return usagef("--exec-in-dir applies only with --exec")
	case (o.target != "" || o.exec != "" || o.featuresDir != "" || o.dialect != "") && len(o.protocols) > 1:
		return usagef("name the protocol (chatspec run chatos|patchat) with --target, --exec, --features or --dialect")
	case o.faults != "" && (o.target != "" || o.exec != ""):
		return usagef("--faults switches bugs on in the embedded reference server; it cannot apply to --target or --exec")
	case o.timeout <= 0:
		return usagef("--timeout must be positive, got %v", o.timeout)
	case o.quiet <= 0:
		return usagef("--quiet must be positive, got %v", o.quiet)
	case o.concurrency < 1:
		return usagef("--concurrency must be at least 1, got %d", o.concurrency)
	case o.repeat < 1:
		return usagef("--repeat must be at least 1, got %d", o.repeat)
	case o.color != "auto" && o.color != "always" && o.color != "never":
		return usagef("--color must be auto, always or never, got %q", o.color)
	}
	if err := o.checkFiles(); err != nil {
		return err
	}
	o.profile = profile.Default()
	if profilePath != "" {
		p, err := profile.Load(profilePath)
		if err != nil {
			return usagef("%v", err)
		}
		o.profile = p
	}
	t, err := steps.TranslateTags(tags)
	if err != nil {
		return usagef("--tags: %v", err)
	}
	s, err := steps.SectionTags(section)
	if err != nil {
		return usagef("--section: %v", err)
	}
	o.tags = steps.And(t, s)
	o.selection = selectionOf(map[string]string{"--tags": tags, "--section": section, "--features": o.featuresDir})
	return nil
}

// checkFiles makes sure, before the run, that its results can be written and
// its expectations read: a wrong path must not cost a whole run.
func (o *runOptions) checkFiles() error {
	if err := errors.Join(notAFile("report", o.report), notADir("write-expect", o.writeExpect)); err != nil {
		return err
	}
	if o.report != "" {
		if err := os.MkdirAll(o.report, 0o755); err != nil {
			return usagef("--report: %v", err)
		}
	}
	if o.expect != "" {
		e, err := readExpectations(o.expect)
		if err != nil {
			return usagef("--expect: %v", err)
		}
		o.expectations = e
	}
	return nil
}

// runMain is `chatspec run`.
func runMain(args []string, stdout, stderr io.Writer) int {
	o, err := parseRun(args, stdout)
	if errors.Is(err, errHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "chatspec run: %v\n", err)
		return results.ExitUsage
	}
	if o.dryRun {
		return dryRun(o, stdout, stderr)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var runs []*results.Run
	for _, name := range o.protocols {
		run, err := runOne(ctx, protocols[name], o, stderr)
		if errors.Is(err, steps.ErrBadScenario) {
			fmt.Fprintf(stderr, "chatspec run %s: %v\n", name, err) // ERROR rows; the run is not certified
			err = nil
		}
		if err != nil {
			fmt.Fprintf(stderr, "chatspec run %s: %v\n", name, err)
			return results.ExitUsage
		}
		runs = append(runs, run)
	}
	return finishRuns(runs, o, stdout, stderr)
}

// reachWait is the least time the first check before a run gives the
// server, as every check after a scenario does: a short --timeout (a wait
// for replies) must not turn a slow connect on a busy machine into exit 2.
const reachWait = time.Second

// runOne starts or reaches the target and runs one protocol's suite.
func runOne(ctx context.Context, p protocol, o *runOptions, stderr io.Writer) (*results.Run, error) {
	env := &steps.Env{Profile: o.profile, Timeout: o.timeout, Quiet: o.quiet, Long: o.long}
	if err := p.prepare(env, o); err != nil {
		return nil, err
	}
	tg, err := openTarget(ctx, p, o, p.probe(env))
	if err != nil {
		return nil, err
	}
	defer tg.Close()
	env.Target = tg
	actx, cancel := context.WithTimeout(ctx, max(o.timeout, reachWait))
	defer cancel()
	if err := tg.Alive(actx); err != nil {
		return nil, fmt.Errorf("the server at %s cannot be reached: %w", tg.Addr(), err)
	}
	if err := preflightPatChat(env); err != nil {
		return nil, err
	}
	opt := steps.Options{Tags: o.tags, Concurrency: o.concurrency, Strict: o.strict}
	suite := p.suite(steps.Suite{Features: featuresFrom(p, o.featuresDir)})
	if live := newLiveProgress(p.name, stderr, o, suite.Features); live != nil {
		opt.Observe = live.observe
		defer live.finish()
	}
	var repeats []*results.Run
	for range o.repeat {
		var run *results.Run
		run, err = steps.Run(ctx, suite, env, opt)
		if err != nil && !errors.Is(err, steps.ErrBadScenario) {
			return nil, err
		}
		repeats = append(repeats, run)
	}
	run := results.MergeRepeats(repeats)
	if run != nil && o.tags == "" && o.featuresDir == "" {
		results.AddUncovered(run, catalog.ForProtocol(p.name))
	}
	if run != nil {
		describeRun(run, o, suite.Features)
	}
	return run, err
}

// openTarget builds the target the flags describe; probe speaks the
// protocol to tell whether it is ready and alive.
func openTarget(ctx context.Context, p protocol, o *runOptions, probe target.Probe) (target.Target, error) {
	switch {
	case o.target != "":
		return target.Remote(o.target, target.WithProbe(probe))
	case o.exec != "":
		return target.Exec(ctx, o.exec, target.ExecOptions{StartTimeout: o.startTimeout, Probe: probe,
			Ready: o.ready, ReadyFile: o.readyFile, InDir: o.execInDir})
	}
	dir, err := os.MkdirTemp("", "chatspec-ref-")
	if err != nil {
		return nil, err
	}
	serve, err := p.reference(p.runArgs(dir), o.faults, nil)
	if err != nil {
		os.RemoveAll(dir)
		return nil, usagef("%v", err)
	}
	tg, err := target.InProcess(ctx, serve, target.WithProbe(probe))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &cleanupTarget{Target: tg, dir: dir}, nil
}

// cleanupTarget removes the reference server's temporary folder at Close.
type cleanupTarget struct {
	target.Target
	dir string
}

// Dir is the reference server's folder, where it writes its files (the
// Pat Chat address file of PAT-4.2-1), as {dir} is for --exec.
func (c *cleanupTarget) Dir() string { return c.dir }

func (c *cleanupTarget) Close() error {
	err := c.Target.Close()
	os.RemoveAll(c.dir)
	return err
}

// finishRuns applies expectations, prints the table, writes the reports and
// returns the exit status.
func finishRuns(runs []*results.Run, o *runOptions, stdout, stderr io.Writer) int {
	if o.expect != "" {
		for _, r := range runs {
			r.ApplyExpectations(o.expectations)
			r.Expect = o.expect
		}
	}
	color := o.color == "always"
	if f, ok := stdout.(*os.File); ok && o.color == "auto" {
		color = isatty.IsTerminal(f.Fd())
	}
	if err := reports.Console(stdout, runs, reports.ConsoleOptions{Color: color, Width: terminalWidth(stdout)}); err != nil {
		fmt.Fprintf(stderr, "chatspec run: %v\n", err)
	}
	if o.github {
		if err := reports.GitHub(stdout, runs); err != nil {
			fmt.Fprintf(stderr, "chatspec run: %v\n", err)
		}
	}
	if err := writeReports(runs, o); err != nil {
		fmt.Fprintf(stderr, "chatspec run: %v\n", err)
		return results.ExitUsage
	}
	return results.Runs(runs).ExitCode()
}

// readExpectations reads an expectations file.
func readExpectations(path string) (results.Expectations, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	e, err := results.ReadExpectations(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}

// writeReports writes the --report folder and the --write-expect file.
func writeReports(runs []*results.Run, o *runOptions) error {
	if o.writeExpect != "" {
		if err := writeFile(o.writeExpect, func(w io.Writer) error {
			_, err := results.ExpectationsFrom(runs...).WriteTo(w)
			return err
		}); err != nil {
			return err
		}
	}
	if o.report == "" {
		return nil
	}
	if err := os.MkdirAll(o.report, 0o755); err != nil {
		return err
	}
	for name, render := range map[string]func(io.Writer, []*results.Run) error{
		"results.json": reports.JSON, "junit.xml": reports.JUnit, "summary.md": reports.Markdown, "report.html": reports.HTML,
	} {
		if err := writeFile(filepath.Join(o.report, name), func(w io.Writer) error { return render(w, runs) }); err != nil {
			return err
		}
	}
	return writeCertificate(o.report, runs)
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
