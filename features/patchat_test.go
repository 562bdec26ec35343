package features

import "io/fs"

func patchatSuite() (fs.FS, bool) { return PatChat(), true }
