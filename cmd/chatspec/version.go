package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/features"
)

// chatspecVersion is the module version this binary was built as: the tag
// for `go install ...@v1.2.3`, "(devel)" for a build from a checkout, with
// the VCS revision when the build recorded one.
func chatspecVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value[:min(12, len(s.Value))]
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if rev != "" {
		v += " (" + rev + modified + ")"
	}
	return v
}

// embeddedDigest is the digest of a protocol's embedded feature files.
func embeddedDigest(p protocol) string {
	d, err := features.Digest(p.features())
	if err != nil {
		return "unreadable: " + err.Error()
	}
	return d
}

// versionMain is `chatspec version`: what a certificate quotes, so that a
// reader can rebuild the same chatspec and suite.
func versionMain(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, "usage: chatspec version\n\nPrints chatspec's version and the digests a certificate quotes. It takes no flags.")
		return 0
	}
	if len(args) > 0 {
		fmt.Fprintf(stderr, "usage: chatspec version (no arguments; got %q)\n", args[0])
		return 2
	}
	fmt.Fprintf(stdout, "chatspec %s %s\n", chatspecVersion(), runtime.Version())
	fmt.Fprintf(stdout, "catalogue sha256:%s\n", catalog.Digest())
	for _, name := range protocolOrder {
		p, ok := protocols[name]
		if !ok {
			continue
		}
		doc := catalog.Documents[name]
		fmt.Fprintf(stdout, "%s features sha256:%s\n", name, embeddedDigest(p))
		fmt.Fprintf(stdout, "%s document sha256:%s (%s)\n", name, doc.SHA256, doc.Title)
	}
	return 0
}
