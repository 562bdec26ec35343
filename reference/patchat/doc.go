// Package patchat is chatspec's bundled reference Pat Chat server: the
// default target for the conformance suite and the fuzzer, and the server
// whose wording the default dialect describes.
//
// # Architecture
//
// Core is a pure state machine (no I/O, no goroutines, no text): sessions,
// logins, rooms, membership, current room and message routing. Core.Step
// takes (session, Command) and returns Outputs: typed Events addressed to
// sessions. A front end per style turns input lines into Commands and Events
// into text; it is the only code that knows wording. The network loop
// (Serve) runs one reading goroutine and one writing goroutine per
// connection, serialises Core calls with one mutex, and queues room
// messages for other clients without ever blocking on them. Accounts (bcrypt
// hashes in a text file) live beside the Core; passwords are checked outside
// the Core lock because bcrypt is slow on purpose.
//
// # Starting it
//
//	// reference wording on 127.0.0.1:8083, accounts in a file:
//	err := patchat.ListenAndServe(ctx, patchat.Config{AccountsFile: "accounts.txt"})
//	// on a listener you own (tests, in-process targets), the menu variant:
//	err := patchat.Serve(ctx, ln, patchat.Config{Style: patchat.StyleMenu, HashCost: bcrypt.MinCost})
//
// Serve returns nil after ctx is cancelled, once every connection is closed.
//
// # Style "line" (the reference wording)
//
// Every line the server sends ends with "\n"; input lines may end with
// "\n" or "\r\n". On connect:
//
//	HELLO Pat Chat reference server; register USER PASS or login USER PASS
//
// Over capacity: "ERR server full (capacity N)", then the server closes.
// Before login only register, login and exit are understood; anything else
// gets "ERR login first".
//
//	register USER PASS  -> OK registered USER | ERR user USER exists | ERR bad username
//	                       | ERR bad password | ERR usage: register USER PASS
//	login USER PASS     -> OK welcome USER
//	                       ROOM you are in Main Room         (two lines)
//	                       | ERR wrong username or password | ERR USER is already logged in
//	                       | ERR already logged in (this connection) | ERR usage: login USER PASS
//	l                   -> USERS ROOM: u1 u2 u3     (current room, sorted, space-separated)
//	rooms               -> ROOMS Main Room,bar,foo  (every room, byte-wise sorted, comma-separated)
//	c NAME              -> OK created NAME | ERR room NAME exists | ERR bad room name
//	j NAME              -> OK joined NAME | ERR no room NAME
//	r NAME              -> OK left NAME | ERR not in NAME
//	s NAME              -> OK current NAME | ERR not in NAME
//	m TEXT, or any line that is not a command
//	                    -> OK sent | ERR no current room | ERR empty message
//	b R1,R2: TEXT       -> OK sent (current room and R1, R2) | ERR not in R | ERR usage: b ROOM1,ROOM2: TEXT
//	bx R1,R2: TEXT      -> OK sent (R1, R2 only)             | ERR not in R | ERR usage: bx ROOM1,ROOM2: TEXT
//	exit                -> BYE, then the server closes
//	c, j, r, s with no name -> ERR usage: c NAME (j NAME, r NAME, s NAME)
//
// A room message reaches every other member as "[ROOM] FROM: TEXT".
// A line over MaxLine bytes gets "ERR line too long"; errors the server
// cannot attribute get "ERR internal error" (e.g. the accounts file could
// not be written; the account is then not created).
//
// # Style "menu" (test-only variant)
//
// It proves the dialect engine is not tied to the reference wording. Same
// Core and accounts; prompts and replies have NO trailing newline, only room
// messages end with "\n". On connect:
//
//	Welcome to Pat Chat!  [1] log in  [2] new user  >
//
// (every prompt ending in "> " has exactly one space after ">"). In the login menu:
//
//	1 -> "username: " -> NAME -> "password: " -> PASS ->
//	     "Logged in. You are now in the Main Room.  > " | "Login failed.  > " | "Already logged in.  > "
//	2 -> "choose a username: " -> NAME -> "choose a password: " -> PASS ->
//	     "Account created.  > " | "That name is taken.  > " | "Bad name.  > " | "Bad password.  > "
//	anything else -> "Pick 1 or 2.  > "
//
// After a failed login or any registration the connection is back at the
// login menu. At the main prompt ("> "):
//
//	/who     -> "In ROOM: alice, bob  > " | "No room.  > "
//	/rooms   -> "Rooms: Main Room; foo  > "
//	/create  -> "name: " -> NAME -> "Created NAME.  > " | "Exists.  > " | "Bad name.  > "
//	/join    -> "1) Main Room  2) foo  pick: " (every room) -> N -> "Joined foo.  > " | "No.  > "
//	/leave   -> "1) Main Room  2) foo  pick: " (my rooms)   -> N -> "Left foo.  > "   | "No.  > "
//	/switch  -> "1) Main Room  2) foo  pick: " (my rooms)   -> N -> "Now in foo.  > " | "No.  > "
//	/multi   -> "rooms (comma separated): " -> R1,R2 -> "include current room? (y/n): " -> y|n
//	            -> "message: " -> TEXT -> "Sent.  > " | "No.  > " | "No room.  > "
//	/quit    -> "Goodbye." then close (any state, also before login)
//	empty line -> "> "
//	any other line -> a message to the current room; reply "> " | "No room.  > "
//
// A listing with no rooms, a number that is not in the listing, or an answer
// other than y/yes/n/no gives "No.  > ". A room message is delivered as
// "(ROOM) <FROM> TEXT\n". Over capacity: "Server full." then close. A line
// over MaxLine bytes: "Too long.  > " (and any half-finished prompt sequence
// is abandoned). Writes do not follow replies: "Logged in...", "In ROOM: ...",
// "Created NAME." and the numbered listings are each split inside a word
// across two writes ("Lo" + "gged in. ..."); whatever is queued for a client
// (a reply and room messages that arrived meanwhile) goes out in one write.
//
// # Choices where the document is silent
//
//   - Port 8083, but the default address is 127.0.0.1:8083 (loopback); the
//     address file holds "host:port\n" and is written atomically before the
//     first Accept.
//   - Capacity counts connections, logged in or not (default 100). The
//     refused client gets one line and is closed; a place is free again as
//     soon as a client exits or drops.
//   - Usernames: 1-32 of ASCII letters, digits, '_' and '-', case-sensitive.
//     Passwords: 1-72 bytes (bcrypt's limit), no spaces or control characters.
//     register does not log in; it works before and after login.
//   - Accounts file: one "username<TAB>bcrypt-hash" line per account, sorted,
//     mode 0600; rewritten whole and atomically (temporary file in the same
//     directory, write, fsync, rename, fsync of the directory) under a mutex
//     on every registration, and the reply is sent only once it is on disk.
//     AccountsFile "" keeps accounts in memory. A malformed file stops Serve
//     (ErrBadAccountsFile). Config.HashCost sets the bcrypt cost (default
//     bcrypt.DefaultCost); tests, embedded conformance runs and `chatspec serve` pass
//     bcrypt.MinCost so that 100 registrations take milliseconds.
//   - Commands are case-sensitive exact words: "l", "rooms" and "exit" only
//     as the whole line; "c ", "j ", "r ", "s ", "m ", "b ", "bx " as the
//     first word. So "l foo" or "exit now" is a message.
//   - Room names: trimmed, 1-64 characters, no ',' ':' '[' ']' and no control
//     characters; case-sensitive. Rooms are never deleted, even when empty.
//     "Main Room" always exists. Joining a room one is in just makes it current.
//   - Leaving the current room makes Main Room current if still a member,
//     else the first remaining room in byte order, else none ("ERR no current
//     room" for messages and l). Main Room can be left.
//   - Broadcast: the text starts after the first ':' (one space skipped);
//     every listed room must be one of the sender's rooms, else nothing is
//     sent. Rooms are de-duplicated; the current room is sent first, then the
//     listed rooms in the order given. A member of several target rooms gets
//     one labelled copy per room (P3); the sender gets none. "b" with no
//     current room sends to the listed rooms only.
//   - Empty messages are refused ("ERR empty message"). No history is kept.
//   - Every input line is cleaned before use: invalid UTF-8 becomes U+FFFD,
//     control characters other than tab (C0, DEL, C1) are removed.
//   - Lines over MaxLine (4096) bytes, not counting "\r\n": the error is sent
//     as soon as the bound is passed, and the rest of that line is read and
//     discarded in buffer-sized pieces; nothing of it is processed. A partial
//     line when the client closes is dropped.
//   - A client that does not read: its outgoing queue (WriteQueue chunks,
//     default 256) fills and it is disconnected, or a write passes its
//     deadline (WriteTimeout, default 10s); no other client waits for it.
//   - IdleTimeout (default none) closes a silent connection without a reply.
//   - A vanished client is removed from every room and list at once; its
//     account can log in again immediately.
//   - A panic while serving one connection is logged and closes only that
//     connection. Shutdown closes connections without a goodbye line.
//   - After BYE or a refusal the server half-closes and drains the client's
//     input for up to 2s, so the last line is not lost to a TCP reset.
//
// # Fault switches
//
// Faults (see FaultList and ParseFaults for the names used by --faults) each
// plant one realistic bug so the suite can prove it catches it: FaultList
// names each and the requirement it breaks. panic-on-long-room-name kills
// the whole process (a panic in a goroutine without recover) when "c" (or
// /create) is given a name over 200 bytes; the exit-on-* faults stop the
// server as a dying process would (Serve returns ErrExited). With no fault
// on, none of this code runs.
package patchat
