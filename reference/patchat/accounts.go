package patchat

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// Account errors. Register and LoadAccounts wrap them with %w.
var (
	ErrUserExists      = errors.New("patchat: user exists")
	ErrBadUsername     = errors.New("patchat: bad username")
	ErrBadPassword     = errors.New("patchat: bad password")
	ErrBadAccountsFile = errors.New("patchat: malformed accounts file")
	ErrSaveAccounts    = errors.New("patchat: cannot save accounts")
)

// Accounts is the account store: username -> bcrypt hash, kept in memory and,
// when it has a path, in a text file of "username<TAB>hash" lines. Every
// registration rewrites the whole file atomically (temporary file in the same
// directory, write, fsync, rename, fsync of the directory) while holding a
// mutex, so concurrent registrations are serialised and a crash leaves either
// the old file or the new one. Passwords are never stored in plain text.
type Accounts struct {
	path string
	cost int

	mu        sync.Mutex
	users     map[string][]byte
	keySuffix string // AccountsTrailingSpace fault: appended to names stored by Register
}

// LoadAccounts reads the accounts file at path (a missing file is an empty
// store; path "" keeps accounts in memory only). cost is the bcrypt cost for
// new hashes; 0 means bcrypt.DefaultCost.
func LoadAccounts(path string, cost int) (*Accounts, error) {
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return nil, fmt.Errorf("%w: bcrypt cost %d", ErrBadAccountsFile, cost)
	}
	a := &Accounts{path: path, cost: cost, users: map[string][]byte{}}
	if path == "" {
		return a, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return a, nil
	}
	if err != nil {
		return nil, fmt.Errorf("patchat: read accounts: %w", err)
	}
	return a, a.parse(data)
}

// parse fills a.users from file contents; blank lines are skipped.
func (a *Accounts) parse(data []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" {
			continue
		}
		user, hash, ok := strings.Cut(line, "\t")
		if !ok || !ValidUsername(user) {
			return fmt.Errorf("%w: %s line %d", ErrBadAccountsFile, a.path, n)
		}
		if _, err := bcrypt.Cost([]byte(hash)); err != nil {
			return fmt.Errorf("%w: %s line %d: %w", ErrBadAccountsFile, a.path, n, err)
		}
		a.users[user] = []byte(hash)
	}
	return sc.Err()
}

// Register adds user with a salted bcrypt hash of pass and saves the file
// before returning. With replace, an existing user's hash is overwritten (the
// DuplicateUsername fault); otherwise it is ErrUserExists.
func (a *Accounts) Register(user, pass string, replace bool) error {
	if !ValidUsername(user) {
		return ErrBadUsername
	}
	if !validPassword(pass) {
		return ErrBadPassword
	}
	if a.exists(user) && !replace {
		return fmt.Errorf("%w: %s", ErrUserExists, user)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(pass), a.cost) // slow: outside the lock
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadPassword, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	old, had := a.users[user]
	if had && !replace {
		return fmt.Errorf("%w: %s", ErrUserExists, user)
	}
	key := user + a.keySuffix
	a.users[key] = hash
	if err := a.save(); err != nil {
		if had {
			a.users[key] = old
		} else {
			delete(a.users, key)
		}
		return err
	}
	return nil
}

func (a *Accounts) exists(user string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, ok := a.users[user]
	return ok
}

// Verify checks pass against user's hash. With anyPassword (the
// AcceptWrongPassword fault) any password of an existing user matches.
func (a *Accounts) Verify(user, pass string, anyPassword bool) bool {
	a.mu.Lock()
	hash, ok := a.users[user]
	a.mu.Unlock()
	if !ok {
		return false
	}
	return anyPassword || bcrypt.CompareHashAndPassword(hash, []byte(pass)) == nil
}

// Len returns the number of accounts.
func (a *Accounts) Len() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.users)
}

// save rewrites the accounts file atomically. The caller holds a.mu.
func (a *Accounts) save() error {
	if a.path == "" {
		return nil
	}
	var buf bytes.Buffer
	for _, user := range slices.Sorted(maps.Keys(a.users)) {
		fmt.Fprintf(&buf, "%s\t%s\n", user, a.users[user])
	}
	if err := writeFileAtomic(a.path, buf.Bytes(), 0o600); err != nil {
		return fmt.Errorf("%w: %w", ErrSaveAccounts, err)
	}
	return nil
}

// writeFileAtomic replaces path with data: a temporary file in the same
// directory is written, synced and renamed over path, then the directory is
// synced so the rename itself survives a crash.
func writeFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	if err = writeSyncClose(f, data, perm); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

func writeSyncClose(f *os.File, data []byte, perm os.FileMode) error {
	_, err := f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
