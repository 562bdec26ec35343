package load

import (
	"math/rand/v2"
	"testing"
	"time"

	wire "github.com/chatspec/chatspec/wire/chatos"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rows lists each violation as "kind req receiver", once per distinct row.
func rows(res Result) map[string]int {
	out := map[string]int{}
	for _, v := range res.Check.Violations {
		out[string(v.Kind)+" "+v.Req]++
	}
	return out
}

func chatosRun(t *testing.T, route func(*miniChatOS, *miniUser, wire.Packet) []out) Result {
	return chatosRunOn(t, &miniChatOS{route: route})
}

func chatosRunOn(t *testing.T, s *miniChatOS) Result {
	return run(t, Config{Protocol: ChatOS, Addr: serve(t, s.serve), Clients: 6, Duration: time.Second, Rate: 20, Seed: 7})
}

// TestMiniServersWithoutTheirBugAreClean: the test servers themselves are
// judged clean, so every row below comes from its bug.
func TestMiniServersWithoutTheirBugAreClean(t *testing.T) {
	t.Parallel()
	res := chatosRun(t, fair)
	assert.Empty(t, rows(res))
	assert.Greater(t, res.Check.Judged, 100)
	s := newMiniPatChat(0)
	res = run(t, Config{Protocol: PatChat, Addr: serve(t, s.serve), Clients: 6, Duration: 1500 * time.Millisecond,
		Rate: 20, Seed: 7, Dialect: referenceDialect(t)})
	assert.Empty(t, rows(res))
	assert.Greater(t, res.Check.Judged, 50)
}

// TestPublicMessagesTwiceToOneReceiver: every public message reaches the
// first user twice: one duplicate row per public message of the others.
func TestPublicMessagesTwiceToOneReceiver(t *testing.T) {
	t.Parallel()
	res := chatosRun(t, func(s *miniChatOS, from *miniUser, p wire.Packet) []out {
		o := fair(s, from, p)
		if _, public := p.(wire.PublicMessage); public && from != s.users[0] {
			o = append(o, out{s.users[0], wire.PublicMessage{From: from.nick, Text: p.(wire.PublicMessage).Text}})
		}
		return o
	})
	got := rows(res)
	require.Equal(t, []string{"duplicate COP-H-1"}, keys(got))
	assert.Equal(t, res.Duplicated, got["duplicate COP-H-1"])
	v := res.Check.Violations[0]
	for _, w := range res.Check.Violations {
		assert.Equal(t, v.Receiver, w.Receiver, "one receiver gets the copies")
	}
	assert.Equal(t, "it had already been delivered to this connection", v.Why)
	assert.Len(t, v.Excerpts, 3, "the send and both copies")
}

// TestTwoMessagesOfOneSenderSwapped: each sender's messages are held in
// pairs and the second goes first: order rows on the SHOULD COP-H-2.
func TestTwoMessagesOfOneSenderSwapped(t *testing.T) {
	t.Parallel()
	held := map[*miniUser]wire.Packet{}
	res := chatosRun(t, func(s *miniChatOS, from *miniUser, p wire.Packet) []out {
		if _, public := p.(wire.PublicMessage); !public {
			return fair(s, from, p)
		}
		first, ok := held[from]
		if !ok {
			held[from] = p
			return nil
		}
		delete(held, from)
		return append(fair(s, from, p), fair(s, from, first)...)
	})
	got := rows(res)
	assert.Greater(t, got["order COP-H-2"], 10)
	// A sender whose last public message is still held when the run ends
	// lost it for its five receivers: true, and reported.
	assert.LessOrEqual(t, got["lost COP-2.5-1"], 6*5)
	delete(got, "lost COP-2.5-1")
	assert.Equal(t, []string{"order COP-H-2"}, keys(got))
	assert.Contains(t, res.Check.Violations[0].Why, "its sender wrote it before")
}

// TestOneInTwentyPrivateMessagesAlsoToAThirdClient: a leak row on COP-2.4-1
// for every private message copied to someone else.
func TestOneInTwentyPrivateMessagesAlsoToAThirdClient(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	n := 0
	res := chatosRun(t, func(s *miniChatOS, from *miniUser, p wire.Packet) []out {
		o := fair(s, from, p)
		m, private := p.(wire.PrivateMessage)
		if n++; !private || n%20 != 0 {
			return o
		}
		for {
			if u := s.users[rng.IntN(len(s.users))]; u != from && u.nick != m.To {
				return append(o, out{u, wire.PrivateMessage{From: from.nick, To: m.To, Text: m.Text}})
			}
		}
	})
	got := rows(res)
	require.Equal(t, []string{"leak COP-2.4-1"}, keys(got))
	assert.Contains(t, res.Check.Violations[0].Why, "the message was for ")
}

// TestRoomMessagesForOneSecondAfterALeave: leak rows on PAT-6.4-1, each
// naming the leave.
func TestRoomMessagesForOneSecondAfterALeave(t *testing.T) {
	t.Parallel()
	s := newMiniPatChat(time.Second)
	res := run(t, Config{Protocol: PatChat, Addr: serve(t, s.serve), Clients: 6, Duration: 2 * time.Second,
		Rate: 20, Seed: 7, Dialect: referenceDialect(t)})
	got := rows(res)
	require.Equal(t, []string{"leak PAT-6.4-1"}, keys(got))
	assert.Contains(t, res.Check.Violations[0].Why, "the receiver had left room")
}

// TestOneInFiveBridgedLinesAlsoToAnotherPrivateConnection: the server
// relays every fifth line written into a private connection to the half of
// another private connection too: a leak on COP-3.5-6 for each, naming
// both private connections; the partner still gets every line.
func TestOneInFiveBridgedLinesAlsoToAnotherPrivateConnection(t *testing.T) {
	clean := chatosRunOn(t, &miniChatOS{route: fair})
	joined, lines := bridgeCounts(clean.History)
	require.GreaterOrEqual(t, joined, 4, "the run makes private connections")
	require.Greater(t, lines, 10)
	assert.Empty(t, rows(clean))

	res := chatosRunOn(t, &miniChatOS{route: fair, relay: func(s *miniChatOS, from *miniHalf, n int) []*miniHalf {
		to := []*miniHalf{from.partner}
		if n%5 != 0 {
			return to
		}
		for _, x := range s.joined {
			if x.id != from.id {
				return append(to, x)
			}
		}
		return to
	}})
	got := rows(res)
	require.Equal(t, []string{"leak COP-3.5-6"}, keys(got))
	assert.Greater(t, got["leak COP-3.5-6"], 1)
	v := res.Check.Violations[0]
	assert.Regexp(t, `^the bytes were written into "l[a-z]+\d+"'s half of private connection \d+ \(with "l[a-z]+\d+"\); `+
		`the receiver was "l[a-z]+\d+"'s half of private connection \d+ \(with "l[a-z]+\d+"\) from `, v.Why)
	assert.Contains(t, v.Receiver, "/bridge")
}

func keys(m map[string]int) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
