package fuzz

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxRep bounds one "rep" line so a hostile file cannot make us allocate gigabytes.
const maxRep = 64 << 20

// parser is the state of reading one finding file.
type parser struct {
	f          Finding
	block      *string // the "| " block being read, if any
	blockLines int     // lines read into block so far
	conn       *ConnScript
	step       *Step
	done       bool
	trace      string // the "trace:" block, split into lines at the end
}

// ParseFinding reads the text FormatFinding writes.
func ParseFinding(data []byte) (Finding, error) {
	lines := strings.Split(string(data), "\n")
	if len(lines) == 0 || !slices.Contains([]string{FileHeader, fileHeaderV1}, strings.TrimRight(lines[0], "\r")) {
		return Finding{}, fmt.Errorf("%w: first line must be %q", ErrBadFindingFile, FileHeader)
	}
	p := &parser{}
	for i, line := range lines[1:] {
		if err := p.line(line); err != nil {
			return Finding{}, fmt.Errorf("%w: line %d: %v", ErrBadFindingFile, i+2, err)
		}
	}
	if !p.done {
		return Finding{}, fmt.Errorf("%w: missing final \"end\" line (file cut short?)", ErrBadFindingFile)
	}
	if p.f.Kind == "" {
		return Finding{}, fmt.Errorf("%w: missing \"kind:\" line", ErrBadFindingFile)
	}
	if p.trace != "" {
		p.f.Signature.Trace = strings.Split(p.trace, "\n")
	}
	return p.f, nil
}

func (p *parser) line(line string) error {
	if p.done {
		if strings.TrimSpace(line) != "" {
			return fmt.Errorf("text after \"end\"")
		}
		return nil
	}
	if strings.HasPrefix(line, "|") {
		return p.blockLine(line)
	}
	p.block = nil
	word, rest, _ := strings.Cut(line, " ")
	switch word {
	case "":
		return nil
	case "conn":
		return p.newConn(rest)
	case "step":
		return p.newStep(rest)
	case "hex", "rep":
		return p.data(word, rest)
	case "end":
		p.done = true
		return nil
	}
	return p.header(line)
}

func (p *parser) blockLine(line string) error {
	if p.block == nil {
		return fmt.Errorf("\"|\" line outside a detail, trace or server-log block")
	}
	text := strings.TrimPrefix(strings.TrimPrefix(line, "|"), " ")
	if p.blockLines > 0 {
		*p.block += "\n"
	}
	*p.block += text
	p.blockLines++
	return nil
}

func (p *parser) header(line string) error {
	key, val, ok := strings.Cut(line, ":")
	if !ok {
		return fmt.Errorf("unknown line %q", line)
	}
	val = strings.TrimPrefix(val, " ")
	var err error
	switch key {
	case "kind":
		p.f.Kind, err = ParseKind(val)
	case "title":
		p.f.Title = val
	case "oracle":
		p.f.Oracle = val
	case "target":
		p.f.Target = val
	case "protocol":
		p.f.Case.Protocol = val
	case "seed":
		p.f.Seed, err = strconv.ParseInt(val, 10, 64)
	case "case":
		p.f.CaseIndex, err = strconv.Atoi(val)
	case "detail":
		p.block, p.blockLines = &p.f.Detail, 0
	case "server-log":
		p.block, p.blockLines = &p.f.ServerLog, 0
	case "trace":
		p.block, p.blockLines = &p.trace, 0
	case "signature":
		p.f.Signature.Key = val
	case "faults":
		p.f.Faults = val
	default:
		return fmt.Errorf("unknown key %q", key)
	}
	return err
}

func (p *parser) newConn(rest string) error {
	n, err := strconv.Atoi(rest)
	if err != nil || n != len(p.f.Case.Conns) {
		return fmt.Errorf("conn %q out of order, want %d", rest, len(p.f.Case.Conns))
	}
	p.f.Case.Conns = append(p.f.Case.Conns, ConnScript{})
	p.conn = &p.f.Case.Conns[n]
	p.step = nil
	return nil
}

func (p *parser) newStep(rest string) error {
	if p.conn == nil {
		return fmt.Errorf("step before any conn")
	}
	var s Step
	for rest != "" {
		var err error
		if rest, err = stepAttr(&s, rest); err != nil {
			return err
		}
	}
	p.conn.Steps = append(p.conn.Steps, s)
	p.step = &p.conn.Steps[len(p.conn.Steps)-1]
	return nil
}

// stepAttr reads one attribute of a step line and returns the rest.
func stepAttr(s *Step, rest string) (string, error) {
	rest = strings.TrimLeft(rest, " ")
	if note, ok := strings.CutPrefix(rest, "note="); ok {
		q, err := strconv.Unquote(note)
		s.Note = q
		return "", err
	}
	attr, after, _ := strings.Cut(rest, " ")
	name, val, _ := strings.Cut(attr, "=")
	var err error
	switch name {
	case "pause":
		s.Pause, err = time.ParseDuration(val)
	case "split":
		s.Split = true
	case "chunks":
		s.Chunks, err = parseChunks(val)
	case "fill":
		s.Fill, err = parseFill(val)
	default:
		err = fmt.Errorf("unknown step attribute %q", attr)
	}
	return after, err
}

// parseChunks reads a drip's cut offsets, "3,7,12": positive and ascending.
func parseChunks(v string) ([]int, error) {
	var cuts []int
	for _, part := range strings.Split(v, ",") {
		n, err := strconv.Atoi(part)
		if err != nil || n <= 0 || (len(cuts) > 0 && n <= cuts[len(cuts)-1]) {
			return nil, fmt.Errorf("bad chunks %q, want ascending positive offsets like 3,7,12", v)
		}
		cuts = append(cuts, n)
	}
	return cuts, nil
}

func parseFill(v string) (*Fill, error) {
	name, pos, ok1 := strings.Cut(v, "@")
	conn, off, ok2 := strings.Cut(pos, "+")
	c, err1 := strconv.Atoi(conn)
	o, err2 := strconv.Atoi(off)
	if !ok1 || !ok2 || err1 != nil || err2 != nil || name == "" {
		return nil, fmt.Errorf("bad fill %q, want VAR@CONN+OFFSET", v)
	}
	return &Fill{Var: name, Conn: c, Offset: o}, nil
}

func (p *parser) data(word, rest string) error {
	if p.step == nil {
		return fmt.Errorf("%s line before any step", word)
	}
	if word == "rep" {
		return p.rep(rest)
	}
	rest, _, _ = strings.Cut(rest, "#")
	raw, err := hex.DecodeString(strings.ReplaceAll(strings.TrimSpace(rest), " ", ""))
	if err != nil {
		return fmt.Errorf("bad hex: %v", err)
	}
	p.step.Data = append(p.step.Data, raw...)
	return nil
}

func (p *parser) rep(rest string) error {
	var b byte
	var n int
	if _, err := fmt.Sscanf(rest, "%02x x %d", &b, &n); err != nil || n < 0 || n > maxRep {
		return fmt.Errorf("bad rep %q, want BYTE x COUNT (count up to %d)", rest, maxRep)
	}
	p.step.Data = append(p.step.Data, strings.Repeat(string([]byte{b}), n)...)
	return nil
}
