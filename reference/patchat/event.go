package patchat

// SessionID names one connection inside the Core. The network loop hands out
// a fresh ID per accepted connection; the Core never reuses or invents one.
type SessionID uint64

// Kind says what an Event means. The two front ends ("line" and "menu") turn
// the same Kind into their own wording, so the Core never holds any text.
type Kind int

// The event kinds. Replies go to the session that sent the command; KindMessage
// goes to the other members of a room.
const (
	KindGreeting      Kind = iota + 1 // connection accepted
	KindFull                          // connection refused: N is the capacity; the server closes
	KindRegistered                    // account created for User
	KindUserExists                    // register: User already has an account
	KindBadUsername                   // register: name is not 1-32 of letters, digits, _ and -
	KindBadPassword                   // register: password empty or over 72 bytes (bcrypt limit)
	KindUsage                         // malformed command; Text is the expected form
	KindWelcome                       // logged in as User, now in Room (Main Room)
	KindWrongLogin                    // unknown user or wrong password
	KindUserBusy                      // User is logged in on another connection
	KindAlreadyIn                     // this connection is already logged in
	KindLoginFirst                    // a room command before login
	KindUsers                         // Items: users of Room
	KindRooms                         // Items: every room
	KindMyRooms                       // Items: the rooms this session is a member of
	KindCreated                       // created Room and became a member; Room is current
	KindRoomExists                    // create: Room exists
	KindBadRoomName                   // create: name is not a valid room name
	KindTooManyRooms                  // create: the server holds MaxRooms rooms already (N)
	KindJoined                        // joined Room; Room is current
	KindNoRoom                        // join: no room Room
	KindLeft                          // left Room
	KindNotIn                         // not a member of Room
	KindCurrent                       // Room is now current
	KindSent                          // a message or broadcast was accepted
	KindNoCurrentRoom                 // a message, but no current room
	KindEmpty                         // a message with no text
	KindMessage                       // Room message: Room, User (the sender), Text
	KindBye                           // exit: the server closes after this
	KindLineTooLong                   // the line was over the bound and was discarded
	KindInternal                      // the server failed (e.g. could not save accounts)
)

var kindNames = map[Kind]string{
	KindGreeting: "greeting", KindFull: "full", KindRegistered: "registered",
	KindUserExists: "user-exists", KindBadUsername: "bad-username", KindBadPassword: "bad-password",
	KindUsage: "usage", KindWelcome: "welcome", KindWrongLogin: "wrong-login",
	KindUserBusy: "user-busy", KindAlreadyIn: "already-in", KindLoginFirst: "login-first",
	KindUsers: "users", KindRooms: "rooms", KindMyRooms: "my-rooms", KindCreated: "created",
	KindRoomExists: "room-exists", KindBadRoomName: "bad-room-name", KindTooManyRooms: "too-many-rooms", KindJoined: "joined",
	KindNoRoom: "no-room", KindLeft: "left", KindNotIn: "not-in", KindCurrent: "current",
	KindSent: "sent", KindNoCurrentRoom: "no-current-room", KindEmpty: "empty",
	KindMessage: "message", KindBye: "bye", KindLineTooLong: "line-too-long", KindInternal: "internal",
}

// String returns a short stable token for k, for logs and test failures.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "unknown"
}

// closes reports whether the server closes the connection after sending k.
func (k Kind) closes() bool { return k == KindFull || k == KindBye }

// Event is one thing the server tells one session. Only the fields its Kind
// names are set.
type Event struct {
	Kind  Kind
	Room  string
	User  string
	Text  string
	Items []string
	N     int
}

// Output is an Event addressed to a session.
type Output struct {
	To    SessionID
	Event Event
}

// Command is one input to Core.Step. The concrete types below are the only ones.
type Command interface{ command() }

// Connect asks for a place for a new connection (refused over capacity).
type Connect struct{}

// Vanish says the connection dropped without exit.
type Vanish struct{}

// Exit is the exit command: reply KindBye, then the session is gone.
type Exit struct{}

// Login logs the session in as User. The caller checks the password (a slow
// bcrypt comparison, done outside the Core) and says whether it matched.
type Login struct {
	User       string
	PasswordOK bool
}

// ListUsers lists the users of the current room.
type ListUsers struct{}

// ListRooms lists every room.
type ListRooms struct{}

// ListMyRooms lists the rooms the session is a member of (menu listings).
type ListMyRooms struct{}

// Create creates a room, joins it and makes it current.
type Create struct{ Room string }

// Join joins an existing room and makes it current.
type Join struct{ Room string }

// Leave leaves a room.
type Leave struct{ Room string }

// Switch makes a room the session is a member of current.
type Switch struct{ Room string }

// Say sends Text to the current room.
type Say struct{ Text string }

// Broadcast sends Text to Rooms, and to the current room too when IncludeCurrent.
type Broadcast struct {
	Rooms          []string
	IncludeCurrent bool
	Text           string
}

func (Connect) command()     {}
func (Vanish) command()      {}
func (Exit) command()        {}
func (Login) command()       {}
func (ListUsers) command()   {}
func (ListRooms) command()   {}
func (ListMyRooms) command() {}
func (Create) command()      {}
func (Join) command()        {}
func (Leave) command()       {}
func (Switch) command()      {}
func (Say) command()         {}
func (Broadcast) command()   {}
