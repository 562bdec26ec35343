package patchat

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// problems renders Check's output as strings for compact comparison.
func problems(src string) []string {
	var out []string
	for _, p := range Check([]byte(src), "d.yaml") {
		out = append(out, p.String())
	}
	return out
}

// validBody is a complete dialect; tests append to it or edit it.
func validBody() string {
	return dialectYAML("2s", lineMessages, lineActions())
}

func TestCheckAcceptsValidDialect(t *testing.T) {
	assert.Empty(t, problems(validBody()))
	d, err := Parse([]byte(validBody()), "d.yaml")
	require.NoError(t, err)
	assert.Equal(t, "test", d.Name)
	assert.Equal(t, 2*time.Second, d.Timeout)
	assert.Equal(t, "\n", d.LineEnding)
	assert.Equal(t, ",", d.RoomsSeparator)
	assert.Equal(t, ScopeCurrent, d.ListUsersScope)
	assert.False(t, d.EchoOwnMessages)
	assert.Len(t, d.Actions, len(RequiredActions))
	assert.Equal(t, "a,b", d.JoinRooms("a", "b"))
}

func TestCheckReportsPlaces(t *testing.T) {
	src := `name: x
timeout: 2 seconds
list_users_scope: everyone
echo_own_messages: maybe
messages:
  - pattern: '\[(?P<room>[^\]]*)\] (?P<who>\w+): (?P<text>.*)\n'
actions:
  greeting: [{expect: 'HELLO'}]
  register:
    - send: 'register {user} {password}'
    - expct: 'OK'
  login:
    - send: 'login {user} {pasword}'
    - expect: 'OK (unclosed'
  create:
    - expect: 'x'
      send: 'y'
  join:
    - send: 'j {room}'
    - expect: 'OK joined {room|re} (?P<num>\d+)\n'
    - send: '{num} {later}'
    - expect: 'Z{later}'
    - expect: '(?P<later>x)'
  leave: [{send: 'r {room|re}'}, {expect: 'a', on_refuse: []}]
  list_users: [{send: l}, {expect: '(?P<list>.*)', split: {var: lst}}]
  list_rooms: [{send: rooms}, {expect: 'R', refuse: 'E', split: {var: x}}]
  switch: [{send: s}, {expect: 'ok', when: nope}]
  say: []
  broadcast: [{send: 'b {rooms}: {text}'}, {expect: 'ok {bogus|lower}'}]
  dance: [{send: 'x'}]
`
	want := []string{
		`d.yaml:2:10: timeout: not a duration (write e.g. 2s or 500ms): "2 seconds"`,
		`d.yaml:3:19: list_users_scope: must be "current" or "named", got "everyone"`,
		`d.yaml:4:20: echo_own_messages: expected true or false`,
		`d.yaml:6:14: messages[0].pattern: a room-message pattern needs a named group (?P<from>...)`,
		`d.yaml:7:1: actions: missing action "broadcast_others"`,
		`d.yaml:7:1: actions: missing action "exit"`,
		`d.yaml:11:7: actions.register[1]: unknown key "expct" (did you mean "expect"?); known keys: send, expect, quiet, refuse, split, on_refuse, when`,
		`d.yaml:11:7: actions.register[1]: a step has exactly one of "send", "expect" or "quiet"`,
		`d.yaml:13:27: actions.login[0].send: unknown variable {pasword}: action login does not get it (its inputs are user, password) and no named group of an earlier step captures it`,
		"d.yaml:14:15: actions.login[1].expect: bad regular expression: error parsing regexp: missing closing ): `OK (unclosed`",
		`d.yaml:16:7: actions.create[0]: a step has exactly one of "send", "expect" or "quiet"`,
		`d.yaml:21:20: actions.join[2].send: unknown variable {later}: action join does not get it (its inputs are room) and no named group of an earlier step captures it`,
		`d.yaml:22:17: actions.join[3].expect: unknown variable {later}: action join does not get it (its inputs are room) and no named group of an earlier step captures it`,
		`d.yaml:24:18: actions.leave[0].send: filter {room|re}: send lines insert values verbatim; the only filter here is |table:NAME`,
		`d.yaml:24:48: actions.leave[1].on_refuse: on_refuse needs a "refuse" pattern in the same step`,
		`d.yaml:25:36: actions.list_users[1].expect: pattern matches empty text, so it would succeed before the server says anything`,
		`d.yaml:25:65: actions.list_users[1].split.var: variable "lst" is not captured by this step's expect (add (?P<lst>...))`,
		`d.yaml:26:71: actions.list_rooms[1].split.var: variable "x" is not captured by this step's expect (add (?P<x>...))`,
		`d.yaml:27:44: actions.switch[1].when: unknown variable {nope}: action switch does not get it (its inputs are room) and no named group of an earlier step captures it`,
		`d.yaml:28:8: actions.say: an action needs at least one step`,
		`d.yaml:29:53: actions.broadcast[1].expect: unknown filter {bogus|lower}; the filters are |re and |table:NAME`,
		`d.yaml:29:57: actions.broadcast[1].expect: unknown variable {bogus}: action broadcast does not get it (its inputs are rooms, text, current) and no named group of an earlier step captures it`,
		`d.yaml:30:3: actions: unknown key "dance"; known keys: greeting, register, login, create, join, leave, list_users, list_rooms, switch, say, broadcast, broadcast_others, exit`,
	}
	assert.Equal(t, want, problems(src))
	_, err := Parse([]byte(src), "d.yaml")
	require.ErrorIs(t, err, ErrInvalidDialect)
	var de *DialectError
	require.ErrorAs(t, err, &de)
	assert.Len(t, de.Problems, len(want))
}

func TestCheckStructure(t *testing.T) {
	cases := map[string]struct{ src, want string }{
		"syntax":     {"name: ok\nactions:\n  a: b: c\n", "d.yaml:3:1: YAML syntax: line 3: mapping values are not allowed in this context"},
		"tab":        {"name: ok\nmessages:\n\t- a\n", "d.yaml:3:1: YAML syntax: line 3: found character that cannot start any token"},
		"empty":      {"", "d.yaml: empty file: a dialect needs at least messages and actions"},
		"not a map":  {"- a\n", "d.yaml:1:1: expected a mapping (key: value), got a list"},
		"top typo":   {"nmae: x\n", `d.yaml:1:1: unknown key "nmae" (did you mean "name"?)`},
		"no actions": {"messages: [{pattern: '(?P<from>a)(?P<text>b)'}]\n", `d.yaml:1:1: missing key "actions"`},
		"duplicate":  {"name: a\nname: b\n", "d.yaml:2:1: name: key given twice (first at line 1)"},
		"bad merge":  {"anchors: &a x\nname: {<<: *a}\n", "d.yaml:2:12: a merge (<<) needs a mapping or a list of mappings"},
		"two docs":   {"name: a\n---\nname: b\n", "only one document is allowed"},
		"null":       {"name: ~\n", "d.yaml:1:7: name: value is missing"},
		"empty le":   {"line_ending: ''\n", "d.yaml:1:14: line_ending: must not be empty"},
		"no msgs":    {"messages: []\n", "d.yaml:1:11: messages: list at least one recogniser"},
		"nested":     {"actions:\n  join: [{expect: a, refuse: b, on_refuse: [{expect: c, refuse: d, on_refuse: []}]}]\n", "on_refuse steps cannot have on_refuse themselves"},
		"send opts":  {"actions:\n  join: [{send: a, split: {var: x}}]\n", `actions.join[0].split: "split" only goes with "expect"`},
		"msg empty":  {"messages: [{pattern: '(?P<from>a*)(?P<text>b*)'}]\n", "pattern matches empty text"},
		"too long":   {"timeout: 2h\n", "timeout: must be between 1ns and 1h, got 2h0m0s"},
		"abs addr":   {"address_file: /etc/x\n", `d.yaml:1:15: address_file: must be a file name relative to the server's working directory, got "/etc/x"`},
		"up addr":    {"address_file: ../x\n", `address_file: must be a file name relative`},
		"bad pace":   {"pace: soon\n", `pace: not a duration`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			assert.Contains(t, strings.Join(problems(c.src), "\n"), c.want)
		})
	}
}

func TestCheckCaptureFlowsToLaterStepsOnly(t *testing.T) {
	acts := lineActions()
	acts["join"] = `[{send: 'j {room}'}, {expect: '(?P<num>\d+)\) {room|re}', refuse: '(?P<why>no)',
		on_refuse: [{send: 'x {why}'}]}, {send: '{num}'}, {expect: 'ok'}]`
	assert.Empty(t, problems(dialectYAML("2s", lineMessages, acts)))
	acts["join"] = `[{send: 'j {room}'}, {expect: '(?P<num>\d+)', refuse: '(?P<why>no)',
		on_refuse: [{send: 'x {num}'}]}, {send: '{why}'}]`
	got := problems(dialectYAML("2s", lineMessages, acts))
	require.Len(t, got, 2)
	assert.Contains(t, got[0], "actions.join[1].on_refuse[0].send: unknown variable {num}")
	assert.Contains(t, got[1], "actions.join[2].send: unknown variable {why}")
}

func TestProblemStringWithoutPlace(t *testing.T) {
	assert.Equal(t, "f.yaml: p: m", Problem{File: "f.yaml", Path: "p", Msg: "m"}.String())
	assert.Equal(t, "f.yaml:1:2: m", Problem{File: "f.yaml", Line: 1, Column: 2, Msg: "m"}.String())
}
