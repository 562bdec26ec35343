package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// serveSynopsis heads `chatspec serve -h`.
const serveSynopsis = `usage: chatspec serve chatos|patchat [flags]

Runs a bundled reference server in the foreground until SIGINT or SIGTERM.
'chatspec serve chatos -h' and 'chatspec serve patchat -h' list their flags.`

// serveMain runs a reference server until SIGINT or SIGTERM.
func serveMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || isHelp(args[0]) {
		w, code := stderr, 2
		if len(args) > 0 {
			w, code = stdout, 0
		}
		fmt.Fprintln(w, serveSynopsis)
		return code
	}
	p, ok := protocols[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "chatspec serve: unknown protocol %q (want chatos or patchat)\n", args[0])
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var usage usageError
	switch err := serve(ctx, p, args[1:], stdout, slog.New(slog.NewTextHandler(stderr, nil))); {
	case errors.Is(err, errHelp):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "chatspec serve %s: %v\n", p.name, err)
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "chatspec serve %s: %v\n", p.name, err)
		return 1
	}
	return 0
}

// serve reads the flags of `serve NAME`, builds the reference server through
// the protocol registry, and serves until ctx ends.
func serve(ctx context.Context, p protocol, args []string, stdout io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("serve "+p.name, flag.ContinueOnError)
	addr := fs.String("addr", p.defaultAddr, "address to listen on")
	faults := fs.String("faults", "", "comma-separated fault switches (bugs on purpose, for testing chatspec): "+
		strings.Join(p.faultNames(), ", "))
	build := p.serverFlags(fs)
	synopsis := fmt.Sprintf("usage: chatspec serve %s [flags]\n\nRuns the %s reference server.", p.name, p.name)
	if err := parseArgs(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	run, err := build(*faults, logger)
	if err != nil {
		return usagef("%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger.Info("reference server listening", "protocol", p.name, "addr", ln.Addr().String(), "faults", *faults)
	return run(ctx, ln)
}
