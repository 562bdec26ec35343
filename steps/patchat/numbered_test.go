package patchat_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	pclient "github.com/chatspec/chatspec/client/patchat"
	"github.com/chatspec/chatspec/dialects"
	refpat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/results"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/stretchr/testify/require"
)

// TestNumberedVariantIsCertified: the third variant (one input per read,
// numbered and decorated listings, replies without a final newline, a
// current room that must be asked for, broadcast rooms picked by number)
// passes with dialects/numbered.yaml.
func TestNumberedVariantIsCertified(t *testing.T) {
	// Not parallel: a whole suite that must pass, with its crowds of clients
	// at once, runs alone before the parallel tests, so they cannot starve it.
	certify(t, referenceTarget(t, refpat.Config{Style: refpat.StyleNumbered}), dialect(t, "numbered"))
}

// numberedWith is the numbered dialect with old replaced by new.
func numberedWith(t *testing.T, old, new string) *wire.Dialect {
	t.Helper()
	b, err := dialects.Get("numbered")
	require.NoError(t, err)
	src := strings.Replace(string(b), old, new, 1)
	require.NotEqual(t, string(b), src, "the replacement applies")
	d, err := wire.Parse([]byte(src), "numbered-edited.yaml")
	require.NoError(t, err)
	return d
}

// loginSteps is the numbered dialect's login up to /where.
const loginSteps = `    - send: '/login {user} {password}'
    - expect: '\* welcome {user}\n> '
      refuse: *refused
    - send: '/where'`

// TestOneInputPerReadNeedsPace: the variant takes one read as one input.
// Two lines in one write reach it as one garbage input and the login fails;
// the same two lines as two sends in a row pass with the dialect's pace,
// which holds the second until the first was answered.
func TestOneInputPerReadNeedsPace(t *testing.T) {
	t.Parallel()
	tg := referenceTarget(t, refpat.Config{Style: refpat.StyleNumbered})
	oneWrite := numberedWith(t, loginSteps, `    - send: "/login {user} {password}\n/where"
    - expect: '\* welcome {user}\n> '`)
	paced := numberedWith(t, loginSteps, `    - send: '/login {user} {password}'
    - send: '/where'
    - expect: '\* welcome {user}\n> '`)
	require.Equal(t, 50*time.Millisecond, paced.Pace)

	_, err := loginOn(t, tg.Addr(), oneWrite, "merged")
	var ee *wire.ExpectError
	require.ErrorAs(t, err, &ee, "two lines in one read are one input")
	require.Contains(t, ee.Got, "! usage")

	res, err := loginOn(t, tg.Addr(), paced, "paced")
	require.NoError(t, err)
	require.Equal(t, "Main Room", res.Vars[wire.VarRoom])
}

// loginOn registers user and logs in with dialect d.
func loginOn(t *testing.T, addr string, d *wire.Dialect, user string) (wire.Result, error) {
	t.Helper()
	s, err := pclient.Open(context.Background(), addr, d, pclient.Options{}, time.Second)
	require.NoError(t, err)
	defer s.Close()
	vars := wire.Vars{wire.VarUser: user, wire.VarPassword: "pw"}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = s.Do(ctx, wire.ActionRegister, vars)
	require.NoError(t, err)
	return s.Do(ctx, wire.ActionLogin, vars)
}

// TestDecoratedListingShowsTheDialectsItems: a dialect that cuts the
// numbered listing at newlines keeps the decoration; the failure shows the
// items it produced, so the fault is visibly the dialect's.
func TestDecoratedListingShowsTheDialectsItems(t *testing.T) {
	t.Parallel()
	d := numberedWith(t, `split: {var: list, pattern: '#(?P<value>\d+) \[(?P<item>[^\n]*)\]', table: rooms}`,
		`split: {var: list, sep: "\n"}`)
	r := run(t, referenceTarget(t, refpat.Config{Style: refpat.StyleNumbered}), d, "@PAT-4.6-1", false)
	res := reqRow(t, r, "PAT-4.6-1")
	require.Equal(t, results.Fail, res.Outcome)
	require.Contains(t, res.Message, "the room list lacks")
	require.Contains(t, res.Check.Actual, `the dialect's items ["#1 [Main Room]"`)
}

// TestMismatchInsideAScenarioIsTheDialects: a say pattern that does not fit
// makes PAT-1-1 INCONCLUSIVE, naming the dialect, not a FAIL of PAT-1-1.
func TestMismatchInsideAScenarioIsTheDialects(t *testing.T) {
	t.Parallel()
	d := numberedWith(t, `    - send: '/say {text}'
    - expect: '\* sent\n> '`, `    - send: '/say {text}'
    - expect: '\* delivered\n> '`)
	r := run(t, referenceTarget(t, refpat.Config{Style: refpat.StyleNumbered}), d, "@PAT-1-1", false)
	res := reqRow(t, r, "PAT-1-1")
	require.Equal(t, results.Inconclusive, res.Outcome, res.Message)
	require.Contains(t, res.Message, "the dialect numbered does not recognise the server's answer to say (actions.say[1])")
	require.Equal(t, `"* sent\n> "`, res.Check.Actual)
}

// reqRow is the one result row of requirement id (a run also holds
// run-wide rows, such as the history checker's).
func reqRow(t *testing.T, r *results.Run, id string) results.Result {
	t.Helper()
	var rows []results.Result
	for _, res := range r.Results {
		if slices.Contains(res.Reqs, id) {
			rows = append(rows, res)
		}
	}
	require.Len(t, rows, 1, id)
	return rows[0]
}
