package patchat

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pacedDialect sends two lines back to back, then expects OK.
func pacedDialect(t *testing.T, pace string) *Dialect {
	t.Helper()
	src := dialectYAML("5s", lineMessages, map[string]string{
		"register": `[{send: 'one'}, {send: 'two'}, {expect: 'OK\n'}]`,
		"say":      `[{send: 'x'}, {quiet: 40ms}, {expect: 'OK\n'}]`,
	})
	if pace != "" {
		src = "pace: " + pace + "\n" + src
	}
	d, err := Parse([]byte(src), "p.yaml")
	require.NoError(t, err)
	return d
}

func TestPaceWaitsForQuietBetweenSends(t *testing.T) {
	s, f := session(t, pacedDialect(t, "50ms"), Options{})
	gap := make(chan time.Duration, 1)
	f.serve(func(f *fake) {
		f.line()
		first := time.Now()
		f.write("chatter\n") // arrival restarts the quiet period
		f.line()
		gap <- time.Since(first)
		f.write("OK\n")
	})
	_, err := s.Do(ctxLong(t), ActionRegister, nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, <-gap, 50*time.Millisecond, "the second line waited for a quiet period")
}

func TestWithoutPaceLinesGoBackToBack(t *testing.T) {
	s, f := session(t, pacedDialect(t, ""), Options{})
	f.serve(func(f *fake) {
		f.line()
		f.line()
		f.write("OK\n")
	})
	_, err := s.Do(ctxLong(t), ActionRegister, nil)
	require.NoError(t, err)
}

func TestQuietStepFailsWhileTheServerKeepsTalking(t *testing.T) {
	src := dialectYAML("1s", lineMessages, map[string]string{"say": `[{send: 'x'}, {quiet: 300ms}, {expect: 'OK\n'}]`})
	d, err := Parse([]byte(src), "q.yaml")
	require.NoError(t, err)
	s, f := session(t, d, Options{MaxBuffer: 1 << 30}) // a second of chatter fits
	stop := make(chan struct{})
	f.serve(func(f *fake) {
		f.line()
		for { // as fast as the engine reads: never quiet
			select {
			case <-stop:
				return
			default:
				f.write("z")
			}
		}
	})
	defer close(stop)
	_, err = s.Do(context.Background(), ActionSay, nil)
	require.ErrorIs(t, err, ErrTimeout)
	var ee *ExpectError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, []string{"quiet for 300ms"}, ee.Patterns)
	assert.True(t, strings.HasPrefix(ee.Got, "z"), ee.Got)
}

func TestQuietStepPassesOnceTheServerStops(t *testing.T) {
	s, f := session(t, pacedDialect(t, ""), Options{})
	f.serve(func(f *fake) {
		f.line()
		f.write("a", "b", "c")
		f.write("OK\n")
	})
	res, err := s.Do(ctxLong(t), ActionSay, nil)
	require.NoError(t, err)
	assert.Equal(t, "abc", res.Skipped)
}

// TestLateTellsALateReplyFromAMisreadOne: text that arrives after the
// deadline but matches is a late reply (the server's slowness), text that
// matches no pattern is the dialect's misreading.
func TestLateTellsALateReplyFromAMisreadOne(t *testing.T) {
	alts := []*regexp.Regexp{regexp.MustCompile(`OK registered al\n`), regexp.MustCompile(`ERR [^\n]*\n`)}
	assert.True(t, matchesAny(alts, "OK registered al\n"))
	assert.True(t, matchesAny(alts, "[r] x: y\nERR no\n"))
	assert.False(t, matchesAny(alts, "Account created.  > "))

	s, f := session(t, pacedDialect(t, ""), Options{Timeout: 30 * time.Millisecond})
	f.serve(func(f *fake) {
		f.line()
		f.write("what?\n")
	})
	_, err := s.Do(context.Background(), ActionSay, nil)
	var ee *ExpectError
	require.ErrorAs(t, err, &ee)
	assert.False(t, ee.Late, "a reply no pattern recognises is not late: %v", err)
}
