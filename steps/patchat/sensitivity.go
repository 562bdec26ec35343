package patchat

import "github.com/cucumber/godog"

// controlOnly is valid UTF-8 (an "é" too) carrying BEL, ESC, NUL and SOH:
// a server that drops lines for invalid UTF-8 must still filter these.
const controlOnly = " caf\u00e9 \x07bel \x1b[31mesc \x00nul \x01soh end"

// invalidOnly is invalid UTF-8 (stray bytes and a cut sequence) without a
// single control byte.
const invalidOnly = " caf\u00e9 \xff\xfe bad \xc3 cut end"

// Steps that keep apart the kinds of forbidden bytes a server may treat
// differently (issue 11).
func registerSensitivity(sc *godog.ScenarioContext, w *world) {
	sc.Step(`^(\w+) says "([^"]*)" with BEL, ESC, NUL and 0x01 in otherwise valid UTF-8 in `+roomRef+`$`,
		func(role, label, room string) error { return w.saysWith(role, label, room, controlOnly) })
	sc.Step(`^(\w+) says "([^"]*)" with invalid UTF-8 and no control bytes in `+roomRef+`$`,
		func(role, label, room string) error { return w.saysWith(role, label, room, invalidOnly) })
}
