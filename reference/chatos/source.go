package chatos

import (
	"bytes"
	"io"
	"net"

	wire "github.com/chatspec/chatspec/wire/chatos"
)

// frameSource yields packets from a connection, then its raw bytes once the
// connection is a bridge half (whatever was read ahead comes first).
type frameSource interface {
	Next() (wire.Packet, []byte, error)
	io.Reader
}

// newSource is the codec's capped streaming Reader, or the broken one of the
// OneReadOneFrame fault.
func (s *server) newSource(nc net.Conn) frameSource {
	f := s.cfg.Faults
	switch {
	case f.OneReadOneFrame:
		return &oneReadSource{src: nc, maxString: s.cfg.MaxString}
	case f.PartialFrameBlocksAll:
		return newLockedSource(nc, &s.frameMu, s.cfg.MaxString)
	case f.Opcode12Extension || f.IgnoreUnknownOpcode:
		return &skippingSource{r: wire.NewReader(nc, s.cfg.MaxString), src: nc, maxString: s.cfg.MaxString, faults: f}
	}
	return wire.NewReader(nc, s.cfg.MaxString)
}

// oneReadSource is the OneReadOneFrame fault: it decodes the first frame of
// each read and throws the rest of the read away, the classic "one recv is
// one message" bug. A frame split over two reads fails to decode.
type oneReadSource struct {
	src       io.Reader
	maxString int
}

func (o *oneReadSource) Next() (wire.Packet, []byte, error) {
	buf := make([]byte, wire.MaxFrame(o.maxString))
	n, err := o.src.Read(buf)
	if n == 0 {
		if err == nil {
			err = io.ErrNoProgress
		}
		return nil, nil, err
	}
	return wire.NewReader(bytes.NewReader(buf[:n]), o.maxString).Next()
}

func (o *oneReadSource) Read(p []byte) (int, error) { return o.src.Read(p) }
