package patchat

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// ErrLineTooLong means an input line was over the bound. The reader has
// already started discarding the rest of that line.
var ErrLineTooLong = errors.New("patchat: line too long")

// lineReader reads "\n"-terminated lines (a "\r" before the "\n" is dropped)
// of at most max bytes. Its buffer never grows past max+2 bytes: a longer
// line is reported at once with ErrLineTooLong, and the rest of it, however
// long, is read and thrown away in buffer-sized pieces on the next call.
type lineReader struct {
	br       *bufio.Reader
	max      int
	skipping bool // inside a too-long line: discard up to its "\n"
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, max+2), max: max}
}

// next returns the next line. A partial line at end of input is dropped.
func (r *lineReader) next() (string, error) {
	for {
		frag, err := r.br.ReadSlice('\n')
		if r.skipping {
			if err == nil {
				r.skipping = false
				continue
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			return "", err
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			r.skipping = true
			return "", ErrLineTooLong
		}
		if err != nil {
			return "", err
		}
		line := strings.TrimSuffix(string(frag[:len(frag)-1]), "\r")
		if len(line) > r.max {
			return "", ErrLineTooLong
		}
		return line, nil
	}
}
