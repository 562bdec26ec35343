package main

import (
	"context"
	"flag"
	"fmt"
	pclient "github.com/chatspec/chatspec/client/patchat"
	"log/slog"
	"net"
	"path/filepath"

	"github.com/chatspec/chatspec/dialects"
	"github.com/chatspec/chatspec/features"
	"github.com/chatspec/chatspec/fuzz"
	fuzzpatchat "github.com/chatspec/chatspec/fuzz/patchat"
	refpatchat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/steps"
	stpatchat "github.com/chatspec/chatspec/steps/patchat"
	"github.com/chatspec/chatspec/target"
	wpatchat "github.com/chatspec/chatspec/wire/patchat"
	"golang.org/x/crypto/bcrypt"
)

func init() {
	protocols["patchat"] = protocol{
		name:     "patchat",
		features: features.PatChat,
		suite:    stpatchat.Suite,
		prepare: func(env *steps.Env, o *runOptions) error {
			d, name, err := loadDialect(o.dialect)
			if err != nil {
				return usagef("--dialect: %v", err)
			}
			env.Extra, env.Dialect = d, name
			return nil
		},
		ownFlags:    []string{"dialect"},
		serverFlags: patchatServerFlags,
		defaultAddr: refpatchat.DefaultAddr,
		faultNames:  refpatchat.FaultNames,
		// Accounts go to a file, so that they survive the restart of PAT-4.4-3.
		runArgs: func(dir string) []string {
			return []string{"--accounts", filepath.Join(dir, "accounts.txt"),
				"--address-file", filepath.Join(dir, stpatchat.AddressFile)}
		},
		fuzzer: patchatFuzzer,
		probe:  func(env *steps.Env) target.Probe { return stpatchat.Probe(env.Extra.(*wpatchat.Dialect)) },
	}
}

// patchatServerFlags registers the Pat Chat reference's settings on fs.
func patchatServerFlags(fs *flag.FlagSet) buildServer {
	addrFile := fs.String("address-file", "", "write the listening address to this text file at start")
	accounts := fs.String("accounts", "", "accounts file (one account per line, salted hashes); empty keeps accounts in memory")
	capacity := fs.Int("capacity", refpatchat.DefaultCapacity, "users served at once")
	style := fs.String("style", refpatchat.StyleLine, "front end: line (the reference), or one of the test-only variants menu and numbered (dialects/menu.yaml, dialects/numbered.yaml)")
	idle := fs.Duration("idle", 0, "disconnect clients silent for this long (0: never)")
	hashCost := fs.Int("hash-cost", bcrypt.MinCost, "bcrypt cost of stored passwords (the minimum keeps 100-user checks fast)")
	return func(faults string, logger *slog.Logger) (target.ServeFunc, error) {
		f, err := refpatchat.ParseFaults(faults)
		if err != nil {
			return nil, fmt.Errorf("--faults: %w", err)
		}
		cfg := refpatchat.Config{AddressFile: *addrFile, AccountsFile: *accounts, Capacity: *capacity,
			Style: *style, IdleTimeout: *idle, HashCost: *hashCost, Faults: f, Logger: logger}
		return func(ctx context.Context, ln net.Listener) error { return refpatchat.Serve(ctx, ln, cfg) }, nil
	}
}

// patchatFuzzer is the Pat Chat fuzz protocol speaking the named dialect
// (bundled or a file; empty: the reference's).
func patchatFuzzer(dialect string) (fuzz.Protocol, error) {
	if dialect == "" {
		return fuzzpatchat.Default()
	}
	d, _, err := loadDialect(dialect)
	if err != nil {
		return nil, fmt.Errorf("--dialect: %w", err)
	}
	return fuzzpatchat.New(d), nil
}

// preflight tries the dialect's basic actions once before the suite, so
// that a dialect that does not fit the server ends the run at once, with
// the action, the step, the patterns and what arrived (exit 2).
func preflightPatChat(env *steps.Env) error {
	d, ok := env.Extra.(*wpatchat.Dialect)
	if !ok {
		return nil
	}
	opts := pclient.Options{Options: wpatchat.Options{Timeout: max(env.Timeout, d.Timeout)}}
	return pclient.Preflight(context.Background(), env.Addr(), d, opts, pclient.PreflightUser())
}

// loadDialect reads a dialect file, or a bundled dialect by name
// ("reference", "menu", "numbered"); empty means the reference server's.
func loadDialect(arg string) (*wpatchat.Dialect, string, error) {
	d, err := dialects.Load(arg)
	if err != nil {
		return nil, "", err
	}
	return d, d.Source, nil
}
