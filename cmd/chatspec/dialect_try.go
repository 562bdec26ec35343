package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	pclient "github.com/chatspec/chatspec/client/patchat"
	"github.com/chatspec/chatspec/dialects"
	"github.com/chatspec/chatspec/steps"
	"github.com/chatspec/chatspec/target"
	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

const tryUsage = "chatspec dialect try FILE (--target ADDR | --exec CMD) ACTION [NAME=VALUE ...]"

// tryOptions are the parsed arguments of `dialect try`.
type tryOptions struct {
	dialect        *wire.Dialect
	target, exec   string
	timeout        time.Duration
	action         string
	vars           wire.Vars
	givenUser      bool
	startupTimeout time.Duration
	inDir          bool
}

// noLogin lists the actions that run without logging in first.
var noLogin = []string{wire.ActionGreeting, wire.ActionRegister, wire.ActionLogin, wire.ActionExit}

// tryMain runs one action of a dialect against a server (logging in first
// where the action needs it) and prints the transcript, the captured
// variables, the list items and the tables: the way to write a dialect one
// action at a time. Exit 0: accepted; 1: refused or not recognised; 2: usage.
func tryMain(args []string, stdout, stderr io.Writer) int {
	o, err := parseTry(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "chatspec dialect try: %v\nusage: %s\n", err, tryUsage)
		return 2
	}
	ctx := context.Background()
	addr, stop, err := tryTarget(ctx, o)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec dialect try: %v\n", err)
		return 2
	}
	defer stop()
	log := transcript.New()
	res, tables, runErr := tryRun(ctx, addr, o, log)
	printTry(stdout, log, res, runErr)
	printTables(stdout, tables)
	if runErr != nil || res.Refused {
		return 1
	}
	return 0
}

// parseTry reads FILE, the flags, ACTION and NAME=VALUE pairs.
func parseTry(args []string, stderr io.Writer) (*tryOptions, error) {
	fs := flag.NewFlagSet("dialect try", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &tryOptions{vars: wire.Vars{}}
	fs.StringVar(&o.target, "target", "", "host:port of a running server")
	fs.StringVar(&o.exec, "exec", "", "command that starts the server ({port}, {addr}, {dir} are filled in)")
	fs.DurationVar(&o.timeout, "timeout", 0, "deadline of each expect (default: the dialect's)")
	fs.DurationVar(&o.startupTimeout, "start-timeout", 10*time.Second, "--exec: how long to wait for the port")
	fs.BoolVar(&o.inDir, "exec-in-dir", false, "--exec: start the server in {dir}")
	fs.Usage = func() { fmt.Fprintf(stderr, "usage: %s\n", tryUsage); fs.PrintDefaults() }
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fs.Usage()
			return nil, flag.ErrHelp
		}
		return nil, errors.New("the dialect FILE comes first")
	}
	d, err := dialects.Load(args[0])
	if err != nil {
		return nil, err
	}
	o.dialect = d
	if err := fs.Parse(args[1:]); err != nil {
		return nil, err
	}
	return o, o.rest(fs.Args())
}

// rest reads ACTION and the NAME=VALUE inputs, and checks the flags.
func (o *tryOptions) rest(args []string) error {
	switch {
	case (o.target == "") == (o.exec == ""):
		return errors.New("give exactly one of --target and --exec")
	case len(args) == 0:
		return fmt.Errorf("name an ACTION (%s)", strings.Join(wire.RequiredActions, ", "))
	}
	o.action = args[0]
	inputs, ok := wire.ActionInputs[o.action]
	if !ok {
		return fmt.Errorf("unknown action %q (%s)", o.action, strings.Join(wire.RequiredActions, ", "))
	}
	for _, kv := range args[1:] {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !slices.Contains(inputs, name) && name != wire.VarUser && name != wire.VarPassword {
			return fmt.Errorf("%q: give NAME=VALUE, NAME one of the inputs of %s: %s", kv, o.action, strings.Join(inputs, ", "))
		}
		o.vars[name] = value
	}
	return o.defaults(inputs)
}

// defaults fills the user and password, and names the inputs still missing.
func (o *tryOptions) defaults(inputs []string) error {
	_, o.givenUser = o.vars[wire.VarUser]
	if !o.givenUser {
		o.vars[wire.VarUser] = pclient.PreflightUser()
	}
	if _, ok := o.vars[wire.VarPassword]; !ok {
		o.vars[wire.VarPassword] = "pw" + o.vars[wire.VarUser]
	}
	for _, in := range inputs {
		if _, ok := o.vars[in]; !ok && in != wire.VarCurrent {
			return fmt.Errorf("action %s needs %s=VALUE", o.action, in)
		}
	}
	return nil
}

// tryTarget reaches or starts the server.
func tryTarget(ctx context.Context, o *tryOptions) (string, func(), error) {
	if o.target != "" {
		return o.target, func() {}, nil
	}
	probe := protocols["patchat"].probe(&steps.Env{Extra: o.dialect}) // the dialect's greeting, never a bare close
	tg, err := target.Exec(ctx, o.exec, target.ExecOptions{StartTimeout: o.startupTimeout, InDir: o.inDir, Probe: probe})
	if err != nil {
		return "", nil, fmt.Errorf("--exec: %w", err)
	}
	return tg.Addr(), func() { _ = tg.Close() }, nil
}

// tryRun connects, logs in when the action needs it, and runs the action.
func tryRun(ctx context.Context, addr string, o *tryOptions, log *transcript.Log) (wire.Result, map[string]map[string]string, error) {
	opts := pclient.Options{Options: wire.Options{Timeout: o.timeout}, Name: "try", Log: log}
	s, err := pclient.Dial(ctx, addr, o.dialect, opts)
	if err != nil {
		return wire.Result{}, nil, err
	}
	defer s.Close()
	for _, a := range o.before() {
		res, err := tryDo(ctx, s, o, a)
		if err != nil || (res.Refused && !(a == wire.ActionRegister && o.givenUser)) {
			log.Notef("try", "%s did not succeed: the action %s was not run", a, o.action)
			return res, s.Tables(), err
		}
	}
	res, err := tryDo(ctx, s, o, o.action)
	return res, s.Tables(), err
}

// before lists the actions that run first: the greeting, and register and
// login for an action that needs a logged-in user (register alone for a
// login of a fresh user).
func (o *tryOptions) before() []string {
	switch {
	case o.action == wire.ActionGreeting:
		return nil
	case o.action == wire.ActionLogin && !o.givenUser:
		return []string{wire.ActionGreeting, wire.ActionRegister}
	case slices.Contains(noLogin, o.action):
		return []string{wire.ActionGreeting}
	}
	return []string{wire.ActionGreeting, wire.ActionRegister, wire.ActionLogin}
}

// tryDo runs one action under its budget.
func tryDo(ctx context.Context, s *pclient.Session, o *tryOptions, action string) (wire.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, pclient.ActionBudget(o.dialect, action, s.Timeout()))
	defer cancel()
	if action == wire.ActionLogin && s.Current() == "" {
		defer func() {
			if s.Current() == "" {
				s.SetCurrent("Main Room")
			}
		}()
	}
	return s.Do(ctx, action, o.vars)
}

// printTry shows what the action did.
func printTry(w io.Writer, log *transcript.Log, res wire.Result, err error) {
	fmt.Fprintf(w, "transcript:\n%s\n", log.String())
	fmt.Fprintf(w, "action: %s\n", res.Action)
	switch {
	case err != nil:
		fmt.Fprintf(w, "result: error: %v\n", err)
	case res.Refused:
		fmt.Fprintf(w, "result: refused\n")
	default:
		fmt.Fprintf(w, "result: accepted\n")
	}
	fmt.Fprintf(w, "variables:\n")
	for _, k := range sortedKeys(res.Vars) {
		fmt.Fprintf(w, "  %s = %q\n", k, res.Vars[k])
	}
	if len(res.Items) > 0 {
		fmt.Fprintf(w, "items (%d):\n", len(res.Items))
		for _, it := range res.Items {
			fmt.Fprintf(w, "  %q\n", it)
		}
	}
	if res.Skipped != "" {
		fmt.Fprintf(w, "skipped before the match: %q\n", res.Skipped)
	}
}

// sortedKeys lists a map's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// printTables shows the tables the splits filled.
func printTables(w io.Writer, tables map[string]map[string]string) {
	names := make([]string, 0, len(tables))
	for name := range tables {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "table %s:\n", name)
		for _, k := range sortedKeys(tables[name]) {
			fmt.Fprintf(w, "  %q -> %q\n", k, tables[name][k])
		}
	}
}
