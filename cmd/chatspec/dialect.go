package main

import (
	"fmt"
	"github.com/chatspec/chatspec/dialects"
	"io"
	"strings"

	wpatchat "github.com/chatspec/chatspec/wire/patchat"
)

// dialectSynopsis heads `chatspec dialect -h`.
const dialectSynopsis = `usage: chatspec dialect check FILE...

Checks Pat Chat dialect files and prints every problem with its file:line.
Exit status: 0 every file is good, 1 problems found, 2 usage error or unreadable file.`

// dialectMain validates Pat Chat dialect files and prints every problem
// with its place in the file.
func dialectMain(args []string, stdout, stderr io.Writer) int {
	if len(args) >= 1 && args[0] == "try" {
		return tryMain(args[1:], stdout, stderr)
	}
	if len(args) > 0 && isHelp(args[0]) || len(args) > 1 && args[0] == "check" && isHelp(args[1]) {
		fmt.Fprintln(stdout, dialectSynopsis)
		return 0
	}
	switch {
	case len(args) == 0:
		fmt.Fprintln(stderr, dialectSynopsis)
		return 2
	case args[0] != "check":
		fmt.Fprintf(stderr, "chatspec dialect: unknown subcommand %q (want check)\n", args[0])
		return 2
	case len(args) == 1:
		fmt.Fprintln(stderr, "chatspec dialect check: give at least one dialect FILE")
		return 2
	}
	files := args[1:]
	if files[0] == "--" {
		return checkDialects(files[1:], stdout, stderr) // files whose names start with "-"
	}
	for _, path := range files {
		if strings.HasPrefix(path, "-") {
			fmt.Fprintf(stderr, "chatspec dialect check: unknown flag %s (it has none; put -- before a file named so)\n", path)
			return 2
		}
	}
	return checkDialects(files, stdout, stderr)
}

// checkDialects checks each file and returns the exit status.
func checkDialects(files []string, stdout, stderr io.Writer) int {
	status := 0
	for _, path := range files {
		data, source, err := dialects.Read(path)
		if err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			status = 2
			continue
		}
		problems := wpatchat.Check(data, source)
		for _, p := range problems {
			fmt.Fprintln(stdout, p.String())
		}
		if len(problems) > 0 {
			status = max(status, 1)
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", path)
	}
	return status
}
