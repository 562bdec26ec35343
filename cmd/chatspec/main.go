// Command chatspec certifies ChatOS and Pat Chat servers: it runs the
// Gherkin conformance suites against a server (or its own reference server),
// prints a table of every requirement with a verdict, writes CI reports, and
// fuzzes servers with malformed input.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `chatspec: conformance and fuzz testing for ChatOS and Pat Chat servers

Usage:
  chatspec run [chatos|patchat] [flags]   run the conformance suite (both protocols when none is named)
  chatspec serve chatos|patchat [flags]   run a bundled reference server in the foreground
  chatspec fuzz chatos|patchat [flags]    throw malformed input at a server
  chatspec replay FINDING                 replay one saved fuzz finding
  chatspec load chatos|patchat [flags]    many clients chat while the history checker judges every delivery
  chatspec dialect check FILE...          validate Pat Chat dialect files
  chatspec dialect try FILE (--target ADDR | --exec CMD) ACTION [NAME=VALUE ...]
                                          run one action of a dialect and show what it did
  chatspec list [chatos|patchat] [--json] every requirement with the scenarios that check it
  chatspec version                        chatspec's version and the digests a certificate quotes
  chatspec compare DIR... --out DIR       several runs' reports side by side (compare.html, compare.md)

Run 'chatspec COMMAND -h' for a command's flags.
Exit status: 0 certified (or nothing found), 1 not certified (or findings), 2 usage error or unreachable target.
`

func main() { os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr)) }

// dispatch runs one command and returns the process exit status.
func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	if isHelp(cmd) {
		fmt.Fprint(stdout, usage)
		return 0
	}
	if run, ok := commands[cmd]; ok {
		return run(rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "chatspec: unknown command %q\n\n%s", cmd, usage)
	return 2
}

// commands is every subcommand's entry point, by name: each takes the
// arguments after its name and returns the process exit status.
var commands = map[string]func(args []string, stdout, stderr io.Writer) int{
	"run": runMain, "serve": serveMain, "fuzz": fuzzMain, "replay": replayMain, "load": loadMain,
	"dialect": dialectMain, "list": listMain, "compare": compareMain, "version": versionMain,
}
