//go:build race

package testserver

// Under the race detector the tests are bound by the CPU, several times
// slower, and waiting is no longer what they do most: they keep go test's
// -parallel, and their wide timeouts are longer.
const (
	Raced    = true // built with -race
	Patience = 5    // Patience multiplies a wide timeout (see Wide)
)
