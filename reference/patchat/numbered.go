package patchat

import (
	"bytes"
	"io"
	"strconv"
	"strings"
)

// StyleNumbered is the third, test-only wording: numbered and decorated
// listings ("  #2 [kitchen]"), one input per read (lines sent back to back
// in one read are one input), replies that end with the prompt "> " and no
// newline, a login reply that does not name the room (the client asks with
// /where), and a multi-room broadcast whose rooms are picked by number.
// dialects/numbered.yaml drives it.
const StyleNumbered = "numbered"

func init() {
	styles[StyleNumbered] = style{name: StyleNumbered, newFront: func() frontEnd { return &numberedFront{} },
		message: numberedMessage, perRead: true}
}

// numberedPrompt ends every reply of the numbered style.
const numberedPrompt = "\n> "

// numberedFront is one connection of the numbered style.
type numberedFront struct {
	pending string   // the command a listing answers: "", "where" or "multi"
	state   string   // "", "numbers" or "text" inside /multi
	listing []string // the rooms of the last /multi listing, numbered from 1
	rooms   []string // /multi: the rooms picked
}

// input parses one input in the current state.
func (n *numberedFront) input(line string) request {
	line = strings.TrimSpace(line)
	switch n.state {
	case "numbers":
		return n.pickNumbers(line)
	case "text":
		n.state, n.pending = "", "multi"
		return request{cmd: Broadcast{Rooms: n.rooms, Text: line}}
	}
	n.pending = ""
	word, rest, _ := strings.Cut(line, " ")
	switch word {
	case "/register", "/login":
		return parseCredentials(strings.TrimPrefix(word, "/"), rest)
	case "/create", "/join", "/leave", "/switch":
		return roomRequest(map[string]string{"/create": "c", "/join": "j", "/leave": "r", "/switch": "s"}[word], rest)
	case "/say":
		return request{cmd: Say{Text: rest}}
	case "/users":
		return request{cmd: ListUsers{}}
	case "/where":
		n.pending = "where"
		return request{cmd: ListUsers{}}
	case "/rooms":
		return request{cmd: ListRooms{}}
	case "/multi":
		n.pending = "multi"
		return request{cmd: ListRooms{}}
	case "/quit":
		return request{cmd: Exit{}}
	}
	return request{prompt: text("! unknown command" + numberedPrompt)}
}

// pickNumbers reads "2,3" after a /multi listing.
func (n *numberedFront) pickNumbers(line string) request {
	n.state, n.rooms = "", nil
	for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' }) {
		i, err := strconv.Atoi(f)
		if err != nil || i < 1 || i > len(n.listing) {
			return request{prompt: text("! bad number " + strconv.Quote(f) + numberedPrompt)}
		}
		n.rooms = append(n.rooms, n.listing[i-1])
	}
	if len(n.rooms) == 0 {
		return request{prompt: text("! no rooms" + numberedPrompt)}
	}
	n.state = "text"
	return request{prompt: text("text> ")}
}

// numberedMessage renders a room message for another member.
func numberedMessage(ev Event) []byte {
	return []byte("<" + ev.Room + "> " + ev.User + ": " + ev.Text + "\n")
}

// numberedFixed holds the replies that do not depend on the state.
var numberedFixed = map[Kind]string{
	KindFull:          "! server full",
	KindUserExists:    "! name taken",
	KindBadUsername:   "! bad name",
	KindBadPassword:   "! bad password",
	KindUsage:         "! usage",
	KindWrongLogin:    "! login failed",
	KindUserBusy:      "! already logged in",
	KindAlreadyIn:     "! already logged in",
	KindLoginFirst:    "! log in first",
	KindRoomExists:    "! room exists",
	KindBadRoomName:   "! bad room name",
	KindTooManyRooms:  "! too many rooms",
	KindNoRoom:        "! no such room",
	KindNotIn:         "! not a member",
	KindNoCurrentRoom: "! no current room",
	KindEmpty:         "! empty message",
	KindLineTooLong:   "! too long",
	KindInternal:      "! error",
}

// render writes ev in the numbered wording.
func (n *numberedFront) render(ev Event) []chunk {
	switch ev.Kind {
	case KindGreeting:
		return text("Pat Chat, numbered edition. /register NAME PASS or /login NAME PASS" + numberedPrompt)
	case KindMessage:
		return []chunk{{data: numberedMessage(ev)}}
	case KindBye:
		return text("* bye")
	case KindUsers:
		if n.pending == "where" {
			return text("* you are in " + ev.Room + numberedPrompt)
		}
		return text("* users of " + ev.Room + ":" + numberedList(ev.Items, "%d. %s") + numberedPrompt)
	case KindRooms:
		return n.renderRooms(ev.Items)
	}
	if s, ok := numberedDone(ev); ok {
		return text("* " + s + numberedPrompt)
	}
	if s, ok := numberedFixed[ev.Kind]; ok {
		return text(s + numberedPrompt)
	}
	return text("! error" + numberedPrompt)
}

// numberedDone words the replies that confirm a command.
func numberedDone(ev Event) (string, bool) {
	switch ev.Kind {
	case KindRegistered:
		return "registered " + ev.User, true
	case KindWelcome:
		return "welcome " + ev.User, true // the room is not named: ask with /where
	case KindCreated:
		return "created " + ev.Room, true
	case KindJoined:
		return "joined " + ev.Room, true
	case KindLeft:
		return "left " + ev.Room, true
	case KindCurrent:
		return "now in " + ev.Room, true
	case KindSent:
		return "sent", true
	}
	return "", false
}

// renderRooms answers /rooms, or opens the /multi number prompt.
func (n *numberedFront) renderRooms(items []string) []chunk {
	list := numberedList(items, "#%d [%s]")
	if n.pending != "multi" {
		return text("* rooms:" + list + numberedPrompt)
	}
	n.state, n.listing = "numbers", items
	return text("* pick rooms by number:" + list + "\nnumbers> ")
}

// numberedList renders items one per line, indented and numbered from 1;
// form has a %d and a %s.
func numberedList(items []string, form string) string {
	var b strings.Builder
	for i, it := range items {
		line := strings.Replace(strings.Replace(form, "%d", strconv.Itoa(i+1), 1), "%s", it, 1)
		b.WriteString("\n  " + line)
	}
	return b.String()
}

// inputSource gives a connection's inputs one by one.
type inputSource interface {
	next() (string, error)
}

// readInputs takes each Read as one input, as a server that does not
// frame its input does: lines sent back to back in one read become one
// input (their newlines turned into spaces), a line split across reads
// becomes two. A read that fills the buffer is a line too long; reads are
// then discarded up to one that holds a newline.
type readInputs struct {
	r        io.Reader
	buf      []byte
	skipping bool
}

func newReadInputs(r io.Reader, max int) *readInputs {
	return &readInputs{r: r, buf: make([]byte, max+2)}
}

// next returns the next input.
func (ri *readInputs) next() (string, error) {
	for {
		n, err := ri.r.Read(ri.buf)
		p := ri.buf[:n]
		switch {
		case n == 0 && err != nil:
			return "", err
		case n == 0:
			continue
		case ri.skipping:
			ri.skipping = bytes.IndexByte(p, '\n') < 0
			continue
		case n == len(ri.buf) && p[n-1] != '\n':
			ri.skipping = true
			return "", ErrLineTooLong
		}
		in := strings.TrimRight(string(p), "\r\n")
		return strings.ReplaceAll(strings.ReplaceAll(in, "\r\n", " "), "\n", " "), nil
	}
}

// inputs returns the connection's input source for the style.
func (st style) inputs(r io.Reader, max int) inputSource {
	if st.perRead {
		return newReadInputs(r, max)
	}
	return newLineReader(r, max)
}
