package patchat

import (
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/internal/fuzztest"
	"github.com/chatspec/chatspec/internal/testserver"
)

// TestFillsDoNotWaitOutTheirDeadline: generated cases against the reference
// wait only for answers that come. A fill that waits for an answer a
// correct server never sends lasts its whole deadline (300 ms alone, at
// least 20 ms in a run) and was most of a case's time. The deadline here
// is wide, so a slow answer on a busy machine still counts as arrived; the
// outcomes are counted from what the watches saw, not timed.
func TestFillsDoNotWaitOutTheirDeadline(t *testing.T) {
	t.Parallel()
	tg := inProcess(t)
	fuzztest.AssertFillsCome(t, tg.Addr(), protocol(t), 1, 120, 2, fuzz.ExecOptions{FillWait: testserver.Wide})
}
