package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/chatspec/chatspec/dialects"
	"github.com/chatspec/chatspec/features"
	refpatchat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/steps"
	stpatchat "github.com/chatspec/chatspec/steps/patchat"
	wpatchat "github.com/chatspec/chatspec/wire/patchat"
	"golang.org/x/crypto/bcrypt"
)

func init() {
	protocols["patchat"] = protocol{
		name:     "patchat",
		features: features.PatChat,
		suite:    stpatchat.Suite,
		reference: func(faults, dir string) (func(context.Context, net.Listener) error, error) {
			f, err := refpatchat.ParseFaults(faults)
			if err != nil {
				return nil, err
			}
			// Accounts go to a file, so that they survive the restart of
			// PAT-4.4-3; the cheapest hash keeps 100-user scenarios fast.
			cfg := refpatchat.Config{AccountsFile: filepath.Join(dir, "accounts.txt"),
				AddressFile: filepath.Join(dir, stpatchat.AddressFile), HashCost: bcrypt.MinCost, Faults: f}
			return func(ctx context.Context, ln net.Listener) error { return refpatchat.Serve(ctx, ln, cfg) }, nil
		},
		prepare: func(env *steps.Env, o *runOptions) error {
			d, name, err := loadDialect(o.dialect)
			if err != nil {
				return usagef("--dialect: %v", err)
			}
			env.Extra, env.Dialect = d, name
			return nil
		},
		ownFlags: []string{"dialect"},
	}
}

// loadDialect reads a dialect file, or a bundled dialect by name
// ("reference", "menu"); empty means the reference server's.
func loadDialect(arg string) (*wpatchat.Dialect, string, error) {
	if arg == "" {
		arg = dialects.DefaultName
	}
	data, err := dialects.Get(arg)
	source := "dialects/" + arg + ".yaml"
	if err != nil {
		if data, err = os.ReadFile(arg); err != nil {
			return nil, "", fmt.Errorf("%q is neither a bundled dialect %v nor a readable file: %w", arg, dialects.Names(), err)
		}
		source = arg
	}
	d, err := wpatchat.Parse(data, source)
	if err != nil {
		return nil, "", err
	}
	return d, source, nil
}
