package fuzz

import (
	"math/rand/v2"
	"slices"
)

// A drip delivers one step in a few writes cut at random places (Step.Chunks),
// so the server sees a frame or a line arrive over several reads. It replaces
// the one-byte-per-write delivery (Step.Split, still run for older finding
// files) in generated cases: that cost one write per byte on both sides, a
// hundred system calls for a hundred-byte exchange, while the bug class it is
// for, a server that takes one read as one frame (or one line), only needs the
// frame to be cut somewhere. Such servers go wrong where a cut falls: inside
// the header (a length prefix split in two), inside a field, inside a
// multi-byte character. Cuts drawn uniformly over the data land in every one
// of these places; head makes the first cut fall within the first head bytes,
// where a header is short and uniform cuts would rarely go.

// maxDripCuts is the most cuts of a drip: at most eight writes.
const maxDripCuts = 7

// Drip returns 1 to 7 distinct cut offsets in (0, n), ascending, so a step of
// n bytes goes in 2 to 8 writes; the first falls within the first head bytes
// when head > 0. Nil when n < 2 (nothing to cut).
func Drip(r *rand.Rand, n, head int) []int {
	if n < 2 {
		return nil
	}
	k := min(1+r.IntN(maxDripCuts), n-1)
	cuts := make([]int, 0, k)
	if head > 0 {
		cuts = append(cuts, 1+r.IntN(min(head, n-1)))
	}
	for len(cuts) < k {
		if c := 1 + r.IntN(n-1); !slices.Contains(cuts, c) {
			cuts = append(cuts, c)
		}
	}
	slices.Sort(cuts)
	return cuts
}

// pieces calls write with data cut at chunks (offsets out of order or out of
// range are skipped: a reducer may have shortened the data), stopping at the
// first error.
func pieces(data []byte, chunks []int, write func([]byte) error) error {
	prev := 0
	for _, c := range chunks {
		if c <= prev || c >= len(data) {
			continue
		}
		if err := write(data[prev:c]); err != nil {
			return err
		}
		prev = c
	}
	return write(data[prev:])
}
