package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/chatspec/chatspec/reports"
	"github.com/chatspec/chatspec/results"
)

// compareMain is `chatspec compare DIR... --out DIR`: several runs' report
// folders side by side, as compare.html and compare.md in the out folder.
func compareMain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder to write compare.html and compare.md to (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: chatspec compare REPORT-DIR... --out DIR: requirements by servers, from each folder's results.json")
		fs.PrintDefaults()
	}
	dirs, err := parseInterspersed(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err == nil && (*out == "" || len(dirs) == 0) {
		err = fmt.Errorf("name at least one report folder and --out")
	}
	if err != nil {
		fmt.Fprintf(stderr, "chatspec compare: %v\n", err)
		return 2
	}
	servers, err := loadServers(dirs, *out)
	if err != nil {
		fmt.Fprintf(stderr, "chatspec compare: %v\n", err)
		return 2
	}
	m := reports.NewMatrix(servers)
	if err := writeMatrix(*out, m); err != nil {
		fmt.Fprintf(stderr, "chatspec compare: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "%d servers, %d requirements where they disagree: %s\n", len(servers), m.Disagree,
		filepath.Join(*out, "compare.html"))
	return 0
}

// parseInterspersed parses flags that may come before, between or after
// the folder arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
}

// loadServers reads each folder's results.json; a server is named by its
// run's --name (or target), and links to its report.html relative to out.
func loadServers(dirs []string, out string) ([]reports.Server, error) {
	var servers []reports.Server
	for _, dir := range dirs {
		runs, err := readResults(filepath.Join(dir, "results.json"))
		if err != nil {
			return nil, err
		}
		if len(runs) == 0 {
			return nil, fmt.Errorf("%s: no run in results.json", dir)
		}
		s := reports.Server{Name: runs[0].ServerName(), Runs: runs}
		if _, err := os.Stat(filepath.Join(dir, "report.html")); err == nil {
			s.Report = relativeLink(out, filepath.Join(dir, "report.html"))
		}
		servers = append(servers, s)
	}
	return servers, nil
}

func readResults(path string) (results.Runs, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	runs, err := results.ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return runs, nil
}

// relativeLink is target as a link from a page in folder from.
func relativeLink(from, target string) string {
	absFrom, err1 := filepath.Abs(from)
	absTarget, err2 := filepath.Abs(target)
	if err1 == nil && err2 == nil {
		if rel, err := filepath.Rel(absFrom, absTarget); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(target)
}

func writeMatrix(out string, m reports.Matrix) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(out, "compare.html"), func(w io.Writer) error { return reports.CompareHTML(w, m) }); err != nil {
		return err
	}
	return writeFile(filepath.Join(out, "compare.md"), func(w io.Writer) error { return reports.CompareMarkdown(w, m) })
}
