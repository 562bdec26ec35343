package features

import "io/fs"

// suites lists the embedded suites by protocol.
func suites() map[string]fs.FS {
	m := map[string]fs.FS{"chatos": ChatOS()}
	if f, ok := patchatSuite(); ok {
		m["patchat"] = f
	}
	return m
}
