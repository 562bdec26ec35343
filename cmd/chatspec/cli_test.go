package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestEverySubcommandAnswersHelp: -h and --help print the command's synopsis
// and its flags and exit 0, whatever comes before them.
func TestEverySubcommandAnswersHelp(t *testing.T) {
	cases := map[string]string{ // command line -> a flag (or word) its help must show
		"-h":                   "chatspec run",
		"help":                 "chatspec serve",
		"run -h":               "-target",
		"run chatos --help":    "-dialect",
		"serve -h":             "serve chatos -h",
		"serve chatos -h":      "-max-nick",
		"serve patchat --help": "-address-file",
		"fuzz -h":              "-seed",
		"fuzz patchat -h":      "-workers",
		"replay -h":            "-probe-timeout",
		"dialect -h":           "check FILE",
		"dialect check -h":     "check FILE",
		"dialect check --help": "file:line",
		"list -h":              "-json",
		"list patchat --help":  "-json",
		"compare -h":           "-out",
		"version -h":           "takes no flags",
	}
	for line, want := range cases {
		code, out, errs := chatspecCLI(t, strings.Fields(line)...)
		assert.Equal(t, 0, code, "%s: %s", line, errs)
		assert.Contains(t, out+errs, want, line)
		assert.Contains(t, strings.ToLower(out+errs), "usage:", line)
	}
}

// TestFlagsThatDoNotApplyAreErrors: a flag the command would ignore is a
// usage error that names it, before anything runs.
func TestFlagsThatDoNotApplyAreErrors(t *testing.T) {
	cases := map[string]string{ // command line -> what stderr must name
		"run chatos --dialect x.yaml":                             "--dialect applies only to patchat",
		"run chatos --start-timeout 3s":                           "--start-timeout applies only with --exec",
		"run chatos --target 127.0.0.1:1 --faults duplicate-nick": "--faults",
		"run --dialect menu":                                      "--dialect",
		"serve chatos stray":                                      `unexpected argument "stray"`,
		"dialect check --strict x.yaml":                           "unknown flag --strict",
		"dialect lint x.yaml":                                     `unknown subcommand "lint"`,
	}
	for line, want := range cases {
		code, out, errs := chatspecCLI(t, strings.Fields(line)...)
		assert.Equal(t, 2, code, line)
		assert.Contains(t, errs, want, line)
		assert.Empty(t, out, "%s: nothing runs", line)
	}
}

// TestUsageErrorNamesTheFlag: each wrong value is blamed on its own flag.
func TestUsageErrorNamesTheFlag(t *testing.T) {
	cases := map[string]string{
		"run chatos --timeout 0":        "--timeout must be positive",
		"run chatos --quiet -1s":        "--quiet must be positive",
		"run chatos --concurrency 0":    "--concurrency must be at least 1",
		"run chatos --repeat 0":         "--repeat must be at least 1",
		"run chatos --color pink":       `--color must be auto, always or never, got "pink"`,
		"run chatos --timeout soon":     "-timeout",
		"run chatos --bogus":            "-bogus",
		"serve chatos --faults nope":    "--faults",
		"serve patchat --capacity many": "-capacity",
		"fuzz chatos --workers 0":       "--workers must be at least 1",
		"fuzz chatos --probe-every 0":   "--probe-every must be at least 1",
		"fuzz chatos --cases -1":        "--cases must not be negative",
	}
	for line, want := range cases {
		code, _, errs := chatspecCLI(t, strings.Fields(line)...)
		assert.Equal(t, 2, code, line)
		assert.Contains(t, errs, want, line)
	}
}

// TestOutputPathsCheckedBeforeTheRun: a --report that is a file, or an
// --expect that cannot be read, fails at once, with no table printed.
func TestOutputPathsCheckedBeforeTheRun(t *testing.T) {
	t.Parallel() // runs after the sequential tests, so no serve test's SIGTERM reaches it
	dir := t.TempDir()
	file := filepath.Join(dir, "results.txt")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := map[string][]string{
		"--report " + file + ": is a file": {"--report", file},
		"--report":                         {"--report", filepath.Join(file, "sub")},
		"--write-expect " + dir:            {"--write-expect", dir},
		"--expect":                         {"--expect", filepath.Join(dir, "missing.txt")},
	}
	for want, flags := range cases {
		code, out, errs := chatspecCLI(t, append([]string{"run", "chatos", "--color", "never"}, flags...)...)
		assert.Equal(t, 2, code, "%v", flags)
		assert.Contains(t, errs, want, "%v", flags)
		assert.Empty(t, out, "%v: the suite must not have run", flags)
	}
	code, out, errs := chatspecCLI(t, "fuzz", "chatos", "--cases", "1", "--report", file)
	assert.Equal(t, 2, code, "fuzz --report FILE")
	assert.Contains(t, errs, "--report "+file+": is a file")
	assert.Empty(t, out, "fuzz --report FILE: nothing ran")

	fresh := filepath.Join(dir, "new", "report")
	code, _, errs = chatspecCLI(t, "run", "chatos", "--section", "2.2", "--color", "never", "--report", fresh)
	assert.Equal(t, 0, code, errs)
	assert.FileExists(t, filepath.Join(fresh, "results.json"), "a missing --report folder is created")
}
