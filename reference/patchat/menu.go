package patchat

import (
	"strconv"
	"strings"
)

// menuState is where a menu-style connection is in its prompts.
type menuState int

const (
	menuStart        menuState = iota // login menu: 1 or 2
	menuLoginUser                     // "username: "
	menuLoginPass                     // "password: "
	menuNewUser                       // "choose a username: "
	menuNewPass                       // "choose a password: "
	menuMain                          // "> "
	menuCreate                        // "name: "
	menuPick                          // "pick: " after a numbered listing
	menuMultiRooms                    // "rooms (comma separated): "
	menuMultiInclude                  // "include current room? (y/n): "
	menuMultiText                     // "message: "
)

// menuPending says which command a Core reply answers, where the wording depends on it.
type menuPending int

const (
	pendNone menuPending = iota
	pendRooms
	pendJoin
	pendLeave
	pendSwitch
	pendMulti
)

// Menu wording.
const (
	menuGreeting = "Welcome to Pat Chat!  [1] log in  [2] new user  > "
	menuNo       = "No.  > "
	menuPrompt   = "  > "
)

// menuFront is the test-only prompt-driven wording (Style "menu"): replies
// and prompts have no newline; only room messages end with "\n".
type menuFront struct {
	state    menuState
	pending  menuPending
	loggedIn bool
	user     string
	pickFor  menuPending // which command the numbered listing is for
	listing  []string    // the rooms in the last listing, numbered from 1
	rooms    []string    // /multi: the rooms typed
	include  bool        // /multi: include the current room
}

func prompt(s string) request { return request{prompt: text(s)} }

// input parses one line in the current state.
func (m *menuFront) input(line string) request {
	if line == "/quit" {
		return request{cmd: Exit{}}
	}
	switch m.state {
	case menuStart:
		return m.startMenu(line)
	case menuLoginUser, menuNewUser:
		return m.askPassword(line)
	case menuLoginPass, menuNewPass:
		return m.submitCredentials(line)
	case menuCreate:
		m.state = menuMain
		return request{cmd: Create{Room: line}}
	case menuPick:
		return m.pick(line)
	case menuMultiRooms, menuMultiInclude, menuMultiText:
		return m.multi(line)
	}
	return m.mainCommand(line)
}

func (m *menuFront) startMenu(line string) request {
	switch strings.TrimSpace(line) {
	case "1":
		m.state = menuLoginUser
		return prompt("username: ")
	case "2":
		m.state = menuNewUser
		return prompt("choose a username: ")
	}
	return prompt("Pick 1 or 2." + menuPrompt)
}

func (m *menuFront) askPassword(line string) request {
	m.user = strings.TrimSpace(line)
	if m.state == menuLoginUser {
		m.state = menuLoginPass
		return prompt("password: ")
	}
	m.state = menuNewPass
	return prompt("choose a password: ")
}

func (m *menuFront) submitCredentials(line string) request {
	cr := &credentials{user: m.user, pass: line}
	isLogin := m.state == menuLoginPass
	m.state = menuStart
	if isLogin {
		return request{login: cr}
	}
	return request{register: cr}
}

// mainCommand handles the main prompt: slash commands, else a message.
func (m *menuFront) mainCommand(line string) request {
	m.pending = pendNone
	switch line {
	case "/who":
		return request{cmd: ListUsers{}}
	case "/rooms":
		m.pending = pendRooms
		return request{cmd: ListRooms{}}
	case "/create":
		m.state = menuCreate
		return prompt("name: ")
	case "/join":
		m.pending = pendJoin
		return request{cmd: ListRooms{}}
	case "/leave", "/switch":
		m.pending = map[string]menuPending{"/leave": pendLeave, "/switch": pendSwitch}[line]
		return request{cmd: ListMyRooms{}}
	case "/multi":
		m.state = menuMultiRooms
		return prompt("rooms (comma separated): ")
	case "":
		return prompt("> ")
	}
	return request{cmd: Say{Text: line}}
}

// pick turns the number typed after a listing into join, leave or switch.
func (m *menuFront) pick(line string) request {
	m.state = menuMain
	n, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || n < 1 || n > len(m.listing) {
		return prompt(menuNo)
	}
	name := m.listing[n-1]
	switch m.pickFor {
	case pendJoin:
		return request{cmd: Join{Room: name}}
	case pendLeave:
		return request{cmd: Leave{Room: name}}
	}
	return request{cmd: Switch{Room: name}}
}

// multi walks the /multi prompts: rooms, include current?, message.
func (m *menuFront) multi(line string) request {
	switch m.state {
	case menuMultiRooms:
		m.rooms = splitRooms(line)
		m.state = menuMultiInclude
		return prompt("include current room? (y/n): ")
	case menuMultiInclude:
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes":
			m.include = true
		case "n", "no":
			m.include = false
		default:
			m.state = menuMain
			return prompt(menuNo)
		}
		m.state = menuMultiText
		return prompt("message: ")
	}
	m.state, m.pending = menuMain, pendMulti
	if len(m.rooms) == 0 && !m.include {
		return prompt(menuNo)
	}
	return request{cmd: Broadcast{Rooms: m.rooms, IncludeCurrent: m.include, Text: line}}
}

// menuMessage renders a room message: the one output that ends with "\n".
func menuMessage(ev Event) []byte {
	return []byte("(" + ev.Room + ") <" + ev.User + "> " + ev.Text + "\n")
}

// menuFixed holds replies that do not depend on the state.
var menuFixed = map[Kind]string{
	KindGreeting:      menuGreeting,
	KindFull:          "Server full.",
	KindRegistered:    "Account created." + menuPrompt,
	KindUserExists:    "That name is taken." + menuPrompt,
	KindBadUsername:   "Bad name." + menuPrompt,
	KindBadPassword:   "Bad password." + menuPrompt,
	KindWrongLogin:    "Login failed." + menuPrompt,
	KindUserBusy:      "Already logged in." + menuPrompt,
	KindAlreadyIn:     "Already logged in." + menuPrompt,
	KindLoginFirst:    "Log in first." + menuPrompt,
	KindRoomExists:    "Exists." + menuPrompt,
	KindBadRoomName:   "Bad name." + menuPrompt,
	KindTooManyRooms:  "Too many rooms." + menuPrompt,
	KindNoRoom:        menuNo,
	KindNotIn:         menuNo,
	KindUsage:         menuNo,
	KindNoCurrentRoom: "No room." + menuPrompt,
	KindEmpty:         "> ",
	KindBye:           "Goodbye.",
	KindInternal:      "Error." + menuPrompt,
}

// render writes ev in the menu wording; some replies are split across two writes.
func (m *menuFront) render(ev Event) []chunk {
	switch ev.Kind {
	case KindMessage:
		return []chunk{{data: menuMessage(ev)}}
	case KindWelcome:
		m.state, m.loggedIn = menuMain, true
		return splitInWord("Logged in. You are now in the " + ev.Room + "." + menuPrompt)
	case KindUsers:
		return splitInWord("In " + ev.Room + ": " + strings.Join(ev.Items, ", ") + menuPrompt)
	case KindRooms, KindMyRooms:
		return m.renderRooms(ev.Items)
	case KindCreated:
		return splitInWord("Created " + ev.Room + "." + menuPrompt)
	case KindJoined:
		return text("Joined " + ev.Room + "." + menuPrompt)
	case KindLeft:
		return text("Left " + ev.Room + "." + menuPrompt)
	case KindCurrent:
		return text("Now in " + ev.Room + "." + menuPrompt)
	case KindSent:
		if m.pending == pendMulti {
			return text("Sent." + menuPrompt)
		}
		return text("> ")
	case KindLineTooLong:
		m.state = menuStart
		if m.loggedIn {
			m.state = menuMain
		}
		return text("Too long." + menuPrompt)
	}
	if s, ok := menuFixed[ev.Kind]; ok {
		return text(s)
	}
	return text("Error." + menuPrompt)
}

// renderRooms answers /rooms with a list, or /join, /leave, /switch with a
// numbered listing followed by the "pick: " prompt (one write, split inside a word).
func (m *menuFront) renderRooms(items []string) []chunk {
	if m.pending == pendRooms {
		return text("Rooms: " + strings.Join(items, "; ") + menuPrompt)
	}
	if len(items) == 0 {
		return text(menuNo)
	}
	var b strings.Builder
	for i, name := range items {
		b.WriteString(strconv.Itoa(i+1) + ") " + name + "  ")
	}
	b.WriteString("pick: ")
	m.state, m.pickFor, m.listing = menuPick, m.pending, items
	return splitInWord(b.String())
}
