package transcript

import (
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf8"
)

// ShownChars is how many characters of a long quoted string Shorten keeps;
// LongString is the length from which a quoted string counts as long (a
// text protocol's ordinary lines stay whole).
const (
	ShownChars = 64
	LongString = 160
)

// MaxText bounds a whole decoded text after Shorten (a packet of many short
// strings, a note quoting a server's reply).
const MaxText = 1024

// quoted matches a Go-quoted string as %q writes it.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// Shorten bounds a decoded packet or a short text: ShortenQuoted, then Cap
// at MaxText, so a 64 KiB nickname never floods a report.
func Shorten(s string) string { return Cap(ShortenQuoted(s), MaxText) }

// ShortenQuoted keeps the first ShownChars characters of every quoted
// string longer than LongString and states its full length:
// "nnnn"… (65536 bytes).
func ShortenQuoted(s string) string {
	if len(s) <= LongString {
		return s
	}
	return quoted.ReplaceAllStringFunc(s, func(q string) string {
		v, err := strconv.Unquote(q)
		if err != nil || utf8.RuneCountInString(v) <= LongString {
			return q
		}
		return strconv.Quote(string([]rune(v)[:ShownChars])) + fmt.Sprintf("… (%d bytes)", len(v))
	})
}

// Cap cuts s to at most n bytes (at a rune boundary), stating its full length.
func Cap(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes)", len(s))
}
