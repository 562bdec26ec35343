package patchat

import (
	"strconv"
	"strings"
)

// lineFront is the reference wording (Style "line"). It has no state.
type lineFront struct{}

// Usage forms, sent as "ERR usage: FORM".
const (
	usageRegister = "register USER PASS"
	usageLogin    = "login USER PASS"
)

// input parses one line. The commands are exact words; any other line is a
// message to the current room.
func (lineFront) input(line string) request {
	switch line {
	case "l":
		return request{cmd: ListUsers{}}
	case "rooms":
		return request{cmd: ListRooms{}}
	case "exit":
		return request{cmd: Exit{}}
	}
	word, rest, _ := strings.Cut(line, " ")
	switch word {
	case "register", "login":
		return parseCredentials(word, rest)
	case "c", "j", "r", "s":
		return roomRequest(word, rest)
	case "m":
		return request{cmd: Say{Text: rest}}
	case "b", "bx":
		rooms, msg, ok := parseBroadcast(rest)
		if !ok {
			return usage(word + " ROOM1,ROOM2: TEXT")
		}
		return request{cmd: Broadcast{Rooms: rooms, IncludeCurrent: word == "b", Text: msg}}
	}
	return request{cmd: Say{Text: line}}
}

func usage(form string) request {
	return request{local: []Event{{Kind: KindUsage, Text: form}}}
}

// parseCredentials reads "USER PASS" for register or login.
func parseCredentials(word, rest string) request {
	f := strings.Fields(rest)
	if len(f) != 2 {
		return usage(map[string]string{"register": usageRegister, "login": usageLogin}[word])
	}
	cr := &credentials{user: f[0], pass: f[1]}
	if word == "register" {
		return request{register: cr}
	}
	return request{login: cr}
}

// roomRequest builds c, j, r and s; a missing name is a usage error.
func roomRequest(word, name string) request {
	if strings.TrimSpace(name) == "" {
		return usage(word + " NAME")
	}
	switch word {
	case "c":
		return request{cmd: Create{Room: name}}
	case "j":
		return request{cmd: Join{Room: name}}
	case "r":
		return request{cmd: Leave{Room: name}}
	}
	return request{cmd: Switch{Room: name}}
}

// render writes ev as "\n"-terminated lines.
func (lineFront) render(ev Event) []chunk { return text(lineText(ev) + "\n") }

// lineMessage renders a room message for another session.
func lineMessage(ev Event) []byte { return []byte(lineText(ev) + "\n") }

// lineReplies holds the replies whose wording is fixed or is a prefix plus
// the room name.
var lineReplies = map[Kind]string{
	KindGreeting:      "HELLO Pat Chat reference server; register USER PASS or login USER PASS",
	KindBadUsername:   "ERR bad username",
	KindBadPassword:   "ERR bad password",
	KindWrongLogin:    "ERR wrong username or password",
	KindAlreadyIn:     "ERR already logged in",
	KindLoginFirst:    "ERR login first",
	KindBadRoomName:   "ERR bad room name",
	KindSent:          "OK sent",
	KindNoCurrentRoom: "ERR no current room",
	KindEmpty:         "ERR empty message",
	KindBye:           "BYE",
	KindLineTooLong:   "ERR line too long",
	KindInternal:      "ERR internal error",
	KindCreated:       "OK created ",
	KindJoined:        "OK joined ",
	KindNoRoom:        "ERR no room ",
	KindLeft:          "OK left ",
	KindNotIn:         "ERR not in ",
	KindCurrent:       "OK current ",
}

// lineText is the text of ev without its final newline.
func lineText(ev Event) string {
	switch ev.Kind {
	case KindFull:
		return "ERR server full (capacity " + strconv.Itoa(ev.N) + ")"
	case KindRegistered:
		return "OK registered " + ev.User
	case KindUserExists:
		return "ERR user " + ev.User + " exists"
	case KindUsage:
		return "ERR usage: " + ev.Text
	case KindWelcome:
		return "OK welcome " + ev.User + "\nROOM you are in " + ev.Room
	case KindUserBusy:
		return "ERR " + ev.User + " is already logged in"
	case KindUsers:
		return "USERS " + ev.Room + ": " + strings.Join(ev.Items, " ")
	case KindRooms:
		return "ROOMS " + strings.Join(ev.Items, ",")
	case KindMyRooms:
		return "MYROOMS " + strings.Join(ev.Items, ",")
	case KindRoomExists:
		return "ERR room " + ev.Room + " exists"
	case KindTooManyRooms:
		return "ERR too many rooms (limit " + strconv.Itoa(ev.N) + ")"
	case KindMessage:
		return "[" + ev.Room + "] " + ev.User + ": " + ev.Text
	}
	if s, ok := lineReplies[ev.Kind]; ok {
		return s + ev.Room
	}
	return "ERR internal error"
}
