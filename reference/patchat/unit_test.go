package patchat

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"
)

// countingReader counts bytes handed out, to show the line reader never holds more than its buffer.
type countingReader struct {
	r    io.Reader
	read int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

func TestLineReader(t *testing.T) {
	long := strings.Repeat("x", 1000)
	in := "a\r\n" + strings.Repeat("y", 10) + "\n" + strings.Repeat("z", 11) + "\n" + long + "\nok\npartial"
	lr := newLineReader(strings.NewReader(in), 10)
	var got []string
	for {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			got = append(got, "<"+err.Error()+">")
			continue
		}
		got = append(got, line)
	}
	assert.Equal(t, []string{"a", strings.Repeat("y", 10), "<patchat: line too long>", "<patchat: line too long>", "ok"}, got)
	assert.Equal(t, 16, lr.br.Size(), "max+2 bytes, but bufio's minimum is 16")
	assert.Equal(t, 4098, newLineReader(strings.NewReader(""), 4096).br.Size())
}

func TestLineReaderRefusesBeforeLineEnds(t *testing.T) {
	cr := &countingReader{r: io.MultiReader(strings.NewReader(strings.Repeat("x", 1<<20)), failingReader{})}
	lr := newLineReader(cr, 4096)
	_, err := lr.next()
	assert.ErrorIs(t, err, ErrLineTooLong)
	assert.LessOrEqual(t, cr.read, 4098+4096, "refused after reading about one buffer")
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestNames(t *testing.T) {
	assert.True(t, ValidUsername("a_B-9"))
	assert.True(t, ValidUsername(strings.Repeat("a", 32)))
	for _, bad := range []string{"", strings.Repeat("a", 33), "a b", "é", "a.b"} {
		assert.False(t, ValidUsername(bad), "%q", bad)
	}
	name, ok := CleanRoomName("  Café Room ")
	assert.True(t, ok)
	assert.Equal(t, "Café Room", name)
	_, ok = CleanRoomName(strings.Repeat("é", 64))
	assert.True(t, ok, "64 characters, 128 bytes")
	_, ok = CleanRoomName("bad\xff")
	assert.False(t, ok)
	assert.Equal(t, "a\tb\uFFFDc", Sanitize("a\tb\xff\xfec\x00\x1b\u0085\x7f"))
	assert.True(t, validPassword("p@ss"))
	assert.False(t, validPassword("has space"))
}

func TestAccountsFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "acc.txt")
	a, err := LoadAccounts(file, bcrypt.MinCost)
	require.NoError(t, err, "a missing file is an empty store")
	require.NoError(t, a.Register("ann", "pw", false))
	assert.ErrorIs(t, a.Register("ann", "x", false), ErrUserExists)
	assert.ErrorIs(t, a.Register("a b", "x", false), ErrBadUsername)
	assert.ErrorIs(t, a.Register("bob", "", false), ErrBadPassword)
	require.NoError(t, a.Register("ann", "new", true))
	assert.True(t, a.Verify("ann", "new", false))
	assert.False(t, a.Verify("ann", "pw", false))
	assert.False(t, a.Verify("nobody", "pw", true))
	assert.True(t, a.Verify("ann", "whatever", true))
	info, err := os.Stat(file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	require.NoError(t, os.WriteFile(file, []byte("ann\t$2a$04$short\n"), 0o600))
	_, err = LoadAccounts(file, bcrypt.MinCost)
	assert.ErrorIs(t, err, ErrBadAccountsFile)
	require.NoError(t, os.WriteFile(file, []byte("no tab here\n"), 0o600))
	_, err = LoadAccounts(file, bcrypt.MinCost)
	assert.ErrorIs(t, err, ErrBadAccountsFile)
	_, err = LoadAccounts("", 99)
	assert.Error(t, err)
}

func TestAccountsSaveFailureRollsBack(t *testing.T) {
	file := filepath.Join(t.TempDir(), "missing-dir", "acc.txt")
	a, err := LoadAccounts(file, bcrypt.MinCost)
	require.NoError(t, err)
	assert.ErrorIs(t, a.Register("ann", "pw", false), ErrSaveAccounts)
	assert.Equal(t, 0, a.Len(), "an account that could not be saved is not kept")
}

func TestLineWording(t *testing.T) {
	cases := map[string]Event{
		"OK welcome ann\nROOM you are in Main Room": {Kind: KindWelcome, User: "ann", Room: MainRoom},
		"ERR server full (capacity 7)":              {Kind: KindFull, N: 7},
		"USERS foo: a b":                            {Kind: KindUsers, Room: "foo", Items: []string{"a", "b"}},
		"ROOMS Main Room,foo":                       {Kind: KindRooms, Items: []string{MainRoom, "foo"}},
		"[foo] ann: hi":                             {Kind: KindMessage, Room: "foo", User: "ann", Text: "hi"},
		"OK left foo":                               {Kind: KindLeft, Room: "foo"},
		"ERR room foo exists":                       {Kind: KindRoomExists, Room: "foo"},
	}
	for want, ev := range cases {
		assert.Equal(t, want, lineText(ev))
	}
	for k := range kindNames {
		if k != KindInternal {
			assert.NotEqual(t, "ERR internal error", lineText(Event{Kind: k}), "kind %v has wording", k)
		}
		assert.NotEmpty(t, (&menuFront{}).render(Event{Kind: k}), "kind %v has menu wording", k)
	}
}

func TestLineParse(t *testing.T) {
	var f lineFront
	assert.Equal(t, request{cmd: Broadcast{Rooms: []string{"a", "b"}, IncludeCurrent: true, Text: "hi: there"}},
		f.input("b a, b ,: hi: there"))
	assert.Equal(t, request{cmd: Say{Text: "l foo"}}, f.input("l foo"))
	assert.Equal(t, request{cmd: Say{Text: "exit now"}}, f.input("exit now"))
	assert.Equal(t, request{login: &credentials{user: "a", pass: "b"}}, f.input("login a b"))
}
