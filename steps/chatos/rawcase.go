package chatos

import (
	"errors"
	"fmt"
	"net"

	client "github.com/chatspec/chatspec/client/chatos"
	"github.com/cucumber/godog"
)

// Steps of fuzz cases exported as scenarios (chatspec fuzz --export-feature):
// raw bytes per connection, then the check of the oracle that fired. The
// bytes themselves go through "ROLE sends these bytes:" (robustness.go).
func registerRawCase(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) finishes sending$`, w.finishesSending)
	sc.Step(`^(\w+) received only frames that decode$`, w.receivedOnlyFrames)
}

// finishesSending half-closes the role's connection, as the fuzzer does at
// the end of a case: the server sees the end of the stream.
func (w *world) finishesSending(role string) error {
	a := w.who(role)
	if a.main == nil {
		return fmt.Errorf("%s has no connection to finish", role)
	}
	if tc, ok := a.main.Conn().(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	return nil
}

// receivedOnlyFrames reads what the server sends the role until it closes
// the connection or stays quiet, and fails on bytes that do not decode
// strictly (COP-3.1-1).
func (w *world) receivedOnlyFrames(role string) error {
	a := w.who(role)
	if a.main == nil {
		return fmt.Errorf("%s has no connection", role)
	}
	err := a.main.ExpectClosed(w.Env.Quiet)
	if errors.Is(err, client.ErrBadFrame) || errors.Is(a.main.Err(), client.ErrBadFrame) {
		return fmt.Errorf("%s received bytes that do not decode: %w", role, a.main.Err())
	}
	return nil
}
