package patchat

import (
	"fmt"
	"net/url"
	"regexp"
	"unicode/utf8"

	"github.com/chatspec/chatspec/fuzz"
)

// watch checks that everything the server sends is text (PAT-3-3): valid
// UTF-8, no NUL and no control bytes other than newline, carriage return
// and tab. A character split across reads is carried to the next one.
type watch struct {
	carry []byte // the start of a character cut by the end of a read
	seen  int64  // bytes checked so far, for the detail
	text  []byte // received text not yet matched by a wait (bounded)
	res   map[string]*regexp.Regexp
}

// maxWaitText bounds the text a watch keeps for the dialect's expects.
const maxWaitText = 64 << 10

// Feed checks the next bytes.
func (w *watch) Feed(b []byte) *fuzz.Violation {
	w.text = append(w.text, b...)
	if len(w.text) > maxWaitText {
		w.text = append(w.text[:0], w.text[len(w.text)-maxWaitText:]...)
	}
	buf := append(w.carry, b...)
	w.carry = nil
	for i := 0; i < len(buf); {
		c := buf[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
				return w.bad("control-byte", buf, i, fmt.Sprintf("control byte 0x%02x", c))
			}
			i++
			continue
		}
		if !utf8.FullRune(buf[i:]) {
			w.carry = append([]byte(nil), buf[i:]...)
			break
		}
		r, n := utf8.DecodeRune(buf[i:])
		if r == utf8.RuneError && n == 1 {
			return w.bad("invalid-utf8", buf, i, "invalid UTF-8")
		}
		if r >= 0x80 && r < 0xa0 {
			return w.bad("control-byte", buf, i, fmt.Sprintf("C1 control character U+%04X", r))
		}
		i += n
	}
	w.seen += int64(len(b))
	return nil
}

// End reports a character left unfinished when the server closed.
func (w *watch) End() *fuzz.Violation {
	if len(w.carry) > 0 {
		return w.bad("invalid-utf8", w.carry, 0, "the stream ended inside a UTF-8 character")
	}
	return nil
}

// Value reports whether the patterns a step waits for (see waitVar) have
// arrived, and consumes the text up to their match.
func (w *watch) Value(name string) ([]byte, bool) {
	re, ok := w.res[name]
	if !ok {
		src, err := url.QueryUnescape(name)
		if err == nil {
			re, err = regexp.Compile(src)
		}
		if err != nil {
			return nil, false
		}
		if w.res == nil {
			w.res = map[string]*regexp.Regexp{}
		}
		w.res[name] = re
	}
	loc := re.FindIndex(w.text)
	if loc == nil {
		return nil, false
	}
	m := append([]byte(nil), w.text[loc[0]:loc[1]]...)
	w.text = w.text[loc[1]:]
	return m, true
}

func (w *watch) bad(token string, buf []byte, i int, what string) *fuzz.Violation {
	lo, hi := max(0, i-32), min(len(buf), i+32)
	return &fuzz.Violation{Token: token,
		Detail: fmt.Sprintf("%s at byte %d of the server's text, in %q", what, w.seen+int64(i), buf[lo:hi])}
}
