package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryProtocolIsComplete: each registry entry fills every field, so a
// subcommand never meets a protocol it cannot serve, run or fuzz.
func TestEveryProtocolIsComplete(t *testing.T) {
	require.Len(t, protocols, len(protocolOrder))
	for _, name := range protocolOrder {
		p, ok := protocols[name]
		require.True(t, ok, name)
		assert.Equal(t, name, p.name)
		assert.True(t, p.features != nil && p.suite != nil && p.prepare != nil && p.serverFlags != nil &&
			p.faultNames != nil && p.runArgs != nil && p.fuzzer != nil && p.defaultAddr != "", name)
		_, err := p.reference(p.runArgs(t.TempDir()), "", nil)
		assert.NoError(t, err, "%s: the embedded run's reference", name)
		_, err = p.fuzzer("")
		assert.NoError(t, err, "%s: the default fuzzer", name)
	}
}

// TestFaultsCheckedTheSameEverywhere: run, serve and fuzz build the reference
// through one path, so a bad fault switch gets one answer from all three.
func TestFaultsCheckedTheSameEverywhere(t *testing.T) {
	for _, name := range protocolOrder {
		var msgs []string
		for _, cmd := range []string{"run", "serve", "fuzz"} {
			code, _, errs := chatspecCLI(t, cmd, name, "--faults", "no-such-fault")
			assert.Equal(t, 2, code, "%s %s", cmd, name)
			_, msg, _ := strings.Cut(errs, ": --faults: ")
			assert.NotEmpty(t, msg, "%s %s names --faults: %s", cmd, name, errs)
			msgs = append(msgs, msg)
		}
		assert.Equal(t, msgs[0], msgs[1], name)
		assert.Equal(t, msgs[0], msgs[2], name)
	}
}

// TestFuzzTakesBundledDialects: fuzz and replay find dialects as run does,
// by bundled name or by file, and name --dialect when neither fits.
func TestFuzzTakesBundledDialects(t *testing.T) {
	for _, d := range []string{"", "menu", "reference", "../../dialects/menu.yaml"} {
		_, err := (&serverFlags{protocol: "patchat", dialect: d}).fuzzProtocol()
		assert.NoError(t, err, "dialect %q", d)
	}
	_, err := (&serverFlags{protocol: "patchat", dialect: "no-such-dialect"}).fuzzProtocol()
	assert.ErrorContains(t, err, "--dialect")
	code, _, errs := chatspecCLI(t, "fuzz", "chatos", "--dialect", "menu")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "--dialect applies only to patchat")
}
