package chatos

import "github.com/chatspec/chatspec/fuzz"

// WithAnswerOrder returns the protocol for a server whose 7 and 8 carry
// (answerer, requester) when reversed is true (the profile's answer-order
// "reversed"): its cases then answer requests that way, so such a server is
// walked into the private-connection states instead of ignoring the answers.
func WithAnswerOrder(reversed bool) fuzz.Protocol {
	return Protocol{reversed: reversed}
}

// answer is the 7 (accept) or 8 (refuse) the requester from is answered
// with by to, its fields in the declared order.
func (w *walker) answer(accept bool, from, to string) frame {
	if w.reversed {
		return answer(accept, to, from)
	}
	return answer(accept, from, to)
}
