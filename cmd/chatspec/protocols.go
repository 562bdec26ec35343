package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"

	clchatos "github.com/chatspec/chatspec/client/chatos"
	"github.com/chatspec/chatspec/features"
	"github.com/chatspec/chatspec/fuzz"
	fuzzchatos "github.com/chatspec/chatspec/fuzz/chatos"
	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/chatspec/chatspec/steps"
	stchatos "github.com/chatspec/chatspec/steps/chatos"
	"github.com/chatspec/chatspec/target"
)

// buildServer makes the bundled reference server once its flags are parsed:
// with these fault switches, logging to logger (nil: nowhere).
type buildServer func(faults string, logger *slog.Logger) (target.ServeFunc, error)

// protocol is everything a subcommand needs to know of one protocol: the
// one registry behind run, serve, fuzz and replay.
type protocol struct {
	name     string
	features func() fs.FS
	suite    func(steps.Suite) steps.Suite
	// prepare sets protocol-specific run-wide values (the Pat Chat dialect).
	prepare func(env *steps.Env, o *runOptions) error
	// ownFlags are the flags that apply to this protocol only.
	ownFlags []string
	// serverFlags registers the reference server's settings on fs: the flags
	// of `chatspec serve NAME`, whose defaults are also what run and fuzz
	// use, so the reference is configured in this one place.
	serverFlags func(fs *flag.FlagSet) buildServer
	defaultAddr string          // where `chatspec serve NAME` listens by default
	faultNames  func() []string // the reference's fault switches
	// runArgs are the serve flags of the reference embedded in a run; dir is
	// its private folder (the {dir} of --exec).
	runArgs func(dir string) []string
	// fuzzer is the fuzz protocol, speaking the named dialect if any.
	fuzzer func(dialect string) (fuzz.Protocol, error)
	// probe is the polite readiness and liveness check, once prepared.
	probe func(env *steps.Env) target.Probe
}

var protocols = map[string]protocol{}

// protocolOrder is the order of a run of every protocol.
var protocolOrder = []string{"chatos", "patchat"}

// reference builds the bundled server exactly as `chatspec serve NAME ARGS
// --faults FAULTS` would.
func (p protocol) reference(args []string, faults string, logger *slog.Logger) (target.ServeFunc, error) {
	fs := flag.NewFlagSet("serve "+p.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	build := p.serverFlags(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return build(faults, logger)
}

func init() {
	protocols["chatos"] = protocol{
		name:        "chatos",
		features:    features.ChatOS,
		suite:       stchatos.Suite,
		prepare:     func(*steps.Env, *runOptions) error { return nil },
		serverFlags: chatosServerFlags,
		defaultAddr: "127.0.0.1:7777",
		faultNames:  refchatos.FaultNames,
		runArgs:     func(string) []string { return nil },
		fuzzer:      func(string) (fuzz.Protocol, error) { return fuzzchatos.New(), nil },
		probe:       func(*steps.Env) target.Probe { return clchatos.Probe },
	}
}

// chatosServerFlags registers the ChatOS reference's settings on fs.
func chatosServerFlags(fs *flag.FlagSet) buildServer {
	def := refchatos.DefaultConfig()
	maxNick := fs.Int("max-nick", def.MaxNick, "longest nickname accepted, in bytes")
	nickChars := fs.String("nick-chars", def.NickChars, "characters allowed in nicknames (a regexp bracket expression's inside)")
	idle := fs.Duration("idle", def.IdleTimeout, "disconnect clients silent for this long")
	maxConns := fs.Int("max-conns", def.MaxConns, "connection limit")
	order := fs.String("answer-order", def.AnswerOrder, "field order of 7/8: request or reversed")
	echo := fs.Bool("echo", def.EchoPublic, "send public messages back to their sender too")
	return func(faults string, logger *slog.Logger) (target.ServeFunc, error) {
		cfg := def
		cfg.MaxNick, cfg.NickChars, cfg.IdleTimeout, cfg.MaxConns, cfg.AnswerOrder, cfg.EchoPublic =
			*maxNick, *nickChars, *idle, *maxConns, *order, *echo
		f, err := refchatos.ParseFaults(faults)
		if err != nil {
			return nil, fmt.Errorf("--faults: %w", err)
		}
		cfg.Faults, cfg.Logger = f, logger
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
		return func(ctx context.Context, ln net.Listener) error { return refchatos.Serve(ctx, ln, cfg) }, nil
	}
}

// featuresFrom returns the protocol's features, or a folder the user named.
func featuresFrom(p protocol, dir string) fs.FS {
	if dir != "" {
		return os.DirFS(dir)
	}
	return p.features()
}
