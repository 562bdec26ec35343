package patchat

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lineActions are reference-style steps used by several tests.
func lineActions() map[string]string {
	return map[string]string{
		"greeting": `[{expect: 'HELLO[^\n]*\n', refuse: 'ERR [^\n]*\n'}]`,
		"register": `[{send: 'register {user} {password}'}, {expect: 'OK registered {user}\n', refuse: 'ERR [^\n]*\n'}]`,
		"login": `[{send: 'login {user} {password}'}, {expect: 'OK welcome {user}\n', refuse: 'ERR [^\n]*\n'},
			{expect: 'ROOM you are in (?P<room>[^\n]*)\n'}]`,
		"list_users": `[{send: 'l'}, {expect: 'USERS (?P<room>[^:\n]*): (?P<list>[^\n]*)\n', split: {var: list, sep: ' '}}]`,
		"join":       `[{send: 'j {room}'}, {expect: 'OK joined {room|re}\n', refuse: 'ERR [^\n]*\n'}]`,
		"say":        `[{send: 'm {text}'}, {expect: 'OK sent\n', refuse: 'ERR [^\n]*\n'}]`,
	}
}

// menuActions are menu-style steps: prompts, no newlines, rooms by number.
func menuActions() map[string]string {
	pick := func(cmd, done string) string {
		return `[{send: '` + cmd + `'},
			{expect: '(?:^|  )(?P<num>\d+)\) {room|re}  ', refuse: '(?P<picking>pick: )|No\.  > ',
			 on_refuse: [{send: '0', when: picking}, {expect: 'No\.  > ', when: picking}]},
			{expect: 'pick: '}, {send: '{num}'},
			{expect: '` + done + ` {room|re}\.  > ', refuse: 'No\.  > '}]`
	}
	return map[string]string{
		"greeting": `[{expect: 'Welcome[^>]*> '}]`,
		"login": `[{send: '1'}, {expect: 'username: '}, {send: '{user}'}, {expect: 'password: '}, {send: '{password}'},
			{expect: 'Logged in\. You are now in the (?P<room>[^\n]*?)\.  > ', refuse: 'Login failed\.  > '}]`,
		"join": pick("/join", "Joined"),
		"say":  `[{send: '{text}'}, {expect: '^> '}]`,
	}
}

func TestUnterminatedReplies(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", menuMessages, menuActions()), Options{})
	f.serve(func(f *fake) { f.write("Welcome to Pat Chat!  [1] log in  [2] new user  > ") })
	res, err := s.Do(context.Background(), ActionGreeting, nil)
	require.NoError(t, err)
	assert.Equal(t, "Welcome to Pat Chat!  [1] log in  [2] new user  > ", res.Text)
	assert.Empty(t, s.Unconsumed())
}

func TestSeveralRepliesInOneWrite(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", lineMessages, lineActions()), Options{})
	f.serve(func(f *fake) {
		f.write("HELLO x\nOK registered bob\n") // greeting and the next reply together
		if f.line() == "register bob pw" && f.line() == "login bob pw" {
			f.write("OK welcome bob\nROOM you are in Main Room\nUSERS Main Room: al bob\n")
		}
		if f.line() == "l" {
			f.write("") // the reply is already there
		}
	})
	ctx := context.Background()
	_, err := s.Do(ctx, ActionGreeting, nil)
	require.NoError(t, err)
	res, err := s.Do(ctx, ActionRegister, Vars{VarUser: "bob", VarPassword: "pw"})
	require.NoError(t, err)
	assert.False(t, res.Refused)
	res, err = s.Do(ctx, ActionLogin, Vars{VarUser: "bob", VarPassword: "pw"})
	require.NoError(t, err)
	assert.Equal(t, "Main Room", res.Vars[VarRoom])
	assert.Equal(t, "OK welcome bob\nROOM you are in Main Room\n", res.Text)
	res, err = s.Do(ctx, ActionListUsers, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"al", "bob"}, res.Items)
}

func TestReplySplitByteByByte(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", lineMessages, lineActions()), Options{})
	f.serve(func(f *fake) {
		if f.line() == "login ann secret" {
			f.write(bytewise("OK welcome ann\nROOM you are in Main Room\n")...)
		}
	})
	res, err := s.Do(context.Background(), ActionLogin, Vars{VarUser: "ann", VarPassword: "secret"})
	require.NoError(t, err)
	assert.Equal(t, "Main Room", res.Vars[VarRoom])
}

func TestPromptDrivenLogin(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", menuMessages, menuActions()), Options{})
	var got []string
	done := f.serve(func(f *fake) {
		f.write("Welcome to Pat Chat!  [1] log in  [2] new user  > ")
		got = append(got, f.line())
		f.write("user", "name: ")
		got = append(got, f.line())
		f.write("password: ")
		got = append(got, f.line())
		f.write("Lo", "gged in. You are now in the Main Room.  > ")
	})
	ctx := context.Background()
	_, err := s.Do(ctx, ActionGreeting, nil)
	require.NoError(t, err)
	res, err := s.Do(ctx, ActionLogin, Vars{VarUser: "ann", VarPassword: "pw"})
	require.NoError(t, err)
	<-done
	assert.Equal(t, []string{"1", "ann", "pw"}, got)
	assert.Equal(t, "Main Room", res.Vars[VarRoom])
}

func TestRoomNumberCaptureWithMetacharacters(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", menuMessages, menuActions()), Options{})
	var picked string
	f.serve(func(f *fake) {
		if f.line() != "/join" {
			return
		}
		// "ab (x)+" and "a.b (x)" would match an unescaped pattern first.
		f.write("1) Main Room  2) aXb (x)+  3) a.b (x)  ", "4) a.b (x)+  5) zz  pick: ")
		picked = f.line()
		f.write("Joined a.b (x)+.  > ")
	})
	res, err := s.Do(context.Background(), ActionJoin, Vars{VarRoom: "a.b (x)+"})
	require.NoError(t, err)
	assert.False(t, res.Refused)
	assert.Equal(t, "4", picked)
	assert.Equal(t, "4", res.Vars["num"])
	assert.Contains(t, res.Skipped, "3) a.b (x)", "the listing before the match is kept")
}

func TestRoomMessageInsideReplyIsQueued(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", menuMessages, menuActions()), Options{})
	f.serve(func(f *fake) {
		if f.line() == "/join" {
			f.write("1) Main Room  2) f", "(Main Room) <bob> hi  9) foo  pick: \n", "oo  pick: ")
			if f.line() == "2" {
				f.write("Joi", "(foo) <cat> a > b\n", "ned foo.  > ")
			}
		}
	})
	ctx := context.Background()
	res, err := s.Do(ctx, ActionJoin, Vars{VarRoom: "foo"})
	require.NoError(t, err)
	assert.Equal(t, "2", res.Vars["num"])
	want := []RoomMessage{
		{From: "bob", Text: "hi  9) foo  pick: ", Room: "Main Room", Raw: "(Main Room) <bob> hi  9) foo  pick: \n"},
		{From: "cat", Text: "a > b", Room: "foo", Raw: "(foo) <cat> a > b\n"},
	}
	assert.Equal(t, want, s.Messages())
	m, err := s.WaitMessage(ctx, func(m RoomMessage) bool { return m.From == "cat" })
	require.NoError(t, err)
	assert.Equal(t, want[1], m)
	m, err = s.WaitMessage(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, want[0], m, "the other message stayed queued")
}

func TestRefusalRunsOnRefuse(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", menuMessages, menuActions()), Options{})
	var answer string
	done := f.serve(func(f *fake) {
		if f.line() == "/join" {
			f.write("1) Main Room  2) foo  pick: ")
			answer = f.line()
			f.write("No.  > ")
		}
	})
	res, err := s.Do(context.Background(), ActionJoin, Vars{VarRoom: "fo"})
	require.NoError(t, err)
	<-done
	assert.True(t, res.Refused)
	assert.Equal(t, "0", answer)
	assert.Empty(t, s.Unconsumed(), "the recovery consumed the prompt")
}

func TestRefusalWithoutPickPromptSkipsRecovery(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", menuMessages, menuActions()), Options{})
	var next string
	done := f.serve(func(f *fake) {
		if f.line() == "/join" {
			f.write("No.  > ") // empty listing: no pick prompt, nothing to answer
			next = f.line()
		}
	})
	res, err := s.Do(context.Background(), ActionJoin, Vars{VarRoom: "foo"})
	require.NoError(t, err)
	assert.True(t, res.Refused)
	require.NoError(t, s.SendRaw(context.Background(), []byte("next\n")))
	<-done
	assert.Equal(t, "next", next, "on_refuse sent nothing: its steps are `when: picking`")
}

func TestRefusalEarliestWins(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", lineMessages, lineActions()), Options{})
	f.serve(func(f *fake) {
		if f.line() == "j foo" {
			f.write("ERR no room foo\nOK joined foo\n")
		}
	})
	res, err := s.Do(context.Background(), ActionJoin, Vars{VarRoom: "foo"})
	require.NoError(t, err)
	assert.True(t, res.Refused)
	assert.Equal(t, "ERR no room foo\n", res.Text)
	assert.Equal(t, "OK joined foo\n", s.Unconsumed())
}

func TestTimeoutListsAlternativesAndWhatArrived(t *testing.T) {
	acts := lineActions()
	acts["register"] = `[{expect: 'HELLO {user}\n', refuse: 'ERR [^\n]*\n'}]`
	s, f := session(t, mustDialect(t, "20ms", lineMessages, acts), Options{Timeout: 20 * time.Millisecond})
	f.serve(func(f *fake) { f.write("HELLO aXb\n[foo] bob: sync\n") })
	// Once the message is there, so is the text before it: no race with the deadline.
	_, err := s.WaitMessage(ctxLong(t), nil)
	require.NoError(t, err)
	_, err = s.Do(context.Background(), ActionRegister, Vars{VarUser: "a.b"})
	require.ErrorIs(t, err, ErrTimeout)
	var ee *ExpectError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "register", ee.Action)
	assert.Equal(t, 0, ee.Step)
	assert.Equal(t, []string{`HELLO a\.b\n`, `ERR [^\n]*\n`}, ee.Patterns)
	assert.Equal(t, "HELLO aXb\n", ee.Got)
	assert.Contains(t, err.Error(), `"HELLO aXb\n"`)
	assert.Contains(t, err.Error(), `"ERR [^\\n]*\\n"`)
}

func TestServerCloseGivesErrClosed(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", lineMessages, lineActions()), Options{})
	f.serve(func(f *fake) {
		f.line()
		f.write("OK regis")
		_ = f.conn.Close()
	})
	_, err := s.Do(context.Background(), ActionRegister, Vars{VarUser: "u", VarPassword: "p"})
	require.ErrorIs(t, err, ErrClosed)
	var ee *ExpectError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, "OK regis", ee.Got)
	require.NoError(t, s.WaitClosed(context.Background()))
}

func TestMatchBeforeCloseStillSucceeds(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", lineMessages, lineActions()), Options{})
	f.serve(func(f *fake) {
		f.write("HELLO there\n")
		_ = f.conn.Close()
	})
	require.NoError(t, s.WaitClosed(context.Background()))
	_, err := s.Do(context.Background(), ActionGreeting, nil)
	require.NoError(t, err)
}

func TestHostileServerFillsBuffer(t *testing.T) {
	const max = DefaultMaxBuffer
	s, f := session(t, mustDialect(t, "10s", lineMessages, lineActions()), Options{})
	sent := make(chan int, 1)
	f.serve(func(f *fake) {
		junk := []byte(strings.Repeat("z", 64<<10))
		total := 0
		for total < 10<<20 {
			n, err := f.conn.Write(junk)
			total += n
			if err != nil {
				break
			}
		}
		sent <- total
	})
	_, err := s.Do(context.Background(), ActionGreeting, nil)
	require.ErrorIs(t, err, ErrBufferFull)
	assert.LessOrEqual(t, len(s.Unconsumed()), max)
	require.NoError(t, s.Close())
	assert.LessOrEqual(t, <-sent, max, "the reader stopped at the cap: net.Pipe delivers only what is read")
}

func TestMessageLogIsCapped(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", lineMessages, lineActions()), Options{MaxLog: 1000})
	f.serve(func(f *fake) {
		for i := 0; i < 100; i++ {
			f.write("[r] bob: " + strings.Repeat("x", 50) + "\n")
		}
	})
	_, err := s.WaitMessage(context.Background(), func(RoomMessage) bool { return false })
	require.ErrorIs(t, err, ErrBufferFull)
	assert.Less(t, len(s.Messages()), 100)
}

func TestValueWithNewlineIsRefused(t *testing.T) {
	s, _ := session(t, mustDialect(t, "10s", lineMessages, lineActions()), Options{})
	_, err := s.Do(context.Background(), ActionSay, Vars{VarText: "hi\nexit"})
	require.ErrorIs(t, err, ErrValueHasNewline)
	_, err = s.Do(context.Background(), ActionSay, Vars{VarText: "hi\r"})
	require.ErrorIs(t, err, ErrValueHasNewline)
}

func TestMissingVarAndUnknownAction(t *testing.T) {
	s, _ := session(t, mustDialect(t, "10s", lineMessages, lineActions()), Options{})
	_, err := s.Do(context.Background(), ActionJoin, nil)
	require.ErrorIs(t, err, ErrMissingVar)
	_, err = s.Do(context.Background(), "dance", nil)
	require.ErrorIs(t, err, ErrUnknownAction)
}

func TestWaitMessageTimesOutAndCloses(t *testing.T) {
	s, f := session(t, mustDialect(t, "20ms", lineMessages, lineActions()), Options{})
	f.serve(func(f *fake) { f.write("[a] b: c\n[a] b: sync\n") })
	_, err := s.WaitMessage(ctxLong(t), func(m RoomMessage) bool { return m.Text == "sync" })
	require.NoError(t, err)
	_, err = s.WaitMessage(context.Background(), func(m RoomMessage) bool { return m.Text == "zzz" })
	require.ErrorIs(t, err, ErrTimeout)
	assert.Contains(t, err.Error(), `"[a] b: c\n"`)
	require.NoError(t, s.Close())
	_, err = s.WaitMessage(context.Background(), func(m RoomMessage) bool { return m.Text == "zzz" })
	require.ErrorIs(t, err, ErrClosed)
	_, err = s.Do(context.Background(), ActionGreeting, nil)
	require.True(t, errors.Is(err, ErrClosed), "after Close: %v", err)
}

func TestContextCancel(t *testing.T) {
	s, _ := session(t, mustDialect(t, "10s", lineMessages, lineActions()), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Do(ctx, ActionGreeting, nil)
	require.ErrorIs(t, err, context.Canceled)
}

// ctxLong is a context with a deadline that a passing test never reaches.
func ctxLong(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), long)
	t.Cleanup(cancel)
	return ctx
}
