package chatos

import (
	"strings"
	"testing"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// COP-3.4-1, COP-2.2-1: a free valid nickname is accepted with 1 carrying it.
func TestLoginAccepted(t *testing.T) {
	ts := start(t)
	ts.login(t, "alice")
	ts.login(t, strings.Repeat("b", 32))
}

// COP-2.1-1, COP-3.4-2: a taken nickname gets 2 carrying it; the holder is unaffected.
func TestLoginDuplicateRefused(t *testing.T) {
	ts := start(t)
	alice := ts.login(t, "alice")
	other := ts.dial(t, "other")
	other.send(wire.Login{Nick: "alice"})
	other.expect("refusal", equal(wire.LoginRefused{Nick: "alice"}))
	bob := ts.login(t, "bob")
	bob.send(wire.PrivateMessage{From: "bob", To: "alice", Text: "still there?"})
	alice.expect("private message", equal(wire.PrivateMessage{From: "bob", To: "alice", Text: "still there?"}))
}

// COP-2.1-2, COP-2.1-3: too long, empty and bad characters are refused with
// 2; the connection stays open and may retry.
func TestLoginInvalidRefused(t *testing.T) {
	ts := start(t)
	c := ts.dial(t, "c")
	for _, nick := range []string{strings.Repeat("a", 33), "", "has space", "ctl\x01", "tab\t", "semi;colon"} {
		c.send(wire.Login{Nick: nick})
		c.expect("refusal of "+nick, equal(wire.LoginRefused{Nick: nick}))
	}
	c.send(wire.Login{Nick: "fine_name-1"})
	c.expect("accepted after refusals", equal(wire.LoginAccepted{Nick: "fine_name-1"}))
}

// COP-2.1-2: a 64 KiB nickname never succeeds; beyond MaxString the
// connection is closed, below it the nickname is refused with 2.
func TestLoginHugeNickname(t *testing.T) {
	huge := strings.Repeat("n", 64<<10)
	ts := start(t)
	c := ts.dial(t, "huge")
	c.send(wire.Login{Nick: huge})
	c.expectClosed()

	roomy := start(t, func(cfg *Config) { cfg.MaxString = 128 << 10 })
	c = roomy.dial(t, "huge")
	c.send(wire.Login{Nick: huge})
	assert.False(t, c.closedOrRefused(huge), "refused with 2 when MaxString allows reading it")
}

// Configurable limit (A7).
func TestLoginMaxNickConfigurable(t *testing.T) {
	ts := start(t, func(cfg *Config) { cfg.MaxNick = 4; cfg.NickChars = "a-z" })
	ts.login(t, "abcd")
	c := ts.dial(t, "c")
	c.send(wire.Login{Nick: "abcde"})
	c.expect("refusal", equal(wire.LoginRefused{Nick: "abcde"}))
	c.send(wire.Login{Nick: "AB"})
	c.expect("refusal", equal(wire.LoginRefused{Nick: "AB"}))
}

// COP-3.4-3, COP-6.1-1: a nickname is free again once its holder left.
func TestLoginReleasedAfterDisconnect(t *testing.T) {
	ts := start(t)
	first := ts.login(t, "alice")
	require.NoError(t, first.nc.Close())
	waitLogin(t, ts, "alice")
}

// A second login on a logged-in connection is refused; the first name stays.
func TestLoginSecondLoginRefused(t *testing.T) {
	ts := start(t)
	alice := ts.login(t, "alice")
	alice.send(wire.Login{Nick: "alias"})
	alice.expect("refusal", equal(wire.LoginRefused{Nick: "alias"}))
	ts.login(t, "alias")
	alice.marker("still alice", alice)
}
