package load

import (
	"testing"

	"github.com/chatspec/chatspec/internal/testserver"
)

// TestMain runs up to testserver.Waiting parallel tests at once: each is a
// load run of fixed duration against a server of its own, and mostly waits.
func TestMain(m *testing.M) { testserver.Main(m) }
