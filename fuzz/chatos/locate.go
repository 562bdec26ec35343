package chatos

import (
	"bytes"
	"errors"
	"io"

	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// locateMaxString is the String cap when reading what a case sent: a
// longer String counts as the malformed field (length-above-cap).
const locateMaxString = wire.DefaultMaxString

// Locate names the packet a case most likely hurt the server with: the last
// malformed frame any of its connections sent ("LOGIN(0) nickname
// negative-length"), else the opcode of the last frame sent. It reads each
// connection's bytes with the strict decoder; a run-time fill leaves the
// placeholder bytes, which keep the frame's layout.
func (Protocol) Locate(c fuzz.Case) string {
	last, bad := "", ""
	for _, cs := range c.Conns {
		var stream []byte
		for _, s := range cs.Steps {
			stream = append(stream, s.Data...)
		}
		l, b := locateStream(stream)
		if l != "" {
			last = l
		}
		if b != "" {
			bad = b
		}
	}
	if bad != "" {
		return bad
	}
	return last
}

// locateStream decodes one connection's bytes: the last frame's opcode and
// the first malformed frame, where it broke (the stream cannot be followed
// past a broken frame).
func locateStream(stream []byte) (last, bad string) {
	rd := wire.NewReader(bytes.NewReader(stream), locateMaxString)
	for {
		p, _, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return last, ""
		}
		if err != nil {
			return last, where(err) + " " + wire.Token(err)
		}
		last = p.Opcode().String()
	}
}

// where is the packet and field a decoding error is about.
func where(err error) string {
	var fe *wire.FrameError
	if !errors.As(err, &fe) {
		return ""
	}
	if fe.Field == "" {
		return fe.Op.String()
	}
	return fe.Op.String() + " " + fe.Field
}

// ProbeConnections is the number of connections one health probe opens.
func (Protocol) ProbeConnections() int { return 2 }
