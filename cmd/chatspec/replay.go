package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"time"

	"github.com/chatspec/chatspec/fuzz"
	fuzzchatos "github.com/chatspec/chatspec/fuzz/chatos"
	fuzzpatchat "github.com/chatspec/chatspec/fuzz/patchat"
	"github.com/chatspec/chatspec/profile"
	"github.com/chatspec/chatspec/steps"
	"github.com/chatspec/chatspec/target"
)

// replayMain runs "chatspec replay FINDING [flags]": the finding's case once,
// on a healthy server, judged by the same oracles as the fuzzer.
// Exit status: 1 when an oracle fires (the bug is there), 0 when none does.
func replayMain(args []string, stdout, stderr io.Writer) int {
	var s serverFlags
	var probeTimeout time.Duration
	fs := newServerFlags("replay", "usage: chatspec replay FINDING [flags]\n\n"+
		"Replays a finding file against a server (for a finding made on the bundled reference: it, with the same faults).\n"+
		"It says \"reproduced (same signature)\" or names the different signature that fired.\n"+
		"A finding recorded against another server needs --target or --exec.\n"+
		"Exit status: 1 something fired, 0 nothing fired, 2 usage error or unreachable target.\n", &s, stderr)
	fs.DurationVar(&probeTimeout, "probe-timeout", fuzz.DefaultProbeTimeout, "deadline of one health probe")
	file, rest := splitProtocol(args)
	if err := fs.Parse(rest); err != nil {
		return map[bool]int{true: fuzzExitClean, false: fuzzExitUsage}[errors.Is(err, flag.ErrHelp)]
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 || file == "" {
		fmt.Fprintln(stderr, "chatspec replay: give exactly one finding file")
		return fuzzExitUsage
	}
	f, err := fuzz.ReadFindingFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec replay: %v\n", err)
		return fuzzExitUsage
	}
	if code, ok := adoptFinding(&s, f, stderr, "chatspec replay"); !ok {
		return code
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return replay(ctx, s, f, probeTimeout, stdout, stderr)
}

func replay(ctx context.Context, s serverFlags, f fuzz.Finding, probeTimeout time.Duration, stdout, stderr io.Writer) int {
	srv, err := s.start(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec replay: %v\n", err)
		return fuzzExitUsage
	}
	defer srv.close()
	fmt.Fprintf(stdout, "replaying %q (%s) against %s: %d connection(s), %d bytes\n",
		f.Title, f.Kind, srv.name, len(f.Case.Conns), f.Case.Size())
	v, err := fuzz.Replay(ctx, srv.oracles(probeTimeout, 0, 0), f)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec replay: %v\n", err)
		return fuzzExitUsage
	}
	return reportReplay(stdout, f, v, srv.target.Log())
}

// reportReplay says whether the finding's own bug fired again, another one,
// or nothing: exit 1 when anything fired, 0 only when nothing did.
func reportReplay(stdout io.Writer, f fuzz.Finding, v *fuzz.Verdict, log string) int {
	switch {
	case v == nil:
		fmt.Fprintln(stdout, "not reproduced: no oracle fired")
		return fuzzExitClean
	case fuzz.Reproduces(f, v):
		fmt.Fprintf(stdout, "reproduced (same signature): %s\n%s\n", v.Signature.Key, v.Detail)
	default:
		fmt.Fprintf(stdout, "a different signature fired: %s\n  recorded: %s\n  fired:    %s (%s)\n%s\n",
			v.Signature.Key, orNone(f.Signature.Key), v.Title, v.Kind, v.Detail)
	}
	if log != "" {
		fmt.Fprintf(stdout, "server output (tail):\n%s\n", tailText(log, 2048))
	}
	return fuzzExitFound
}

func orNone(s string) string {
	if s == "" {
		return "(none: a finding file from before signatures)"
	}
	return s
}

func tailText(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// serverFlags choose the server under test; shared by fuzz and replay.
type serverFlags struct {
	protocol    string
	target      string
	exec        string
	faults      string
	dialect     string
	profilePath string
	profile     profile.Profile // read from profilePath by check
}

func (s *serverFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.target, "target", "", "HOST:PORT of a running server")
	fs.StringVar(&s.exec, "exec", "", "command starting the server, with {port} or {addr}; restarted after every crash")
	fs.StringVar(&s.faults, "faults", "", "bundled reference only: fault switches to turn on (comma-separated); the reference then runs as a child process")
	fs.StringVar(&s.dialect, "dialect", "", "patchat: dialect file for the health probe and commands (default: the reference's)")
	fs.StringVar(&s.profilePath, "profile", "", "YAML file of the server's legitimate choices, as for run (answer-order shapes the cases, capacity bounds connections)")
}

// check validates the server flags (usage errors go to stderr).
func (s *serverFlags) check(stderr io.Writer, cmd string) error {
	fail := func(format string, a ...any) error {
		fmt.Fprintf(stderr, cmd+": "+format+"\n", a...)
		return errFuzzUsage
	}
	p, known := protocols[s.protocol]
	switch {
	case !known:
		return fail("unknown protocol %q: want chatos or patchat", s.protocol)
	case s.target != "" && s.exec != "":
		return fail("give --target or --exec, not both")
	case s.faults != "" && (s.target != "" || s.exec != ""):
		return fail("--faults applies only to the bundled reference (no --target, no --exec)")
	case s.dialect != "" && !slices.Contains(p.ownFlags, "dialect"):
		return fail("--dialect applies only to patchat")
	}
	s.profile = profile.Default()
	if s.profilePath != "" {
		prof, err := profile.Load(s.profilePath)
		if err != nil {
			return fail("--profile: %v", err)
		}
		s.profile = prof
	}
	if _, err := p.reference(nil, s.faults, nil); err != nil {
		return fail("%v", err)
	}
	return nil
}

// runningServer is the started server and the protocol to fuzz it with.
type runningServer struct {
	protocol string
	name     string // how it runs, for findings and reports
	target   target.Target
	proto    fuzz.Protocol
}

func (r *runningServer) close() { _ = r.target.Close() }

// oracles builds the judges of this server.
func (r *runningServer) oracles(probeTimeout time.Duration, rssGrowthMiB int64, drain time.Duration) *fuzz.Oracles {
	return &fuzz.Oracles{Target: r.target, Protocol: r.proto, ProbeTimeout: probeTimeout,
		RSSGrowth: rssGrowthMiB << 20, Exec: fuzz.ExecOptions{Drain: drain}}
}

// start builds the protocol and starts (or reaches) the server.
func (s *serverFlags) start(ctx context.Context, stderr io.Writer) (*runningServer, error) {
	proto, err := s.fuzzProtocol()
	if err != nil {
		return nil, err
	}
	r := &runningServer{protocol: s.protocol, proto: proto}
	switch {
	case s.target != "":
		r.name = "target " + s.target
		r.target, err = target.Remote(s.target)
		if err == nil {
			err = aliveWithin(ctx, r.target, 5*time.Second)
		}
	case s.exec != "":
		r.name = "exec " + s.exec
		var probe target.Probe
		if probe, err = s.politeProbe(); err == nil {
			r.target, err = target.Exec(ctx, s.exec, target.ExecOptions{Probe: probe})
		}
	case s.faults != "":
		r.name = "reference (faults: " + s.faults + ")"
		r.target, err = s.referenceChild(ctx)
	default:
		r.name = "reference"
		r.target, err = target.InProcess(ctx, s.inProcessServe())
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// aliveWithin checks that a --target server accepts connections.
func aliveWithin(ctx context.Context, t target.Target, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	return t.Alive(ctx)
}

// fuzzProtocol returns the fuzz protocol, with the dialect for patchat.
func (s *serverFlags) fuzzProtocol() (fuzz.Protocol, error) {
	proto, err := protocols[s.protocol].fuzzer(s.dialect)
	if err != nil {
		return nil, err
	}
	switch p := proto.(type) {
	case *fuzzpatchat.Protocol:
		return p.WithCapacity(s.profile.Capacity), nil
	case fuzzchatos.Protocol:
		return fuzzchatos.WithAnswerOrder(s.profile.AnswerOrder == profile.OrderReversed), nil
	}
	return proto, nil
}

// inProcessServe runs the bundled reference inside chatspec (no faults:
// the crash faults would take chatspec down with it).
func (s *serverFlags) inProcessServe() target.ServeFunc {
	serve, err := protocols[s.protocol].reference(s.referenceArgs(), "", nil)
	if err != nil {
		panic(err) // the default configuration is valid: a defect of chatspec
	}
	return serve
}

// referenceArgs are the reference's serve flags for the profile's choices
// (ChatOS: the answer order), so the reference answers the cases in kind.
func (s *serverFlags) referenceArgs() []string {
	if s.protocol == fuzzchatos.Name && s.profile.AnswerOrder != "" {
		return []string{"--answer-order", s.profile.AnswerOrder}
	}
	return nil
}

// referenceChild runs the reference with faults as a child process
// ("chatspec serve PROTOCOL --addr {addr} --faults F"): a crash fault then
// kills the child, never chatspec, and the child is restarted.
func (s *serverFlags) referenceChild(ctx context.Context) (target.Target, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find chatspec's own binary: %w", err)
	}
	args := append([]string{"serve", s.protocol, "--addr", "{addr}", "--faults", s.faults}, s.referenceArgs()...)
	cmd := target.CommandLine(append([]string{self}, args...)...)
	probe, err := s.politeProbe()
	if err != nil {
		return nil, err
	}
	return target.Exec(ctx, cmd, target.ExecOptions{Probe: probe})
}

// politeProbe is the readiness and liveness check run uses for this
// protocol (a login, or the dialect's greeting and exit): never a bare
// connect-and-close, which kills some servers at every restart.
func (s *serverFlags) politeProbe() (target.Probe, error) {
	p, ok := protocols[s.protocol]
	if !ok {
		return nil, fmt.Errorf("unknown protocol %q", s.protocol)
	}
	env := &steps.Env{}
	if err := p.prepare(env, &runOptions{dialect: s.dialect}); err != nil {
		return nil, err
	}
	return p.probe(env), nil
}
