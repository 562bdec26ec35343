package chatos

import (
	"testing"

	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/internal/fuzztest"
	"github.com/chatspec/chatspec/internal/testserver"
)

// TestFillsDoNotWaitOutTheirDeadline: generated cases against the reference
// wait only for answers that come. A fill that waits in vain holds its
// worker for its whole deadline (300 ms alone, about 20 ms in a run against
// a fast server, the time of some 150 connections): a split behind a
// message on a connection a malformed frame had closed, a request from a
// peer a hostile text had closed, a bridge half whose peer presented a
// wrong id cost 3-4% of a run's worker time before the walks knew about
// them. The deadline is wide, so a slow answer on a busy machine still
// counts as arrived; outcomes are counted from what the watches saw.
func TestFillsDoNotWaitOutTheirDeadline(t *testing.T) {
	t.Parallel()
	tg := inProcess(t)
	fuzztest.AssertFillsCome(t, tg.Addr(), New(), 1, 2000, 1, fuzz.ExecOptions{FillWait: testserver.Wide})
}
