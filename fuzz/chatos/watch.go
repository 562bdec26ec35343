package chatos

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/chatspec/chatspec/fuzz"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// maxServerString caps a String the server sends before it counts as
// undecodable. It is far above any sane message: the oracle is about frames
// that cannot be decoded, not about long messages (a conformance matter).
const maxServerString = 1 << 20

// errNeedMore tells the codec's Reader that the pushed bytes are used up.
var errNeedMore = errors.New("need more bytes")

// pushSource is the Reader's source: bytes pushed by Feed, read once.
type pushSource struct{ buf []byte }

func (p *pushSource) Read(b []byte) (int, error) {
	if len(p.buf) == 0 {
		return 0, errNeedMore
	}
	n := copy(b, p.buf)
	p.buf = p.buf[n:]
	return n, nil
}

// maxValues bounds the values a watch keeps (one per unknown nickname named).
const maxValues = 64

// watch decodes everything the server sends on one connection, strictly
// (COP-3.1-1), until an 11 turns the connection into a raw bridge (A10).
type watch struct {
	src    pushSource
	rd     *wire.Reader
	raw    bool // bridged: bytes are no longer frames
	values map[string][]byte
}

func newWatch() *watch {
	w := &watch{values: map[string][]byte{}}
	w.rd = wire.NewReader(&w.src, maxServerString)
	return w
}

// Feed decodes the frames completed by b.
func (w *watch) Feed(b []byte) *fuzz.Violation {
	if w.raw {
		return nil
	}
	w.src.buf = append(w.src.buf, b...)
	for !w.raw {
		p, _, err := w.rd.Next()
		if errors.Is(err, errNeedMore) {
			return nil
		}
		if err != nil {
			return w.violation(err)
		}
		w.note(p)
	}
	return nil
}

// note records the values fills wait for.
func (w *watch) note(p wire.Packet) {
	switch p := p.(type) {
	case wire.LoginAccepted:
		w.values[VarLogin] = []byte{1}
	case wire.PrivateRequest:
		w.values[VarRequest] = []byte{1}
	case wire.UnknownUser:
		if len(w.values) < maxValues {
			w.values[unknownVar(p.Name)] = []byte{1}
		}
	case wire.ConnectID:
		w.values[VarConnectID] = binary.BigEndian.AppendUint64(nil, uint64(p.ID))
	case wire.Established:
		w.values[VarBridged] = []byte{1}
		w.raw = true
	}
}

// End reports a frame the server left unfinished when it closed.
func (w *watch) End() *fuzz.Violation {
	if w.raw {
		return nil
	}
	if rest := w.rd.Buffered(); len(rest) > 0 {
		return &fuzz.Violation{Token: "truncated",
			Detail: fmt.Sprintf("the server closed the connection in the middle of a frame: % x", head(rest))}
	}
	return nil
}

func (w *watch) violation(err error) *fuzz.Violation {
	return &fuzz.Violation{Token: wire.Token(err), Where: where(err),
		Detail: fmt.Sprintf("%v; undecoded bytes: % x", err, head(w.rd.Buffered()))}
}

// Value returns a value noted so far.
func (w *watch) Value(name string) ([]byte, bool) {
	v, ok := w.values[name]
	return v, ok
}

// head is the start of b, for details.
func head(b []byte) []byte { return b[:min(len(b), 64)] }
