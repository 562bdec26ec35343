package patchat

import (
	"bytes"
	"regexp/syntax"
)

// shape is what the engine knows about a recogniser without running it, so
// that a receive rescans only where a new match can be: a match that was not
// there before must end in the new text, and if it can hold at most n
// newlines it cannot start before the (n+1)th newline back from there.
type shape struct {
	bounded  bool // interior newlines are bounded (by maxNL)
	maxNL    int  // most newlines a match holds before its last byte
	endsNL   bool // every match ends with "\n": new text without one adds none
	anchored bool // uses \A or ^ without (?m): only a scan from 0 is right
}

// unbounded marks a sub-expression that can match any number of newlines.
const unbounded = -1

// shapeOf analyses a compiled recogniser's source; anything it does not
// understand gives the safe answer (scan everything).
func shapeOf(src string) shape {
	re, err := syntax.Parse(src, syntax.Perl)
	if err != nil {
		return shape{}
	}
	re = re.Simplify()
	n := newlines(re)
	ends := endsWithNL(re)
	if n == unbounded || hasBeginText(re) {
		return shape{endsNL: ends, anchored: hasBeginText(re)}
	}
	if ends {
		n--
	}
	return shape{bounded: true, maxNL: n, endsNL: ends}
}

// newlines is the most "\n" one match of re can contain, or unbounded.
func newlines(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			if r == '\n' {
				n++
			}
		}
		return n
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '\n' && '\n' <= re.Rune[i+1] {
				return 1
			}
		}
		return 0
	case syntax.OpAnyChar:
		return 1
	case syntax.OpStar, syntax.OpPlus:
		if newlines(re.Sub[0]) != 0 {
			return unbounded
		}
		return 0
	case syntax.OpQuest, syntax.OpCapture:
		return newlines(re.Sub[0])
	case syntax.OpRepeat:
		n := newlines(re.Sub[0])
		if n == unbounded || (n > 0 && re.Max < 0) {
			return unbounded
		}
		return n * max(re.Max, 0)
	case syntax.OpConcat, syntax.OpAlternate:
		return combine(re)
	}
	return 0 // empty-width operators and OpAnyCharNotNL
}

// combine sums (concatenation) or takes the largest (alternation).
func combine(re *syntax.Regexp) int {
	total := 0
	for _, sub := range re.Sub {
		n := newlines(sub)
		if n == unbounded {
			return unbounded
		}
		if re.Op == syntax.OpConcat {
			total += n
		} else {
			total = max(total, n)
		}
	}
	return total
}

// endsWithNL tells whether every match of re ends with "\n".
func endsWithNL(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune) > 0 && re.Rune[len(re.Rune)-1] == '\n'
	case syntax.OpCharClass:
		return len(re.Rune) == 2 && re.Rune[0] == '\n' && re.Rune[1] == '\n'
	case syntax.OpCapture, syntax.OpPlus:
		return endsWithNL(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min >= 1 && endsWithNL(re.Sub[0])
	case syntax.OpConcat:
		return concatEndsWithNL(re.Sub)
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !endsWithNL(sub) {
				return false
			}
		}
		return len(re.Sub) > 0
	}
	return false
}

// concatEndsWithNL walks back over optional parts that end with "\n" (or
// match nothing) to the last part that must match.
func concatEndsWithNL(subs []*syntax.Regexp) bool {
	for i := len(subs) - 1; i >= 0; i-- {
		sub := subs[i]
		switch {
		case endsWithNL(sub):
			return true
		case sub.Op == syntax.OpQuest || sub.Op == syntax.OpStar:
			if !endsWithNL(sub.Sub[0]) {
				return false
			}
		case isEmptyWidth(sub.Op):
		default:
			return false
		}
	}
	return false
}

// isEmptyWidth tells the assertions that match no text.
func isEmptyWidth(op syntax.Op) bool {
	switch op {
	case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return true
	}
	return false
}

// hasBeginText tells whether re uses \A (or ^ outside multi-line mode).
func hasBeginText(re *syntax.Regexp) bool {
	if re.Op == syntax.OpBeginText {
		return true
	}
	for _, sub := range re.Sub {
		if hasBeginText(sub) {
			return true
		}
	}
	return false
}

// scanFrom is where a search for new matches must start after text arrived
// at buf[fresh:]; len(buf)+1 means no new match is possible.
func (sh shape) scanFrom(buf []byte, fresh int) int {
	if sh.endsNL && bytes.IndexByte(buf[fresh:], '\n') < 0 {
		return len(buf) + 1
	}
	if !sh.bounded {
		return 0
	}
	at := fresh
	for i := 0; i <= sh.maxNL; i++ {
		at = bytes.LastIndexByte(buf[:at], '\n')
		if at < 0 {
			return 0
		}
	}
	return at + 1
}
