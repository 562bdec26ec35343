package patchat

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cucumber/godog"
)

// Steps of fuzz cases exported as scenarios (chatspec fuzz --export-feature):
// raw bytes per connection, then the check of the oracle that fired
// ("everything ROLE received is text", "the server still serves others").
func registerRawCase(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) sends these raw lines:$`, w.sendsRawLines)
	sc.Step(`^(\w+) finishes sending$`, w.finishesSending)
}

// sendsRawLines connects the role (past the greeting) and sends the
// DocString's lines, each a Go-quoted string, so that any byte (a missing
// newline, NUL, invalid UTF-8) is written exactly.
func (w *world) sendsRawLines(role string, doc *godog.DocString) error {
	data, err := unquoteLines(doc.Content)
	if err != nil {
		return fmt.Errorf("chatspec defect: bad raw line in feature: %w", err)
	}
	a := w.who(role)
	if err := w.connect(a); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), w.timeout())
	defer cancel()
	return a.sess.SendRaw(ctx, data)
}

// unquoteLines joins the Go-quoted lines of doc; blank lines are skipped.
func unquoteLines(doc string) ([]byte, error) {
	var out []byte
	for _, line := range strings.Split(doc, "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		s, err := strconv.Unquote(line)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", line, err)
		}
		out = append(out, s...)
	}
	return out, nil
}

// finishesSending half-closes the role's connection, as the fuzzer does at
// the end of a case: the server sees the end of the stream.
func (w *world) finishesSending(role string) error {
	a := w.who(role)
	if err := needSession(a); err != nil {
		return err
	}
	_ = a.sess.CloseWrite()
	return nil
}
