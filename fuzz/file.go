package fuzz

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// FileHeader is the first line of every finding file; the version changes
// when the format does, and readers refuse versions they do not know.
const FileHeader = "chatspec-finding v2"

// fileHeaderV1 is the format before signatures: still read (no signature,
// trace or faults lines).
const fileHeaderV1 = "chatspec-finding v1"

// ErrBadFindingFile is wrapped by every parse failure of a finding file.
var ErrBadFindingFile = errors.New("fuzz: bad finding file")

const (
	hexPerLine = 16 // bytes per "hex" line
	minRun     = 32 // a run of identical bytes this long becomes a "rep" line
)

// FormatFinding writes f as readable text: a versioned first line, one
// "key: value" line per field, multi-line fields as "| " blocks, then each
// connection's steps with their bytes in hex (long runs of one byte as "rep").
func FormatFinding(f Finding) []byte {
	var b strings.Builder
	b.WriteString(FileHeader + "\n")
	kv := func(k, v string) { fmt.Fprintf(&b, "%s: %s\n", k, oneLine(v)) }
	kv("kind", string(f.Kind))
	kv("title", f.Title)
	kv("oracle", f.Oracle)
	kv("target", f.Target)
	kv("protocol", f.Case.Protocol)
	kv("seed", fmt.Sprint(f.Seed))
	kv("case", fmt.Sprint(f.CaseIndex))
	if f.Faults != "" {
		kv("faults", f.Faults)
	}
	kv("signature", f.Signature.Key)
	writeBlock(&b, "trace", strings.Join(f.Signature.Trace, "\n"))
	writeBlock(&b, "detail", f.Detail)
	writeBlock(&b, "server-log", f.ServerLog)
	for i, cs := range f.Case.Conns {
		fmt.Fprintf(&b, "conn %d\n", i)
		for _, s := range cs.Steps {
			writeStep(&b, s)
		}
	}
	b.WriteString("end\n")
	return []byte(b.String())
}

// oneLine keeps a header value on one line.
func oneLine(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }

func writeBlock(b *strings.Builder, name, text string) {
	if text == "" {
		return
	}
	b.WriteString(name + ":\n")
	for _, line := range strings.Split(text, "\n") {
		if line == "" {
			b.WriteString("|\n")
		} else {
			b.WriteString("| " + line + "\n")
		}
	}
}

// writeStep writes a step header and its data lines.
func writeStep(b *strings.Builder, s Step) {
	b.WriteString("step")
	if s.Pause > 0 {
		fmt.Fprintf(b, " pause=%s", s.Pause)
	}
	if s.Split {
		b.WriteString(" split")
	}
	if len(s.Chunks) > 0 {
		b.WriteString(" chunks=" + joinInts(s.Chunks))
	}
	if s.Fill != nil {
		fmt.Fprintf(b, " fill=%s@%d+%d", s.Fill.Var, s.Fill.Conn, s.Fill.Offset)
	}
	if s.Note != "" {
		fmt.Fprintf(b, " note=%q", s.Note)
	}
	b.WriteString("\n")
	writeData(b, s.Data)
}

// writeData writes bytes as "hex" lines with an ASCII gutter, and runs of one
// byte as "rep BYTE x COUNT".
func writeData(b *strings.Builder, data []byte) {
	line := make([]byte, 0, hexPerLine)
	flush := func() {
		if len(line) > 0 {
			writeHexLine(b, line)
			line = line[:0]
		}
	}
	for len(data) > 0 {
		if n := runLength(data); n >= minRun {
			flush()
			fmt.Fprintf(b, "rep %02x x %d\n", data[0], n)
			data = data[n:]
			continue
		}
		line = append(line, data[0])
		data = data[1:]
		if len(line) == hexPerLine {
			flush()
		}
	}
	flush()
}

// runLength is how many times data[0] repeats at the start of data.
func runLength(data []byte) int {
	n := 1
	for n < len(data) && data[n] == data[0] {
		n++
	}
	return n
}

func writeHexLine(b *strings.Builder, line []byte) {
	b.WriteString("hex")
	for _, c := range line {
		fmt.Fprintf(b, " %02x", c)
	}
	b.WriteString(strings.Repeat("   ", hexPerLine-len(line)))
	b.WriteString("  # ")
	for _, c := range line {
		if c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
		} else {
			b.WriteByte('.')
		}
	}
	b.WriteString("\n")
}

// WriteFindingFile writes f to path (created or replaced).
func WriteFindingFile(path string, f Finding) error {
	if err := os.WriteFile(path, FormatFinding(f), 0o644); err != nil {
		return fmt.Errorf("fuzz: write finding: %w", err)
	}
	return nil
}

// ReadFindingFile reads a finding file written by WriteFindingFile.
func ReadFindingFile(path string) (Finding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Finding{}, fmt.Errorf("fuzz: read finding: %w", err)
	}
	f, err := ParseFinding(data)
	if err != nil {
		return Finding{}, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// joinInts writes offsets as "3,7,12".
func joinInts(v []int) string {
	parts := make([]string, len(v))
	for i, n := range v {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}
