package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
)

// errHelp means -h or --help was asked for and answered: exit status 0.
var errHelp = errors.New("help printed")

// parseArgs parses args into fs. Asked for -h or --help, it prints synopsis
// and every flag on stdout and returns errHelp; a flag that is wrong becomes a
// usageError that names it (the flag package's own wording).
func parseArgs(fs *flag.FlagSet, synopsis string, args []string, stdout io.Writer) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, fs, synopsis)
		return errHelp
	}
	if err != nil {
		return usagef("%v (see -h)", err)
	}
	return nil
}

// printUsage writes synopsis, then the flags of fs with their defaults.
func printUsage(w io.Writer, fs *flag.FlagSet, synopsis string) {
	fmt.Fprintln(w, strings.TrimRight(synopsis, "\n"))
	fmt.Fprintln(w, "\nflags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// newServerFlags is the flag set of "chatspec NAME" for the commands that
// take a server's flags (fuzz, load, replay), with those flags registered in
// s: errors and -h go to stderr, -h as synopsis, a blank line, "flags:"
// and every flag with its default.
func newServerFlags(name, synopsis string, s *serverFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("chatspec "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, synopsis+"\nflags:\n")
		fs.PrintDefaults()
	}
	s.register(fs)
	return fs
}

// untilInterrupt ends a command whose flags did not parse (err): status 0
// once -h was answered, 2 for a usage error the flag package printed.
// Otherwise it runs the command with a context that Ctrl-C cancels.
func untilInterrupt(err error, command func(ctx context.Context) int) int {
	if errors.Is(err, flag.ErrHelp) {
		return fuzzExitClean
	}
	if err != nil {
		return fuzzExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return command(ctx)
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// setFlags returns the names of the flags the command line gave.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// notAFile checks that path, when given and already there, is a folder: a
// --report naming a file must fail before the run, not after it.
func notAFile(flagName, path string) error {
	if path == "" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && !st.IsDir() {
		return usagef("--%s %s: is a file; give a folder", flagName, path)
	}
	return nil
}

// notADir checks that path, when given, is not an existing folder: the flag
// names a file to write.
func notADir(flagName, path string) error {
	if path == "" {
		return nil
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return usagef("--%s %s: is a folder; give a file", flagName, path)
	}
	return nil
}
