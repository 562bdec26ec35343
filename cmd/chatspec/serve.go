package main

import (
	"context"
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

// serveMain runs a reference server until SIGINT or SIGTERM.
func serveMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "chatos" && args[0] != "patchat") {
		fmt.Fprintln(stderr, "usage: chatspec serve chatos|patchat [flags]")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	var err error
	if args[0] == "chatos" {
		err = serveChatOS(ctx, args[1:], stderr, logger)
	} else {
		err = servePatChat(ctx, args[1:], stderr, logger)
	}
	if err == errUsage {
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "chatspec serve %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

var errUsage = fmt.Errorf("usage")

func serveChatOS(ctx context.Context, args []string, stderr io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("serve chatos", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := refchatos.DefaultConfig()
	addr := fs.String("addr", "127.0.0.1:7777", "address to listen on")
	maxNick := fs.Int("max-nick", def.MaxNick, "longest nickname accepted, in bytes")
	nickChars := fs.String("nick-chars", def.NickChars, "characters allowed in nicknames (a regexp bracket expression's inside)")
	idle := fs.Duration("idle", def.IdleTimeout, "disconnect clients silent for this long")
	maxConns := fs.Int("max-conns", def.MaxConns, "connection limit")
	order := fs.String("answer-order", def.AnswerOrder, "field order of 7/8: request or reversed")
	echo := fs.Bool("echo", def.EchoPublic, "send public messages back to their sender too")
	faults := fs.String("faults", "", "comma-separated fault switches (bugs on purpose, for testing chatspec): "+fmt.Sprint(refchatos.FaultNames()))
	if fs.Parse(args) != nil {
		return errUsage
	}
	cfg := def
	cfg.MaxNick, cfg.NickChars, cfg.IdleTimeout, cfg.MaxConns, cfg.AnswerOrder, cfg.EchoPublic =
		*maxNick, *nickChars, *idle, *maxConns, *order, *echo
	f, err := refchatos.ParseFaults(*faults)
	if err != nil {
		return err
	}
	cfg.Faults, cfg.Logger = f, logger
	if err := cfg.Validate(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	logger.Info("ChatOS reference server listening", "addr", ln.Addr().String(), "faults", f.Names())
	return refchatos.Serve(ctx, ln, cfg)
}

func servePatChat(ctx context.Context, args []string, stderr io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("serve patchat", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", refpatchat.DefaultAddr, "address to listen on (the document's default port is 8083)")
	addrFile := fs.String("address-file", "", "write the listening address to this text file at start")
	accounts := fs.String("accounts", "", "accounts file (one account per line, salted hashes); empty keeps accounts in memory")
	capacity := fs.Int("capacity", refpatchat.DefaultCapacity, "users served at once")
	style := fs.String("style", refpatchat.StyleLine, "front end: line (the reference) or menu (a test-only variant)")
	idle := fs.Duration("idle", 0, "disconnect clients silent for this long (0: never)")
	hashCost := fs.Int("hash-cost", refpatchat.DefaultHashCost, "bcrypt cost of stored passwords")
	faults := fs.String("faults", "", "comma-separated fault switches (bugs on purpose): "+fmt.Sprint(refpatchat.FaultNames()))
	if fs.Parse(args) != nil {
		return errUsage
	}
	f, err := refpatchat.ParseFaults(*faults)
	if err != nil {
		return err
	}
	cfg := refpatchat.Config{Addr: *addr, AddressFile: *addrFile, AccountsFile: *accounts, Capacity: *capacity,
		Style: *style, IdleTimeout: *idle, HashCost: *hashCost, Faults: f, Logger: logger}
	logger.Info("Pat Chat reference server starting", "addr", *addr, "style", *style, "faults", f.Names())
	return refpatchat.ListenAndServe(ctx, cfg)
}
