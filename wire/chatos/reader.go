package chatos

import (
	"errors"
	"io"
	"slices"
)

const readChunk = 4096

// Reader decodes a stream of frames from an untrusted peer. Frames may be
// split at any byte boundary or arrive several per read. Its buffer never
// holds more than one maximal frame plus one read chunk, whatever lengths the
// peer announces. A read error such as a deadline leaves the partial frame
// buffered, so the next call carries on where this one stopped.
type Reader struct {
	src       io.Reader
	maxString int
	buf       []byte
	err       error // sticky decoding error: the stream is out of sync after one
}

// NewReader reads frames from src, refusing Strings longer than maxString
// bytes (DefaultMaxString when maxString <= 0).
func NewReader(src io.Reader, maxString int) *Reader {
	if maxString <= 0 {
		maxString = DefaultMaxString
	}
	return &Reader{src: src, maxString: maxString}
}

// Next returns the next packet and a copy of its raw bytes. After a decoding
// error (as opposed to an I/O error) every later call returns the same error,
// since the stream can no longer be trusted to be aligned on frames.
func (r *Reader) Next() (Packet, []byte, error) {
	if r.err != nil {
		return nil, nil, r.err
	}
	for {
		p, n, err := parse(r.buf, r.maxString)
		if err == nil {
			raw := append([]byte(nil), r.buf[:n]...)
			r.consume(n)
			return p, raw, nil
		}
		if err != errShort {
			r.err = err
			return nil, nil, err
		}
		if err := r.fill(); err != nil {
			return nil, nil, err
		}
	}
}

// fill reads one chunk from src into the buffer.
func (r *Reader) fill() error {
	if len(r.buf) > MaxFrame(r.maxString) {
		// Unreachable while parse checks every length; kept as a hard bound.
		r.err = &FrameError{Op: Opcode(r.buf[0]), Err: ErrFrameTooLarge}
		return r.err
	}
	// Read straight into the buffer's spare room: a chunk of its own would be
	// an allocation per read (on a server, per frame) and a second copy.
	r.buf = slices.Grow(r.buf, readChunk)
	n, err := r.src.Read(r.buf[len(r.buf) : len(r.buf)+readChunk])
	r.buf = r.buf[:len(r.buf)+n]
	if n > 0 {
		return nil
	}
	if errors.Is(err, io.EOF) && len(r.buf) > 0 {
		r.err = &FrameError{Op: Opcode(r.buf[0]), Offset: len(r.buf), Err: ErrTruncated}
		return r.err
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

func (r *Reader) consume(n int) {
	rest := copy(r.buf, r.buf[n:])
	r.buf = r.buf[:rest]
}

// Buffered returns the bytes received but not yet decoded: the start of an
// incomplete frame, or the bytes that failed to decode. For transcripts.
func (r *Reader) Buffered() []byte { return append([]byte(nil), r.buf...) }

// Read reads raw bytes, first from what is buffered, then from the source. It
// serves a private connection once bridged: after 11 the stream is no longer
// ChatOS frames (reading A10).
func (r *Reader) Read(p []byte) (int, error) {
	if len(r.buf) > 0 {
		n := copy(p, r.buf)
		r.consume(n)
		return n, nil
	}
	return r.src.Read(p)
}
