package main

import "testing"

// raiseTerm cannot signal this process on Windows (there is no SIGTERM to
// send oneself), so the tests that need it say so and stop.
func raiseTerm(t *testing.T) {
	t.Helper()
	t.Skip("sending SIGTERM to oneself is not possible on Windows")
}
