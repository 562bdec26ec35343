package patchat

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// numberedActions list rooms as "  #3 kitchen (2 users)" lines and take a
// broadcast's rooms by number.
func numberedActions() map[string]string {
	return map[string]string{
		"list_rooms": `[{send: 'rooms'}, {expect: 'ROOMS\n(?P<list>(?:  [^\n]*\n)*)END\n',
			split: {var: list, pattern: '#(?P<value>\d+) (?P<item>[^\n]+?) \(\d+ users?\)', table: rooms}}]`,
		"broadcast": `[{send: 'b {current|table:rooms},{rooms|table:rooms} {text}'}, {expect: 'OK\n'}]`,
	}
}

func TestSplitPatternTakesOneItemPerMatch(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", lineMessages, numberedActions()), Options{})
	f.serve(func(f *fake) {
		if f.line() == "rooms" {
			f.write("ROOMS\n  #1 Main Room (3 users)\n  #2 a.b (x) (1 user)\n  #7 kitchen (0 users)\nEND\n")
		}
	})
	res, err := s.Do(ctxLong(t), ActionListRooms, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"Main Room", "a.b (x)", "kitchen"}, res.Items, "the decoration is not part of an item")
	assert.Equal(t, map[string]map[string]string{"rooms": {"Main Room": "1", "a.b (x)": "2", "kitchen": "7"}}, s.Tables())
}

func TestTableSendsNumbersForNames(t *testing.T) {
	s, f := session(t, mustDialect(t, "10s", lineMessages, numberedActions()), Options{})
	got := make(chan string, 1)
	f.serve(func(f *fake) {
		f.line()
		f.write("ROOMS\n  #1 Main Room (3 users)\n  #4 garden (1 user)\n  #7 kitchen (0 users)\nEND\n")
		got <- f.line()
		f.write("OK\n")
	})
	_, err := s.Do(ctxLong(t), ActionListRooms, nil)
	require.NoError(t, err)
	s.SetCurrent("kitchen")
	_, err = s.Do(ctxLong(t), ActionBroadcast, Vars{VarRooms: "Main Room,garden", VarText: "hi"})
	require.NoError(t, err)
	assert.Equal(t, "b 7,1,4 hi", <-got)
}

func TestTableMissGivesErrNotInTable(t *testing.T) {
	s, _ := session(t, mustDialect(t, "10s", lineMessages, numberedActions()), Options{})
	_, err := s.Do(context.Background(), ActionBroadcast, Vars{VarRooms: "nowhere", VarText: "hi", VarCurrent: "x"})
	require.ErrorIs(t, err, ErrNotInTable)
	assert.Contains(t, err.Error(), `"x" is not in the table`)
}

func TestCurrentFollowsLoginAndSwitch(t *testing.T) {
	acts := lineActions()
	acts["switch"] = `[{send: 's {room}'}, {expect: 'OK\n', refuse: 'ERR\n'}]`
	s, f := session(t, mustDialect(t, "10s", lineMessages, acts), Options{})
	f.serve(func(f *fake) {
		f.line()
		f.write("OK welcome al\nROOM you are in Main Room\n")
		f.line()
		f.write("ERR\n")
		f.line()
		f.write("OK\n")
	})
	_, err := s.Do(ctxLong(t), ActionLogin, Vars{VarUser: "al", VarPassword: "pw"})
	require.NoError(t, err)
	assert.Equal(t, "Main Room", s.Current())
	_, err = s.Do(ctxLong(t), ActionSwitch, Vars{VarRoom: "nope"})
	require.NoError(t, err)
	assert.Equal(t, "Main Room", s.Current(), "a refused switch changes nothing")
	_, err = s.Do(ctxLong(t), ActionSwitch, Vars{VarRoom: "kitchen"})
	require.NoError(t, err)
	assert.Equal(t, "kitchen", s.Current())
}

func TestCheckSplitPatternAndTables(t *testing.T) {
	acts := numberedActions()
	acts["list_users"] = `[{send: l}, {expect: 'U (?P<list>[^\n]*)\n', split: {var: list, sep: ',', pattern: '(?P<who>\w+)'}}]`
	acts["join"] = `[{send: 'j {room|table:numbers}'}, {expect: 'OK\n', split: {var: x, table: t}}]`
	acts["say"] = `[{send: 'm {text}'}, {expect: 'OK\n'}, {expect: '(?P<l>x)', split: {var: l, pattern: 'a', table: t}}]`
	got := problems(dialectYAML("2s", lineMessages, acts))
	want := []string{
		`actions.join[0].send: {room|table:numbers}: no split fills a table "numbers"`,
		`actions.join[1].split.table: a table needs a "pattern"`,
		`actions.list_users[1].split.sep: give either "sep" or "pattern", not both`,
		`actions.list_users[1].split.pattern: a split pattern needs the named group (?P<item>...)`,
		`actions.say[2].split.pattern: a split pattern needs the named group (?P<item>...)`,
		`actions.say[2].split.pattern: a split with a table needs the named group (?P<value>...)`,
	}
	for _, w := range want {
		assert.True(t, containsOne(got, w), "missing %q in\n%v", w, got)
	}
}

// containsOne tells whether one of lines contains part.
func containsOne(lines []string, part string) bool {
	for _, l := range lines {
		if strings.Contains(l, part) {
			return true
		}
	}
	return false
}
