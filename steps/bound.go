package steps

import (
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/transcript"
)

// MaxMessage bounds a row's message (a crash's stderr excerpt included).
const MaxMessage = 8 << 10

// bound keeps every text of a row short enough for any report, whatever
// the server sent: long quoted strings keep their start and state their
// length, and each text is capped with its full length stated.
func bound(res *results.Result) {
	res.Message = transcript.Cap(transcript.ShortenQuoted(res.Message), MaxMessage)
	if res.Check != nil {
		res.Check.Actual = transcript.Cap(transcript.ShortenQuoted(res.Check.Actual), MaxMessage)
		for i, e := range res.Check.Expected {
			res.Check.Expected[i] = transcript.Shorten(e)
		}
	}
	for i, n := range res.Notes {
		res.Notes[i] = transcript.Shorten(n)
	}
}
