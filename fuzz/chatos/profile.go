package chatos

import (
	"github.com/chatspec/chatspec/fuzz"
	"github.com/chatspec/chatspec/profile"
)

// WithProfile returns the protocol for a server with the declared choices:
// with answer-order "reversed" every 7 and 8 the cases send carry
// (answerer, requester), so a server that reads them that way is walked
// into the private-connection states instead of ignoring the answers.
func WithProfile(p profile.Profile) fuzz.Protocol {
	return Protocol{reversed: p.AnswerOrder == profile.OrderReversed}
}

// answer is the 7 (accept) or 8 (refuse) the requester from is answered
// with by to, its fields in the profile's order.
func (w *walker) answer(accept bool, from, to string) frame {
	if w.reversed {
		return answer(accept, to, from)
	}
	return answer(accept, from, to)
}
