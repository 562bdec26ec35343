package reports

import (
	"fmt"
	"regexp"
	"strings"
)

// htmlWire is one scenario's wire log as the HTML report shows it: the
// transcript's entries with time, connection, direction, decoded text and
// hex, and the connections that took part.
type htmlWire struct {
	Entries []htmlEntry
	Conns   []htmlConn
	Omitted string // why some or all of the log is not shown
}

type htmlEntry struct {
	At, Conn, Dir, Class, Text, Hex string
}

type htmlConn struct {
	Name           string
	Sent, Received int
}

// entryLine and hexLine match the lines transcript.Log.String writes:
// "   0.021s alice          -> LOGIN(0) nick=..." and the hex under it.
var (
	entryLine = regexp.MustCompile(`^\s*(\d+\.\d+s) (\S+)\s+(->|<-|--) ?(.*)$`)
	hexLine   = regexp.MustCompile(`^\s{8,}([0-9a-f]{1,8}(?: [0-9a-f]{1,8})*(?: \.\.\. \(\+\d+ bytes\))?)$`)
)

var dirClass = map[string]string{"->": "sent", "<-": "recv", "--": "note"}

// wire parses a transcript for the page, spending the page's budget; a
// line it does not recognise is kept whole as a note, so nothing is lost.
func (b *htmlBuilder) wire(transcript string) *htmlWire {
	if transcript == "" {
		return nil
	}
	if len(transcript) > b.budget {
		return &htmlWire{Omitted: fmt.Sprintf("wire log of %d bytes not shown: this page's %d MiB cap is spent (results.json has it)",
			len(transcript), maxHTMLWire>>20)}
	}
	b.budget -= len(transcript)
	w := &htmlWire{}
	for _, line := range splitLines(clean(transcript)) {
		w.addLine(line)
	}
	w.countConns()
	return w
}

func (w *htmlWire) addLine(line string) {
	if m := hexLine.FindStringSubmatch(line); m != nil && len(w.Entries) > 0 && w.Entries[len(w.Entries)-1].Hex == "" {
		w.Entries[len(w.Entries)-1].Hex = m[1]
		return
	}
	if m := entryLine.FindStringSubmatch(line); m != nil {
		w.Entries = append(w.Entries, htmlEntry{At: m[1], Conn: m[2], Dir: m[3], Class: dirClass[m[3]], Text: m[4]})
		return
	}
	w.Entries = append(w.Entries, htmlEntry{Class: "note", Text: line})
}

func (w *htmlWire) countConns() {
	index := map[string]int{}
	for _, e := range w.Entries {
		if e.Conn == "" {
			continue
		}
		i, ok := index[e.Conn]
		if !ok {
			i = len(w.Conns)
			index[e.Conn] = i
			w.Conns = append(w.Conns, htmlConn{Name: e.Conn})
		}
		switch e.Class {
		case "sent":
			w.Conns[i].Sent++
		case "recv":
			w.Conns[i].Received++
		}
	}
}

// splitLines splits text into lines without the final empty one.
func splitLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
