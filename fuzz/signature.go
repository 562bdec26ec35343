package fuzz

import (
	"path"
	"regexp"
	"strings"
)

// Signature says which bug fired: findings with the same kind, oracle and
// signature key are one bug, seen again. It comes from the server's own
// output when that holds a trace (a Go panic, a Java exception, a Python
// traceback, a sanitizer report, a fatal signal); otherwise from what the
// case sent (the last packet's opcode and its malformed field) or, for a
// protocol finding, from where the server's bytes broke.
type Signature struct {
	Key   string   // stable one-line identity, e.g. "python UnicodeDecodeError at server.py:41"
	Trace []string // the first lines of the trace, for people; empty without server output
}

// FromOutput reports whether the signature was read from the server's output.
func (s Signature) FromOutput() bool { return len(s.Trace) > 0 }

// traceLines bounds Signature.Trace.
const traceLines = 8

// Trace formats, matched line by line.
var (
	reGoPanic     = regexp.MustCompile(`^(panic|fatal error): (.*?)( \[recovered\])?$`)
	reGoFunc      = regexp.MustCompile(`^([\w./%-]+\.[\w.()*%-]+)\(.*\)$`)
	reJavaExc     = regexp.MustCompile(`^(?:Exception in thread "[^"]*" )?((?:[a-zA-Z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)[\w$]*)(?::.*)?$`)
	reJavaFrame   = regexp.MustCompile(`^\s+at ([\w$.<>/]+)\(([^)]*)\)`)
	rePyStart     = regexp.MustCompile(`^Traceback \(most recent call last\):`)
	rePyFile      = regexp.MustCompile(`^\s+File "([^"]+)", line (\d+), in (\S+)`)
	rePyExc       = regexp.MustCompile(`^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Iteration)[\w]*)(?::.*)?$`)
	reSanitizer   = regexp.MustCompile(`^==\d+==ERROR: (\w+Sanitizer): ([\w-]+)`)
	reSanFrame    = regexp.MustCompile(`^\s+#0 0x[0-9a-f]+ in (\S+)(?: (\S+))?`)
	reUBSan       = regexp.MustCompile(`^(\S+:\d+(?::\d+)?): runtime error: (.*)$`)
	reSignal      = regexp.MustCompile(`\b(SIGSEGV|SIGBUS|SIGABRT|SIGILL|SIGFPE|SIGKILL|SIGTRAP)\b|Segmentation fault|Aborted|Bus error|Illegal instruction|Floating point exception`)
	reNumber      = regexp.MustCompile(`0x[0-9a-fA-F]+|\d+`)
	signalAliases = map[string]string{"Segmentation fault": "SIGSEGV", "Aborted": "SIGABRT", "Bus error": "SIGBUS",
		"Illegal instruction": "SIGILL", "Floating point exception": "SIGFPE"}
)

// OutputSignature reads the last trace in a server's output: the one that
// took it down when it died, the newest when it only logged. ok is false
// when the output holds no trace chatspec knows.
func OutputSignature(output string) (Signature, bool) {
	lines := strings.Split(strings.ReplaceAll(output, "\r\n", "\n"), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		for _, read := range traceReaders {
			if s, ok := read(lines, i); ok {
				return s, true
			}
		}
	}
	return Signature{}, false
}

// traceReaders each recognise a trace starting at lines[i].
var traceReaders = []func(lines []string, i int) (Signature, bool){
	goPanic, javaException, pythonTraceback, sanitizer, ubsan, fatalSignal,
}

// goPanic: "panic: MSG", then "goroutine N [running]:", then function lines
// each followed by a "\tfile:line" line. The key is the message (numbers
// blanked: they vary with the input) and the first two functions outside
// the runtime.
func goPanic(lines []string, i int) (Signature, bool) {
	m := reGoPanic.FindStringSubmatch(strings.TrimSpace(lines[i]))
	if m == nil {
		return Signature{}, false
	}
	var funcs []string
	for _, l := range lines[i+1:] {
		if f := reGoFunc.FindStringSubmatch(l); f != nil && !strings.HasPrefix(f[1], "runtime.") && !strings.HasPrefix(f[1], "panic(") {
			funcs = append(funcs, path.Base(f[1])) // "chatos.(*server).read", not the whole import path
		}
		if len(funcs) == 2 || strings.TrimSpace(l) == "" && len(funcs) > 0 {
			break
		}
	}
	key := "go " + m[1] + ": " + blankNumbers(m[2])
	if len(funcs) > 0 {
		key += " in " + strings.Join(funcs, " < ")
	}
	return Signature{Key: key, Trace: nonBlank(lines[i:])}, true
}

// nonBlank is the first traceLines non-blank lines (a Go trace has a blank
// line between the message and the goroutine).
func nonBlank(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
		if len(out) == traceLines {
			break
		}
	}
	return bounded(out)
}

// javaException: "[Exception in thread "x" ]pkg.TypeException: msg" then
// "\tat pkg.Class.method(File.java:12)" lines. The key is the type and the
// top two frames.
func javaException(lines []string, i int) (Signature, bool) {
	m := reJavaExc.FindStringSubmatch(strings.TrimRight(lines[i], " "))
	if m == nil || i+1 >= len(lines) || !reJavaFrame.MatchString(lines[i+1]) {
		return Signature{}, false
	}
	var frames []string
	for _, l := range lines[i+1:] {
		f := reJavaFrame.FindStringSubmatch(l)
		if f == nil || len(frames) == 2 {
			break
		}
		frames = append(frames, f[1]+"("+f[2]+")")
	}
	return Signature{Key: "java " + m[1] + " at " + strings.Join(frames, " < "), Trace: traceFrom(lines, i)}, true
}

// pythonTraceback: "Traceback (most recent call last):", "  File ..., line
// N, in f" lines, and the exception line. The key is the exception type and
// the innermost frame's file:line.
func pythonTraceback(lines []string, i int) (Signature, bool) {
	if !rePyStart.MatchString(strings.TrimSpace(lines[i])) {
		return Signature{}, false
	}
	inner := ""
	for j := i + 1; j < len(lines); j++ {
		if f := rePyFile.FindStringSubmatch(lines[j]); f != nil {
			inner = path.Base(strings.ReplaceAll(f[1], `\`, "/")) + ":" + f[2] + " in " + f[3]
			continue
		}
		if strings.HasPrefix(lines[j], " ") || strings.HasPrefix(lines[j], "\t") {
			continue // the source line under a frame
		}
		if e := rePyExc.FindStringSubmatch(strings.TrimSpace(lines[j])); e != nil && inner != "" {
			// People read a traceback from the bottom: the exception first,
			// then the innermost frames, in their order.
			trace := append([]string{lines[j]}, lines[max(i+1, j-(traceLines-1)):j]...)
			return Signature{Key: "python " + e[1] + " at " + inner, Trace: bounded(trace)}, true
		}
		break
	}
	return Signature{}, false
}

// sanitizer: "==PID==ERROR: AddressSanitizer: KIND ..." and the "#0" frame.
func sanitizer(lines []string, i int) (Signature, bool) {
	m := reSanitizer.FindStringSubmatch(strings.TrimSpace(lines[i]))
	if m == nil {
		return Signature{}, false
	}
	key := m[1] + " " + m[2]
	for _, l := range lines[i+1 : min(len(lines), i+12)] {
		if f := reSanFrame.FindStringSubmatch(l); f != nil {
			key += " in " + f[1]
			if f[2] != "" {
				key += " " + path.Base(f[2])
			}
			break
		}
	}
	return Signature{Key: key, Trace: traceFrom(lines, i)}, true
}

// ubsan: "file.c:12:5: runtime error: MSG".
func ubsan(lines []string, i int) (Signature, bool) {
	m := reUBSan.FindStringSubmatch(strings.TrimSpace(lines[i]))
	if m == nil {
		return Signature{}, false
	}
	return Signature{Key: "UndefinedBehaviorSanitizer at " + m[1] + ": " + blankNumbers(m[2]), Trace: traceFrom(lines, i)}, true
}

// fatalSignal: a line naming a fatal signal ("Segmentation fault (core
// dumped)", "SIGSEGV ..."). It carries no place, so callers add one.
func fatalSignal(lines []string, i int) (Signature, bool) {
	m := reSignal.FindStringSubmatch(lines[i])
	if m == nil {
		return Signature{}, false
	}
	name := m[1]
	if name == "" {
		name = signalAliases[m[0]]
	}
	return Signature{Key: "signal " + name, Trace: traceFrom(lines, i)}, true
}

// SignalOf names the fatal signal in an exit status such as "signal SIGSEGV
// (segmentation fault)", "" when the status names none.
func SignalOf(status string) string {
	if m := reSignal.FindStringSubmatch(status); m != nil && m[1] != "" {
		return m[1]
	}
	return ""
}

// traceFrom returns the trace lines starting at lines[i], up to a blank
// line, at most traceLines.
func traceFrom(lines []string, i int) []string {
	end := i + 1
	for end < len(lines) && end-i < traceLines && strings.TrimSpace(lines[end]) != "" {
		end++
	}
	return bounded(lines[i:end])
}

// bounded keeps at most traceLines lines of at most 200 bytes each.
func bounded(lines []string) []string {
	out := make([]string, 0, min(len(lines), traceLines))
	for _, l := range lines[:min(len(lines), traceLines)] {
		if len(l) > 200 {
			l = l[:200] + "..."
		}
		out = append(out, strings.TrimRight(l, "\r"))
	}
	return out
}

// blankNumbers replaces numbers with N, so messages that quote the input
// ("index out of range [7] with length 3") key the same.
func blankNumbers(s string) string { return reNumber.ReplaceAllString(s, "N") }
