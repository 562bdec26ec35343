//go:build !race

package testserver

// Without the race detector the tests mostly wait (see Waiting).
const (
	Raced    = false // built with -race
	Patience = 2     // Patience multiplies a wide timeout (see Wide)
)
