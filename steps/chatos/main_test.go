package chatos_test

import (
	"testing"

	"github.com/chatspec/chatspec/internal/testserver"
)

// TestMain runs up to testserver.Waiting parallel tests at once: each runs
// scenarios against a server of its own and mostly waits (a check that a
// reply never comes waits out its whole timeout).
func TestMain(m *testing.M) { testserver.Main(m) }
