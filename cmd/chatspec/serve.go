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
	"syscall"

	refchatos "github.com/chatspec/chatspec/reference/chatos"
	refpatchat "github.com/chatspec/chatspec/reference/patchat"
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
	if args[0] != "chatos" && args[0] != "patchat" {
		fmt.Fprintf(stderr, "chatspec serve: unknown protocol %q (want chatos or patchat)\n", args[0])
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	var err error
	if args[0] == "chatos" {
		err = serveChatOS(ctx, args[1:], stdout, logger)
	} else {
		err = servePatChat(ctx, args[1:], stdout, logger)
	}
	var usage usageError
	switch {
	case errors.Is(err, errHelp):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "chatspec serve %s: %v\n", args[0], err)
		return 2
	case err != nil:
		fmt.Fprintf(stderr, "chatspec serve %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// serveChatOS reads the flags of `serve chatos` and serves until ctx ends.
func serveChatOS(ctx context.Context, args []string, stdout io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("serve chatos", flag.ContinueOnError)
	def := refchatos.DefaultConfig()
	addr := fs.String("addr", "127.0.0.1:7777", "address to listen on")
	maxNick := fs.Int("max-nick", def.MaxNick, "longest nickname accepted, in bytes")
	nickChars := fs.String("nick-chars", def.NickChars, "characters allowed in nicknames (a regexp bracket expression's inside)")
	idle := fs.Duration("idle", def.IdleTimeout, "disconnect clients silent for this long")
	maxConns := fs.Int("max-conns", def.MaxConns, "connection limit")
	order := fs.String("answer-order", def.AnswerOrder, "field order of 7/8: request or reversed")
	echo := fs.Bool("echo", def.EchoPublic, "send public messages back to their sender too")
	faults := fs.String("faults", "", "comma-separated fault switches (bugs on purpose, for testing chatspec): "+fmt.Sprint(refchatos.FaultNames()))
	if err := parseArgs(fs, "usage: chatspec serve chatos [flags]\n\nRuns the ChatOS reference server.", args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	cfg := def
	cfg.MaxNick, cfg.NickChars, cfg.IdleTimeout, cfg.MaxConns, cfg.AnswerOrder, cfg.EchoPublic =
		*maxNick, *nickChars, *idle, *maxConns, *order, *echo
	f, err := refchatos.ParseFaults(*faults)
	if err != nil {
		return usagef("--faults: %v", err)
	}
	cfg.Faults, cfg.Logger = f, logger
	if err := cfg.Validate(); err != nil {
		return usagef("%v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger.Info("ChatOS reference server listening", "addr", ln.Addr().String(), "faults", f.Names())
	return refchatos.Serve(ctx, ln, cfg)
}

// servePatChat reads the flags of `serve patchat` and serves until ctx ends.
func servePatChat(ctx context.Context, args []string, stdout io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("serve patchat", flag.ContinueOnError)
	addr := fs.String("addr", refpatchat.DefaultAddr, "address to listen on (the document's default port is 8083)")
	addrFile := fs.String("address-file", "", "write the listening address to this text file at start")
	accounts := fs.String("accounts", "", "accounts file (one account per line, salted hashes); empty keeps accounts in memory")
	capacity := fs.Int("capacity", refpatchat.DefaultCapacity, "users served at once")
	style := fs.String("style", refpatchat.StyleLine, "front end: line (the reference) or menu (a test-only variant)")
	idle := fs.Duration("idle", 0, "disconnect clients silent for this long (0: never)")
	hashCost := fs.Int("hash-cost", refpatchat.DefaultHashCost, "bcrypt cost of stored passwords")
	faults := fs.String("faults", "", "comma-separated fault switches (bugs on purpose): "+fmt.Sprint(refpatchat.FaultNames()))
	if err := parseArgs(fs, "usage: chatspec serve patchat [flags]\n\nRuns the Pat Chat reference server.", args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	f, err := refpatchat.ParseFaults(*faults)
	if err != nil {
		return usagef("--faults: %v", err)
	}
	cfg := refpatchat.Config{Addr: *addr, AddressFile: *addrFile, AccountsFile: *accounts, Capacity: *capacity,
		Style: *style, IdleTimeout: *idle, HashCost: *hashCost, Faults: f, Logger: logger}
	logger.Info("Pat Chat reference server starting", "addr", *addr, "style", *style, "faults", f.Names())
	return refpatchat.ListenAndServe(ctx, cfg)
}
