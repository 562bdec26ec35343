package profile

import "io"

// errEOF is what the decoder returns for an empty file: all defaults.
func errEOF() error { return io.EOF }
