// Package features embeds chatspec's Gherkin suites, one folder per protocol
// and one file per section of its document, so the binary carries them.
package features

import (
	"embed"
	"io/fs"
)

//go:embed chatos patchat
var files embed.FS

// ChatOS returns the ChatOS feature files, rooted at their folder.
func ChatOS() fs.FS { return sub("chatos") }

// PatChat returns the Pat Chat feature files, rooted at their folder.
func PatChat() fs.FS { return sub("patchat") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the folder is embedded at build time
	}
	return f
}
