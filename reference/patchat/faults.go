package patchat

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownFault means ParseFaults was given a name that is not in FaultList.
var ErrUnknownFault = errors.New("patchat: unknown fault")

// Faults switches on deliberate bugs, so that a conformance suite can prove it
// notices each one. All false (the zero value) is the correct server.
type Faults struct {
	HistoryOnJoin          bool // the last 20 messages of a room are replayed on join and on login (PAT-6.3-4)
	LeakToOtherRoom        bool // a room message goes to every logged-in user, members or not (PAT-1-1)
	LeaverStillReceives    bool // r NAME says OK but the room keeps delivering to the leaver (PAT-6.4-1)
	AcceptWrongPassword    bool // login accepts any password for an existing user (PAT-4.4-2)
	DuplicateUsername      bool // register of an existing name says OK and replaces its password (PAT-4.4-4)
	SilentDropOverCapacity bool // the connection over capacity is accepted and never answered (PAT-3-6)
	UnlabelledDuplicates   bool // a broadcast labels every copy with the first target room (PAT-1-2, P3)
	RawControlBytes        bool // invalid UTF-8 and control bytes are relayed as received (PAT-R-2)
	ListAllUsers           bool // l lists every logged-in user, not just the current room's (PAT-6.2-1)
	VanishedStaysListed    bool // a client that drops without exit stays listed in its rooms (PAT-4.6-2)
	// PanicOnLongRoomName crashes the whole process (a panic in a goroutine
	// without recover) when c is given a name over 200 bytes: a target for fuzzers.
	PanicOnLongRoomName bool

	AccountsTrailingSpace  bool // register stores "name " so the new account cannot log in (PAT-4.4-1)
	ExitCommandKeepsSocket bool // exit says goodbye but never closes the socket (PAT-6.5-1)
	NoCapacityLimit        bool // every client is served, whatever the capacity (PAT-3-6)
	BareCloseOverCapacity  bool // the client over capacity is closed without a word (PAT-3-6)
	RejoinListedTwice      bool // a member who left and joined again is listed twice (PAT-6.2-1)
	BroadcastLastRoomOnly  bool // a broadcast reaches only the last of its rooms (PAT-1-2)
	SerialLogins           bool // one connection at a time goes through login: a silent one blocks the rest (PAT-4.5-1)
	ControlBytesRelayed    bool // lines with invalid UTF-8 are dropped, control bytes relayed raw (PAT-R-2)
	ExitOnLongLine         bool // the server exits on a line over its limit (PAT-R-1)
	AccountsNotSaved       bool // accounts live in memory only and are lost on restart (PAT-4.4-3)
	JoinMissingCreates     bool // j of a room that does not exist creates it (PAT-6.3-3)
	CreateExistingJoins    bool // c of an existing room joins it and says created (PAT-6.3-2)
	LoginOutsideMainRoom   bool // login says Main Room but puts the user in no room (PAT-6.1-1)
	ListMyRoomsOnly        bool // the room list has only the rooms the user is in (PAT-4.6-1)
	ExitCommandStaysListed bool // a user who exits stays listed in its rooms (PAT-6.5-1)
	BroadcastSkipsCurrent  bool // a broadcast never includes the current room (PAT-1-2)
	ExitOnVanish           bool // the server exits when a client drops without exit (PAT-4.6-2)
	SecondLoginAccepted    bool // an account can be logged in on two connections at once (PAT-4.4-5)
}

// FaultInfo describes one fault switch for help texts and reports.
type FaultInfo struct {
	Name        string // the name ParseFaults accepts
	Requirement string // the catalogue requirement it breaks ("" for the crash fault)
	Description string
}

type faultDef struct {
	FaultInfo
	field func(*Faults) *bool
}

var faultDefs = []faultDef{
	{FaultInfo{"history-on-join", "PAT-6.3-4", "the last 20 room messages are replayed to a new member"},
		func(f *Faults) *bool { return &f.HistoryOnJoin }},
	{FaultInfo{"leak-to-other-room", "PAT-1-1", "a room message also reaches users outside the room"},
		func(f *Faults) *bool { return &f.LeakToOtherRoom }},
	{FaultInfo{"leaver-still-receives", "PAT-6.4-1", "a user who left a room still receives its messages"},
		func(f *Faults) *bool { return &f.LeaverStillReceives }},
	{FaultInfo{"accept-wrong-password", "PAT-4.4-2", "login accepts a wrong password"},
		func(f *Faults) *bool { return &f.AcceptWrongPassword }},
	{FaultInfo{"duplicate-username", "PAT-4.4-4", "registering an existing username is accepted"},
		func(f *Faults) *bool { return &f.DuplicateUsername }},
	{FaultInfo{"silent-drop-over-capacity", "PAT-3-6", "the client over capacity is accepted and never answered"},
		func(f *Faults) *bool { return &f.SilentDropOverCapacity }},
	{FaultInfo{"unlabelled-duplicates", "PAT-1-2", "every broadcast copy carries the first room's label"},
		func(f *Faults) *bool { return &f.UnlabelledDuplicates }},
	{FaultInfo{"raw-control-bytes", "PAT-R-2", "invalid UTF-8 and control bytes are relayed unfiltered"},
		func(f *Faults) *bool { return &f.RawControlBytes }},
	{FaultInfo{"list-all-users", "PAT-6.2-1", "l lists the users of every room"},
		func(f *Faults) *bool { return &f.ListAllUsers }},
	{FaultInfo{"vanished-stays-listed", "PAT-4.6-2", "a dropped client stays listed in its rooms"},
		func(f *Faults) *bool { return &f.VanishedStaysListed }},
	{FaultInfo{"panic-on-long-room-name", "", "c with a name over 200 bytes crashes the whole process"},
		func(f *Faults) *bool { return &f.PanicOnLongRoomName }},
	{FaultInfo{"accounts-trailing-space", "PAT-4.4-1", "register stores the name with a trailing space: new accounts cannot log in"},
		func(f *Faults) *bool { return &f.AccountsTrailingSpace }},
	{FaultInfo{"exit-command-keeps-socket", "PAT-6.5-1", "exit says goodbye and leaves the socket open"},
		func(f *Faults) *bool { return &f.ExitCommandKeepsSocket }},
	{FaultInfo{"no-capacity-limit", "PAT-3-6", "clients beyond the capacity are served"},
		func(f *Faults) *bool { return &f.NoCapacityLimit }},
	{FaultInfo{"bare-close-over-capacity", "PAT-3-6", "the client beyond the capacity is closed without a word"},
		func(f *Faults) *bool { return &f.BareCloseOverCapacity }},
	{FaultInfo{"rejoin-listed-twice", "PAT-6.2-1", "a member who left and joined again is listed twice"},
		func(f *Faults) *bool { return &f.RejoinListedTwice }},
	{FaultInfo{"broadcast-last-room-only", "PAT-1-2", "a broadcast reaches only the last room chosen"},
		func(f *Faults) *bool { return &f.BroadcastLastRoomOnly }},
	{FaultInfo{"serial-logins", "PAT-4.5-1", "logins are served one at a time: a silent client blocks the next"},
		func(f *Faults) *bool { return &f.SerialLogins }},
	{FaultInfo{"control-bytes-relayed", "PAT-R-2", "control bytes in valid UTF-8 are relayed raw"},
		func(f *Faults) *bool { return &f.ControlBytesRelayed }},
	{FaultInfo{"exit-on-long-line", "PAT-R-1", "a line over the limit makes the server exit"},
		func(f *Faults) *bool { return &f.ExitOnLongLine }},
	{FaultInfo{"accounts-not-saved", "PAT-4.4-3", "accounts are kept in memory only"},
		func(f *Faults) *bool { return &f.AccountsNotSaved }},
	{FaultInfo{"join-missing-creates", "PAT-6.3-3", "joining a room that does not exist creates it"},
		func(f *Faults) *bool { return &f.JoinMissingCreates }},
	{FaultInfo{"create-existing-joins", "PAT-6.3-2", "creating a room that exists joins it"},
		func(f *Faults) *bool { return &f.CreateExistingJoins }},
	{FaultInfo{"login-outside-main-room", "PAT-6.1-1", "after login the user is in no room"},
		func(f *Faults) *bool { return &f.LoginOutsideMainRoom }},
	{FaultInfo{"list-my-rooms-only", "PAT-4.6-1", "the room list has only the user's own rooms"},
		func(f *Faults) *bool { return &f.ListMyRoomsOnly }},
	{FaultInfo{"exit-command-stays-listed", "PAT-6.5-1", "a user who exits stays listed in its rooms"},
		func(f *Faults) *bool { return &f.ExitCommandStaysListed }},
	{FaultInfo{"broadcast-skips-current", "PAT-1-2", "a broadcast leaves out the current room"},
		func(f *Faults) *bool { return &f.BroadcastSkipsCurrent }},
	{FaultInfo{"exit-on-vanish", "PAT-4.6-2", "a client that drops without exit makes the server exit"},
		func(f *Faults) *bool { return &f.ExitOnVanish }},
	{FaultInfo{"second-login-accepted", "PAT-4.4-5", "an account can be logged in twice at once"},
		func(f *Faults) *bool { return &f.SecondLoginAccepted }},
}

// FaultList returns every fault switch, in a fixed order.
func FaultList() []FaultInfo {
	out := make([]FaultInfo, len(faultDefs))
	for i, d := range faultDefs {
		out[i] = d.FaultInfo
	}
	return out
}

// FaultNames returns the names ParseFaults accepts, in a fixed order.
func FaultNames() []string {
	out := make([]string, len(faultDefs))
	for i, d := range faultDefs {
		out[i] = d.Name
	}
	return out
}

// ParseFaults turns a comma-separated list of fault names ("a,b") into Faults.
// Blank items are ignored; an unknown name is an error wrapping ErrUnknownFault.
func ParseFaults(s string) (Faults, error) {
	var f Faults
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		p := faultField(&f, name)
		if p == nil {
			return Faults{}, fmt.Errorf("%w: %q (known: %s)", ErrUnknownFault, name, strings.Join(FaultNames(), ", "))
		}
		*p = true
	}
	return f, nil
}

func faultField(f *Faults, name string) *bool {
	for _, d := range faultDefs {
		if d.Name == name {
			return d.field(f)
		}
	}
	return nil
}

// Names returns the names of the switches that are on, in FaultList order.
func (f Faults) Names() []string {
	var out []string
	for _, d := range faultDefs {
		if *d.field(&f) {
			out = append(out, d.Name)
		}
	}
	return out
}

// String returns the switches that are on as ParseFaults accepts them.
func (f Faults) String() string { return strings.Join(f.Names(), ",") }
