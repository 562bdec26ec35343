package fuzz

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOutputSignatureReadsEachKindOfTrace(t *testing.T) {
	for name, tc := range map[string]struct{ out, key, first string }{
		"go panic": {"listening\npanic: runtime error: index out of range [7] with length 3\n\ngoroutine 18 [running]:\n" +
			"main.(*conn).readString(0xc000010000)\n\t/src/srv/conn.go:41 +0x1d\nmain.(*conn).serve(0xc000010000)\n\t/src/srv/conn.go:20 +0x5\n" +
			"created by main.main in goroutine 1\n\t/src/srv/main.go:12 +0x9\nexit status 2\n",
			"go panic: runtime error: index out of range [N] with length N in main.(*conn).readString < main.(*conn).serve",
			"panic: runtime error: index out of range [7] with length 3"},
		"go fatal error": {"fatal error: concurrent map writes\n\ngoroutine 5 [running]:\nmain.add(...)\n\t/x.go:3\n",
			"go fatal error: concurrent map writes in main.add", "fatal error: concurrent map writes"},
		"java": {"INFO started\nException in thread \"pool-1\" java.lang.NullPointerException: Cannot invoke \"String.length()\"\n" +
			"\tat chat.Server.login(Server.java:120)\n\tat chat.Server.handle(Server.java:80)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)\n",
			"java java.lang.NullPointerException at chat.Server.login(Server.java:120) < chat.Server.handle(Server.java:80)",
			"Exception in thread \"pool-1\" java.lang.NullPointerException: Cannot invoke \"String.length()\""},
		"python": {"Traceback (most recent call last):\n  File \"/app/srv.py\", line 10, in run\n    self.loop()\n" +
			"  File \"/app/proto.py\", line 33, in parse\n    name = parts[1]\nIndexError: list index out of range\n",
			"python IndexError at proto.py:33 in parse", "IndexError: list index out of range"},
		"asan": {"==4242==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffd\nWRITE of size 8\n    #0 0x55 in copy_nick /src/nick.c:9:3\n",
			"AddressSanitizer stack-buffer-overflow in copy_nick nick.c:9:3", "==4242==ERROR: AddressSanitizer: stack-buffer-overflow on address 0x7ffd"},
		"ubsan": {"srv.c:77:12: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'\n",
			"UndefinedBehaviorSanitizer at srv.c:77:12: signed integer overflow: N + N cannot be represented in type 'int'",
			"srv.c:77:12: runtime error: signed integer overflow: 2147483647 + 1 cannot be represented in type 'int'"},
		"signal": {"accepted client\nSegmentation fault (core dumped)\n", "signal SIGSEGV", "Segmentation fault (core dumped)"},
	} {
		sig, ok := OutputSignature(tc.out)
		if assert.True(t, ok, name) {
			assert.Equal(t, tc.key, sig.Key, name)
			assert.Equal(t, tc.first, sig.Trace[0], name)
		}
	}
}

// The last trace wins: a server that logged a handled error and then died
// is signed by what killed it.
func TestOutputSignatureTakesTheLastTrace(t *testing.T) {
	out := "Traceback (most recent call last):\n  File \"a.py\", line 1, in f\nValueError: handled\n" +
		"Traceback (most recent call last):\n  File \"b.py\", line 2, in g\nKeyError: 'x'\n"
	sig, ok := OutputSignature(out)
	assert.True(t, ok)
	assert.Equal(t, "python KeyError at b.py:2 in g", sig.Key)
}

func TestOutputSignatureWithoutTrace(t *testing.T) {
	_, ok := OutputSignature("listening on 127.0.0.1:9000\nclient connected\nclient left\n")
	assert.False(t, ok)
}

func TestLogSince(t *testing.T) {
	assert.Equal(t, "new\n", LogSince("old\n", "old\nnew\n"))
	before := strings.Repeat("a", 300) + "old line\n"
	after := "[... earlier output dropped ...]\n" + strings.Repeat("a", 50) + "old line\nnew\n"
	assert.Equal(t, "new\n", LogSince(before, after), "the buffer dropped its start")
	assert.Equal(t, "all\n", LogSince("gone", "all\n"))
}

// Without server output the signature names the oracle and the packet.
func TestSignWithoutOutputNamesThePacket(t *testing.T) {
	o := &Oracles{Protocol: &locating{}}
	c := Case{Protocol: "toy"}
	v := o.Sign(&Verdict{Kind: KindCrash, Oracle: OracleProbe, Title: "crash: health probe refused"}, "", &c)
	assert.Equal(t, "probe after LOGIN(0) nickname negative-length", v.Signature.Key)
	assert.Equal(t, "crash: health probe refused [probe after LOGIN(0) nickname negative-length]", v.Title)
	assert.Equal(t, v.Title, o.Sign(v, "", &c).Title, "signing twice changes nothing")
	v = o.Sign(&Verdict{Kind: KindExit, Oracle: OracleExit, Title: "exit", Detail: "server ended by itself: signal SIGSEGV (segmentation fault)"}, "", &c)
	assert.Equal(t, "signal SIGSEGV after LOGIN(0) nickname negative-length", v.Signature.Key)
}

type locating struct{ toy }

var _ Locator = (*locating)(nil)

func (locating) Locate(Case) string { return "LOGIN(0) nickname negative-length" }

// A death the server's output explains is one bug whether the probe was
// refused before the process was reaped (crash) or the exit was seen: a
// loaded machine decides which, so replay, the minimiser and the run's
// finding keys must not tell them apart. Without output, or for another
// kind, kind and oracle still count.
func TestADeathIsOneBugHoweverItWasNoticed(t *testing.T) {
	sig := Signature{Key: "go panic: index out of range in main.f", Trace: []string{"panic: index out of range", "main.f()"}}
	exit := &Verdict{Kind: KindExit, Oracle: OracleExit, Title: "exit: exit status 2", Signature: sig}
	refused := &Verdict{Kind: KindCrash, Oracle: OracleProbe, Title: "crash: health probe refused", Signature: sig}
	assert.True(t, exit.Same(refused))
	assert.True(t, refused.Matches(exit))
	assert.True(t, Reproduces(Finding{Kind: KindExit, Oracle: OracleExit, Signature: sig}, refused))
	assert.Equal(t, Finding{Kind: KindExit, Oracle: OracleExit, Signature: sig}.Identity(),
		Finding{Kind: KindCrash, Oracle: OracleProbe, Signature: sig}.Identity())

	other := &Verdict{Kind: KindCrash, Oracle: OracleProbe, Signature: Signature{Key: "go panic: nil map in main.g", Trace: []string{"panic: nil map"}}}
	assert.False(t, exit.Same(other), "another trace is another bug")
	hang := &Verdict{Kind: KindHang, Oracle: OracleProbe, Signature: sig}
	assert.False(t, exit.Same(hang), "a hang is not a death")
	bare := Signature{Key: sig.Key}
	assert.False(t, (&Verdict{Kind: KindExit, Oracle: OracleExit, Signature: bare}).Same(
		&Verdict{Kind: KindCrash, Oracle: OracleProbe, Signature: bare}), "without output, kind and oracle decide")
}
