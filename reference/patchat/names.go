package patchat

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MainRoom is the room every user is put in at login. It always exists.
const MainRoom = "Main Room"

// Bounds on names and passwords.
const (
	MaxUsername = 32 // bytes; letters, digits, _ and - only
	MaxRoomName = 64 // characters (runes), after trimming
	// MaxRooms bounds the rooms a server holds (rooms are never deleted), so
	// that a client creating rooms in a loop cannot grow the server or its
	// room listing without limit (found by chatspec fuzz).
	MaxRooms     = 1000
	MaxPassword  = 72  // bytes: bcrypt ignores anything longer, so longer is refused
	historySize  = 20  // messages kept per room, only under Faults.HistoryOnJoin
	panicRoomLen = 200 // Faults.PanicOnLongRoomName fires over this many bytes
)

// ValidUsername reports whether s is 1-32 of ASCII letters, digits, '_' and '-'.
func ValidUsername(s string) bool {
	if s == "" || len(s) > MaxUsername {
		return false
	}
	for _, r := range s {
		if !isNameRune(r) {
			return false
		}
	}
	return true
}

func isNameRune(r rune) bool {
	return r == '_' || r == '-' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
}

// validPassword reports whether p can be stored: 1-72 bytes, no spaces (the
// line front end splits on spaces) and no control characters.
func validPassword(p string) bool {
	if p == "" || len(p) > MaxPassword {
		return false
	}
	return strings.IndexFunc(p, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) < 0
}

// CleanRoomName trims s and reports whether the result is a valid room name:
// 1-64 characters, valid UTF-8, none of , : [ ] and no control characters.
func CleanRoomName(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxRoomName {
		return s, false
	}
	bad := func(r rune) bool { return unicode.IsControl(r) || strings.ContainsRune(",:[]", r) }
	return s, strings.IndexFunc(s, bad) < 0
}

// Sanitize makes one input line safe to relay: invalid UTF-8 becomes U+FFFD
// and control characters other than tab are removed.
func Sanitize(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r != '\t' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}
