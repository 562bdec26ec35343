package chatos

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each fault test runs one scenario without and with its fault and shows
// the behaviour differs in exactly the way the fault describes.

var anyPacket = is[wire.Packet](nil)

func TestFaultDuplicateNick(t *testing.T) {
	run := func(f Faults) wire.Packet {
		ts := start(t, withFaults(f))
		ts.login(t, "alice")
		c := ts.dial(t, "again")
		c.send(wire.Login{Nick: "alice"})
		return c.expect("answer", anyPacket)
	}
	assert.Equal(t, wire.LoginRefused{Nick: "alice"}, run(Faults{}))
	assert.Equal(t, wire.LoginAccepted{Nick: "alice"}, run(Faults{DuplicateNick: true}))
}

func TestFaultRefusalWrongNick(t *testing.T) {
	run := func(f Faults) wire.Packet {
		c := start(t, withFaults(f)).dial(t, "c")
		c.send(wire.Login{Nick: "bad nick"})
		return c.expect("answer", anyPacket)
	}
	assert.Equal(t, wire.LoginRefused{Nick: "bad nick"}, run(Faults{}))
	assert.Equal(t, wire.LoginRefused{Nick: ""}, run(Faults{RefusalWrongNick: true}))
}

func TestFaultSenderFromPacket(t *testing.T) {
	run := func(f Faults) wire.Packet {
		ts := start(t, withFaults(f))
		bob, mallory := ts.login(t, "bob"), ts.login(t, "mallory")
		mallory.send(wire.PublicMessage{From: "alice", Text: "forged"})
		return bob.expect("public", is[wire.PublicMessage](nil))
	}
	assert.Equal(t, wire.PublicMessage{From: "mallory", Text: "forged"}, run(Faults{}))
	assert.Equal(t, wire.PublicMessage{From: "alice", Text: "forged"}, run(Faults{SenderFromPacket: true}))
}

func TestFaultNoUnknownUser(t *testing.T) {
	run := func(f Faults) bool {
		ts := start(t, withFaults(f))
		alice := ts.login(t, "alice")
		alice.send(wire.PrivateMessage{To: "ghost", Text: "hello?"})
		got6 := false
		alice.send(wire.PublicMessage{Text: "mark"})
		alice.expect("marker", func(p wire.Packet) bool {
			got6 = got6 || p == wire.Packet(wire.UnknownUser{Name: "ghost"})
			return p == wire.Packet(wire.PublicMessage{From: "alice", Text: "mark"})
		})
		return got6
	}
	assert.True(t, run(Faults{}))
	assert.False(t, run(Faults{NoUnknownUser: true}))
}

func TestFaultPrivateToAll(t *testing.T) {
	run := func(f Faults) bool {
		ts := start(t, withFaults(f))
		alice, bob, carol := ts.login(t, "alice"), ts.login(t, "bob"), ts.login(t, "carol")
		secret := wire.PrivateMessage{From: "alice", To: "bob", Text: "secret"}
		alice.send(secret)
		bob.expect("secret", equal(secret))
		alice.send(wire.PublicMessage{Text: "mark"})
		leaked := false
		carol.expect("marker", func(p wire.Packet) bool {
			leaked = leaked || p == wire.Packet(secret)
			return p == wire.Packet(wire.PublicMessage{From: "alice", Text: "mark"})
		})
		return leaked
	}
	assert.False(t, run(Faults{}))
	assert.True(t, run(Faults{PrivateToAll: true}))
}

func TestFaultOneReadOneFrame(t *testing.T) {
	run := func(f Faults) bool {
		ts := start(t, withFaults(f))
		bob := ts.login(t, "bob")
		c := ts.dial(t, "fast")
		c.write(append(wire.Append(nil, wire.Login{Nick: "fast"}), wire.Append(nil, wire.PublicMessage{Text: "one"})...))
		c.expect("login", equal(wire.LoginAccepted{Nick: "fast"}))
		c.send(wire.PublicMessage{Text: "two"})
		delivered := false
		bob.expect("second message", func(p wire.Packet) bool {
			delivered = delivered || p == wire.Packet(wire.PublicMessage{From: "fast", Text: "one"})
			return p == wire.Packet(wire.PublicMessage{From: "fast", Text: "two"})
		})
		return delivered
	}
	assert.True(t, run(Faults{}))
	assert.False(t, run(Faults{OneReadOneFrame: true}), "the coalesced message was dropped")
}

func TestFaultEarlyEstablished(t *testing.T) {
	ts := start(t, withFaults(Faults{EarlyEstablished: true}))
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	id := negotiate(t, alice, bob)
	ts.present(t, "lonely", id).expect("11 before the peer presented", equal(wire.Established{}))
	// Without the fault the lone half stays quiet: TestBridgeEstablishedOnlyWhenBoth.
}

func TestFaultSequentialIDs(t *testing.T) {
	run := func(f Faults) [2]int64 {
		ts := start(t, withFaults(f))
		alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
		return [2]int64{negotiate(t, alice, bob), negotiate(t, alice, bob)}
	}
	assert.NotEqual(t, [2]int64{1, 2}, run(Faults{}))
	assert.Equal(t, [2]int64{1, 2}, run(Faults{SequentialIDs: true}))
}

func TestFaultBridgeAltersBytes(t *testing.T) {
	run := func(f Faults) string {
		x, y := bridged(t, start(t, withFaults(f)), "alice", "bob")
		x.write([]byte("hello, Bob 42"))
		return string(y.readRaw(13))
	}
	assert.Equal(t, "hello, Bob 42", run(Faults{}))
	assert.Equal(t, "HELLO, BOB 42", run(Faults{BridgeAltersBytes: true}))
}

func TestFaultLongMessageDelivered(t *testing.T) {
	long := strings.Repeat("é", 513)
	run := func(f Faults) bool {
		ts := start(t, withFaults(f))
		alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
		alice.send(wire.PublicMessage{Text: long})
		alice.send(wire.PublicMessage{Text: "mark"})
		delivered := false
		bob.expect("marker", func(p wire.Packet) bool {
			delivered = delivered || p == wire.Packet(wire.PublicMessage{From: "alice", Text: long})
			return p == wire.Packet(wire.PublicMessage{From: "alice", Text: "mark"})
		})
		return delivered
	}
	assert.False(t, run(Faults{}))
	assert.True(t, run(Faults{LongMessageDelivered: true}))
}

func TestFaultNoCloseBeforeLogin(t *testing.T) {
	ts := start(t, withFaults(Faults{NoCloseBeforeLogin: true}))
	c := ts.dial(t, "early")
	c.send(wire.PublicMessage{From: "early", Text: "too soon"})
	c.send(wire.Login{Nick: "early"})
	c.expect("still open: login accepted", equal(wire.LoginAccepted{Nick: "early"}))
	// Without the fault the connection is closed: TestFramingPacketBeforeLogin.
}

func TestFaultReusableIDs(t *testing.T) {
	ts := start(t, withFaults(Faults{ReusableIDs: true}))
	alice, bob := ts.login(t, "alice"), ts.login(t, "bob")
	id := negotiate(t, alice, bob)
	x, y := ts.present(t, "x", id), ts.present(t, "y", id)
	x.expect("established", equal(wire.Established{}))
	y.expect("established", equal(wire.Established{}))
	third, fourth := ts.present(t, "third", id), ts.present(t, "fourth", id)
	third.expect("established on a spent id", equal(wire.Established{}))
	fourth.expect("established on a spent id", equal(wire.Established{}))
	// Without the fault a third presenter is closed: TestBridgeThirdConnectionClosed.
}

// The crash fault kills the whole process, so it runs in a child process.
func TestFaultPanicOnEmptyRecipient(t *testing.T) {
	if os.Getenv("CHATOS_CRASH_CHILD") == "1" {
		ts := start(t, withFaults(Faults{PanicOnEmptyRecipient: true}))
		alice := ts.login(t, "alice")
		alice.send(wire.PrivateMessage{To: "", Text: "to nobody"})
		alice.expect("the process to die first", func(wire.Packet) bool { return false })
		return
	}
	alice := start(t).login(t, "alice")
	alice.send(wire.PrivateMessage{To: "", Text: "to nobody"})
	alice.expect("6 without the fault", equal(wire.UnknownUser{Name: ""}))

	ctx, cancel := context.WithTimeout(context.Background(), 6*waitFor)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestFaultPanicOnEmptyRecipient$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CHATOS_CRASH_CHILD=1")
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the child process survived")
	assert.Contains(t, string(out), "index out of range")
	assert.Contains(t, string(out), "stripMention")
}
