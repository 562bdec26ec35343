package patchat

import (
	"regexp"
	"strings"
	"time"
)

// Action names. Every dialect defines all of them (RequiredActions).
const (
	ActionGreeting        = "greeting"         // read what the server says on connect
	ActionRegister        = "register"         // {user} {password}: create an account
	ActionLogin           = "login"            // {user} {password}: log in (may capture {room})
	ActionCreate          = "create"           // {room}: create a room
	ActionJoin            = "join"             // {room}: join a room
	ActionLeave           = "leave"            // {room}: leave a room
	ActionListUsers       = "list_users"       // Items = users of the current or named room
	ActionListRooms       = "list_rooms"       // Items = every room
	ActionSwitch          = "switch"           // {room}: make a joined room current
	ActionSay             = "say"              // {text} to the current room
	ActionBroadcast       = "broadcast"        // {rooms} {text}: current room included
	ActionBroadcastOthers = "broadcast_others" // {rooms} {text}: current room excluded
	ActionExit            = "exit"             // say goodbye; the server closes
)

// ActionInputs lists the variables each action gets from chatspec; a step may
// use these and whatever named groups earlier steps of the action captured.
// {current} is the room the engine believes current (login's captured room,
// the last accepted switch, or what the caller set).
var ActionInputs = map[string][]string{
	ActionGreeting:        nil,
	ActionRegister:        {VarUser, VarPassword},
	ActionLogin:           {VarUser, VarPassword},
	ActionCreate:          {VarRoom},
	ActionJoin:            {VarRoom},
	ActionLeave:           {VarRoom},
	ActionListUsers:       {VarRoom, VarCurrent},
	ActionListRooms:       nil,
	ActionSwitch:          {VarRoom},
	ActionSay:             {VarText, VarCurrent},
	ActionBroadcast:       {VarRooms, VarText, VarCurrent},
	ActionBroadcastOthers: {VarRooms, VarText, VarCurrent},
	ActionExit:            nil,
}

// RequiredActions lists the actions every dialect must define.
var RequiredActions = []string{
	ActionGreeting, ActionRegister, ActionLogin, ActionCreate, ActionJoin, ActionLeave,
	ActionListUsers, ActionListRooms, ActionSwitch, ActionSay, ActionBroadcast,
	ActionBroadcastOthers, ActionExit,
}

// Scope says which room list_users reports (reading P4).
type Scope string

// The two list_users scopes.
const (
	ScopeCurrent Scope = "current" // the current room; {room} is not sent
	ScopeNamed   Scope = "named"   // the room named by {room}
)

// Defaults applied when a dialect leaves a setting out.
const (
	DefaultTimeout        = 2 * time.Second
	DefaultLineEnding     = "\n"
	DefaultRoomsSeparator = ","
	DefaultAddressFile    = "address.txt"
)

// Dialect is a loaded, checked dialect file.
type Dialect struct {
	Name            string
	Description     string
	Source          string        // file name given to Parse
	Timeout         time.Duration // deadline of each expect step
	LineEnding      string        // appended to every send
	RoomsSeparator  string        // joins the {rooms} variable
	ListUsersScope  Scope
	EchoOwnMessages bool          // whether a sender receives its own room message
	Pace            time.Duration // >0: a send right after a send first waits this long for quiet
	AddressFile     string        // where the server writes its address, relative to its working directory
	Messages        []Recogniser
	Actions         map[string]*Action
}

// Recogniser finds one unsolicited room message in the stream; its named
// groups "from" and "text" (and optionally "room") fill a RoomMessage.
type Recogniser struct {
	Pattern      string
	Line, Column int
	re           *regexp.Regexp
	shape        shape
}

// Action is the script of one action: steps run in order.
type Action struct {
	Name         string
	Steps        []Step
	Line, Column int
}

// Step is a send (Send set), an expect (Expect set) or a quiet period
// (Quiet set: wait until the server has said nothing for that long, for a
// server that takes each read as one input). An expect may
// offer a Refuse alternative: if it matches earlier in the stream the action
// stops as refused, after running OnRefuse (steps that bring the server back
// to its main state, such as leaving a menu). Split turns a captured variable
// into Result.Items. When names a variable: the step runs only if that
// variable is set and not empty (e.g. captured by one branch of a refuse).
type Step struct {
	When         string
	Send         string
	Quiet        time.Duration
	Expect       string
	Refuse       string
	Split        *Split
	OnRefuse     []Step
	Line, Column int

	send, expect, refuse template
}

// Split turns the captured variable Var into list items. With Pattern,
// every match of the pattern in the value is one item: its named group
// "item" (so "  #3 kitchen (2 users)" gives "kitchen"); with Table as well,
// the engine remembers item -> the group "value" in the table of that name,
// for a later {room|table:NAME}. Without Pattern the value is cut at Sep
// (whitespace when Sep is empty). Items are trimmed, empty ones dropped.
type Split struct {
	Var     string
	Sep     string
	Pattern string
	Table   string

	re *regexp.Regexp
}

// Names of the groups a split pattern uses.
const (
	GroupItem  = "item"  // the item a split pattern takes from each match
	GroupValue = "value" // what a split's table remembers for the item
)

// Parse loads and checks a dialect; source names it in problems. The error
// is a *DialectError listing every problem.
func Parse(data []byte, source string) (*Dialect, error) {
	d, probs := load(data, source)
	if len(probs) > 0 {
		return nil, &DialectError{Problems: probs}
	}
	return d, nil
}

// Check validates a dialect file and returns every problem, sorted by place;
// none means Parse will accept it.
func Check(data []byte, source string) []Problem {
	_, probs := load(data, source)
	return probs
}

// JoinRooms builds the {rooms} value from room names.
func (d *Dialect) JoinRooms(rooms ...string) string {
	return strings.Join(rooms, d.RoomsSeparator)
}

// items applies the split to a captured value; with a table it also
// returns each item's value (nil otherwise).
func (sp *Split) items(v string) ([]string, map[string]string) {
	if sp.re != nil {
		return sp.matches(v)
	}
	var parts []string
	if sp.Sep == "" {
		parts = strings.Fields(v)
	} else {
		parts = strings.Split(v, sp.Sep)
	}
	out := []string{}
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out, nil
}

// matches takes one item from every match of the split pattern.
func (sp *Split) matches(v string) ([]string, map[string]string) {
	out := []string{}
	var table map[string]string
	if sp.Table != "" {
		table = map[string]string{}
	}
	item, value := sp.re.SubexpIndex(GroupItem), sp.re.SubexpIndex(GroupValue)
	for _, m := range sp.re.FindAllStringSubmatch(v, -1) {
		it := strings.TrimSpace(m[item])
		if it == "" {
			continue
		}
		out = append(out, it)
		if table != nil && value >= 0 {
			table[it] = strings.TrimSpace(m[value])
		}
	}
	return out, table
}

// label names the dialect in errors: its name, else its file.
func (d *Dialect) label() string {
	if d.Name != "" {
		return d.Name
	}
	return d.Source
}
