package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chatspec/chatspec/features"
	"github.com/chatspec/chatspec/reports"
	"github.com/chatspec/chatspec/results"
)

// selectionOf describes the flags that narrowed a run ("--section 2.3"),
// in flag order; empty for a full run.
func selectionOf(flags map[string]string) string {
	keys := make([]string, 0, len(flags))
	for k := range flags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		if v := strings.TrimSpace(flags[k]); v != "" {
			parts = append(parts, k+" "+v)
		}
	}
	return strings.Join(parts, " ")
}

// describeRun records what a certificate quotes about the run.
func describeRun(run *results.Run, o *runOptions, fsys fs.FS) {
	run.Name, run.Version, run.Selection = o.name, chatspecVersion(), o.selection
	run.Profile = o.profile.Options()
	if d, err := features.Digest(fsys); err == nil {
		run.FeaturesDigest = d
	}
}

// writeCertificate writes certificate.json for a full, certified run, and
// removes one an earlier run left in the folder otherwise: a stale
// certificate must not outlive the run that earned it.
func writeCertificate(dir string, runs []*results.Run) error {
	path := filepath.Join(dir, "certificate.json")
	c := results.NewCertificate(runs)
	if c == nil {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return writeFile(path, func(w io.Writer) error { return reports.CertificateJSON(w, c) })
}
