package patchat

import (
	"errors"
	"fmt"
	"strings"
)

// Style names for Config.Style.
const (
	StyleLine = "line" // the reference wording: one reply line per command, "\n"-terminated
	StyleMenu = "menu" // test-only: prompt-driven, unterminated, rooms picked by number
)

// ErrUnknownStyle means Config.Style is neither StyleLine nor StyleMenu.
var ErrUnknownStyle = errors.New("patchat: unknown style")

// chunk is a piece of output. flush ends the current write after it, so the
// next chunk starts a new write (used to split a reply across two writes).
type chunk struct {
	data  []byte
	flush bool
}

// text is one chunk of s.
func text(s string) []chunk { return []chunk{{data: []byte(s)}} }

// credentials are a username and password from register or login.
type credentials struct{ user, pass string }

// request is what one input line asks for: a Core command, an account
// operation, or text the front end answers by itself (a prompt).
type request struct {
	cmd      Command
	register *credentials
	login    *credentials
	local    []Event // events rendered without asking the Core
	prompt   []chunk // literal output (menu prompts)
}

// frontEnd is one connection's parser and renderer: the only code that knows
// a style's wording. Each connection has its own; it is used by one goroutine.
type frontEnd interface {
	input(line string) request
	render(ev Event) []chunk
}

// style is a wording for the whole server.
type style struct {
	name     string
	newFront func() frontEnd
	message  func(ev Event) []byte // a room message for another session
	perRead  bool                  // each read is one input (no line framing)
}

// styles maps Config.Style values to styles.
var styles = map[string]style{
	StyleLine: {name: StyleLine, newFront: func() frontEnd { return lineFront{} }, message: lineMessage},
	StyleMenu: {name: StyleMenu, newFront: func() frontEnd { return &menuFront{} }, message: menuMessage},
}

func lookupStyle(name string) (style, error) {
	if name == "" {
		name = StyleLine
	}
	st, ok := styles[name]
	if !ok {
		return style{}, fmt.Errorf("%w: %q (want %q or %q)", ErrUnknownStyle, name, StyleLine, StyleMenu)
	}
	return st, nil
}

// splitInWord splits a reply inside its first word of four or more ASCII
// letters, after the word's second letter: "Logged in" -> "Lo", "gged in".
// A reply with no such word stays whole.
func splitInWord(s string) []chunk {
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
			run++
			if run == 4 {
				cut := i - 1
				return []chunk{{data: []byte(s[:cut]), flush: true}, {data: []byte(s[cut:])}}
			}
			continue
		}
		run = 0
	}
	return text(s)
}

// parseBroadcast reads "ROOM1,ROOM2: TEXT" into the room names and the text.
func parseBroadcast(rest string) (rooms []string, msg string, ok bool) {
	list, msg, found := strings.Cut(rest, ":")
	if !found {
		return nil, "", false
	}
	rooms = splitRooms(list)
	return rooms, strings.TrimPrefix(msg, " "), len(rooms) > 0
}

// splitRooms splits a comma-separated list, trimming and dropping blanks.
func splitRooms(list string) []string {
	var rooms []string
	for _, r := range strings.Split(list, ",") {
		if r = strings.TrimSpace(r); r != "" {
			rooms = append(rooms, r)
		}
	}
	return rooms
}
