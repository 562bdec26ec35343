//go:build !race

package testserver

// Without the race detector the tests mostly wait (see Waiting).
const (
	raced    = false
	Patience = 2 // Patience multiplies a wide timeout (see Wide)
)
