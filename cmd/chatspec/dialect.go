package main

import (
	"fmt"
	"io"
	"os"

	wpatchat "github.com/chatspec/chatspec/wire/patchat"
)

// dialectMain validates Pat Chat dialect files and prints every problem
// with its place in the file.
func dialectMain(args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 || args[0] != "check" {
		fmt.Fprintln(stderr, "usage: chatspec dialect check FILE...")
		return 2
	}
	status := 0
	for _, path := range args[1:] {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			status = 2
			continue
		}
		problems := wpatchat.Check(data, path)
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
