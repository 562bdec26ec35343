package chatos

import (
	"errors"
	"fmt"
)

// Sentinel errors of the codec. Every decoding failure wraps exactly one of
// them, so callers (and fuzz finding buckets) can use errors.Is.
var (
	// ErrUnknownOpcode: the first byte is not an opcode of COP 3.3.
	ErrUnknownOpcode = errors.New("unknown opcode")
	// ErrNegativeLength: a String length field is below zero.
	ErrNegativeLength = errors.New("negative length")
	// ErrFrameTooLarge: a String length is above the configured cap. It is
	// detected from the length field alone, before anything is allocated.
	ErrFrameTooLarge = errors.New("length above cap")
	// ErrInvalidUTF8: a String is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("string is not valid UTF-8")
	// ErrTruncated: the stream ended in the middle of a frame.
	ErrTruncated = errors.New("frame truncated by end of stream")
	// ErrTrailingBytes: Decode was given more bytes than one frame.
	ErrTrailingBytes = errors.New("bytes after the end of the frame")
	// errShort is internal: the buffer does not yet hold a whole frame.
	errShort = errors.New("need more bytes")
)

// FrameError says where in a frame decoding failed and why.
type FrameError struct {
	Op     Opcode // opcode of the frame (meaningless for ErrUnknownOpcode beyond its value)
	Field  string // field name from the document's tables, "" when not about a field
	Offset int    // byte offset of the failing field within the frame
	Length int64  // the length announced, for length errors
	Err    error  // one of the sentinel errors
}

func (e *FrameError) Error() string {
	msg := "chatos: " + e.Op.String()
	if e.Field != "" {
		msg += fmt.Sprintf(" field %s at byte %d", e.Field, e.Offset)
	}
	if errors.Is(e.Err, ErrNegativeLength) || errors.Is(e.Err, ErrFrameTooLarge) {
		msg += fmt.Sprintf(": length %d", e.Length)
	}
	return msg + ": " + e.Err.Error()
}

func (e *FrameError) Unwrap() error { return e.Err }

// Token is a short stable name of the failure, for report rows and fuzz
// finding titles ("unknown-opcode", "negative-length", ...).
func Token(err error) string {
	for _, t := range []struct {
		err  error
		name string
	}{
		{ErrUnknownOpcode, "unknown-opcode"},
		{ErrNegativeLength, "negative-length"},
		{ErrFrameTooLarge, "length-above-cap"},
		{ErrInvalidUTF8, "invalid-utf8"},
		{ErrTruncated, "truncated"},
		{ErrTrailingBytes, "trailing-bytes"},
	} {
		if errors.Is(err, t.err) {
			return t.name
		}
	}
	return "other"
}
