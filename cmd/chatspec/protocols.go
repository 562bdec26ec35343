package main

import (
	"context"
	"io/fs"
	"net"
	"os"

	"github.com/chatspec/chatspec/features"
	refchatos "github.com/chatspec/chatspec/reference/chatos"
	"github.com/chatspec/chatspec/steps"
	stchatos "github.com/chatspec/chatspec/steps/chatos"
)

// protocol is what `chatspec run` needs to know of one protocol.
type protocol struct {
	name     string
	features func() fs.FS
	suite    func(steps.Suite) steps.Suite
	// reference returns the bundled server, with fault switches, for an
	// in-process target; dir is a private temporary directory.
	reference func(faults, dir string) (func(ctx context.Context, ln net.Listener) error, error)
	// prepare sets protocol-specific run-wide values (the Pat Chat dialect).
	prepare func(env *steps.Env, o *runOptions) error
	// ownFlags are the flags that apply to this protocol only.
	ownFlags []string
}

var protocols = map[string]protocol{}

// protocolOrder is the order of a run of every protocol.
var protocolOrder = []string{"chatos", "patchat"}

func init() {
	protocols["chatos"] = protocol{
		name:     "chatos",
		features: features.ChatOS,
		suite:    stchatos.Suite,
		reference: func(faults, _ string) (func(context.Context, net.Listener) error, error) {
			cfg := refchatos.DefaultConfig()
			f, err := refchatos.ParseFaults(faults)
			if err != nil {
				return nil, err
			}
			cfg.Faults = f
			return func(ctx context.Context, ln net.Listener) error { return refchatos.Serve(ctx, ln, cfg) }, nil
		},
		prepare: func(*steps.Env, *runOptions) error { return nil },
	}
}

// featuresFrom returns the protocol's features, or a folder the user named.
func featuresFrom(p protocol, dir string) fs.FS {
	if dir != "" {
		return os.DirFS(dir)
	}
	return p.features()
}
