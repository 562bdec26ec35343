package chatos

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownFault is returned (wrapped) by ParseFaults for a name it does not know.
var ErrUnknownFault = errors.New("unknown fault")

// Faults switches on deliberate, realistic bugs in the reference server. A
// conformance suite run against a server with a fault enabled must fail the
// requirement the fault breaks: that is the proof the suite can fail. All
// are off in a zero value; each is reachable only through its own switch.
type Faults struct {
	DuplicateNick         bool // a taken nickname is accepted (COP-2.1-1)
	SenderFromPacket      bool // relayed packets carry the packet's from field (COP-2.3-1)
	NoUnknownUser         bool // no 6 for unknown recipients: silently dropped (COP-3.7-2, COP-3.5-2)
	PrivateToAll          bool // private messages copied to every logged-in client (COP-2.4-1)
	OneReadOneFrame       bool // each TCP read is taken as exactly one frame (COP-3.1-2)
	EarlyEstablished      bool // 11 sent as soon as the first side presents the id (COP-3.5-6)
	SequentialIDs         bool // connect ids 1, 2, 3... (COP-3.5-10)
	BridgeAltersBytes     bool // the bridge upper-cases ASCII letters (COP-2.6-1)
	LongMessageDelivered  bool // messages over MaxMessage code points are delivered (COP-2.3-2)
	NoCloseBeforeLogin    bool // packets before login are ignored, not closed on (COP-5-1)
	ReusableIDs           bool // a connect id can be claimed again after use (COP-3.5-9)
	RefusalWrongNick      bool // 2 carries an empty nickname (COP-3.4-2)
	PanicOnEmptyRecipient bool // a 5 with an empty recipient crashes the whole process (fuzzer target)

	ExitOnUnknownOpcode   bool // the server exits on an undefined opcode (COP-3.3-1)
	ExitOnUnknownID       bool // the server exits when a never-issued connect id is presented (COP-3.5-8)
	ExitOnLongString      bool // the server exits on a String length over its internal limit (COP-R-1)
	ExitOnHalfFrame       bool // the server exits when a client hangs up inside a frame (COP-R-2)
	IDsFromZero           bool // connect ids 0, 1, 2... (COP-3.5-10)
	AcceptNotForwarded    bool // 7 is not forwarded: the requester only gets the 9 (COP-3.5-4)
	RefusalNotForwarded   bool // 8 is not forwarded to the requester (COP-3.5-3)
	IDToRequesterOnly     bool // 9 goes to the requester only (COP-3.5-5)
	UnknownIDJoinsWaiting bool // a never-issued id is bridged with whichever half is waiting (COP-3.5-8)
	SpentIDJoinsWaiting   bool // a spent id is bridged with whichever half is waiting (COP-3.5-9)
	PartialFrameBlocksAll bool // one server-wide lock is held from a frame's first byte to its last (COP-R-4)
	BlockingWrites        bool // a full outgoing queue blocks the whole server, and writes have no deadline (COP-R-4)
	TruncateLongMessage   bool // a message over MaxMessage is cut to MaxMessage and delivered (COP-2.3-2)
	Opcode12Extension     bool // opcode 12 is a private extension: skipped, connection kept (COP-3.3-1)
	IgnoreUnknownOpcode   bool // an undefined opcode byte is skipped, connection kept (COP-3.3-1)
	NickNotReleased       bool // a departed client's nickname stays taken (COP-4-1)
	BridgeOutlivesPeer    bool // a bridge half stays open after its peer or owner left (COP-4-1)
	PublicToAnonymous     bool // public messages also reach connections that never logged in (COP-2.5-1)
}

// faultTable names each switch; the order is the order of FaultNames.
var faultTable = []struct {
	name string
	flag func(*Faults) *bool
}{
	{"duplicate-nick", func(f *Faults) *bool { return &f.DuplicateNick }},
	{"sender-from-packet", func(f *Faults) *bool { return &f.SenderFromPacket }},
	{"no-unknown-user", func(f *Faults) *bool { return &f.NoUnknownUser }},
	{"private-to-all", func(f *Faults) *bool { return &f.PrivateToAll }},
	{"one-read-one-frame", func(f *Faults) *bool { return &f.OneReadOneFrame }},
	{"early-established", func(f *Faults) *bool { return &f.EarlyEstablished }},
	{"sequential-ids", func(f *Faults) *bool { return &f.SequentialIDs }},
	{"bridge-alters-bytes", func(f *Faults) *bool { return &f.BridgeAltersBytes }},
	{"long-message-delivered", func(f *Faults) *bool { return &f.LongMessageDelivered }},
	{"no-close-before-login", func(f *Faults) *bool { return &f.NoCloseBeforeLogin }},
	{"reusable-ids", func(f *Faults) *bool { return &f.ReusableIDs }},
	{"refusal-wrong-nick", func(f *Faults) *bool { return &f.RefusalWrongNick }},
	{"panic-on-empty-recipient", func(f *Faults) *bool { return &f.PanicOnEmptyRecipient }},
	{"exit-on-unknown-opcode", func(f *Faults) *bool { return &f.ExitOnUnknownOpcode }},
	{"exit-on-unknown-id", func(f *Faults) *bool { return &f.ExitOnUnknownID }},
	{"exit-on-long-string", func(f *Faults) *bool { return &f.ExitOnLongString }},
	{"exit-on-half-frame", func(f *Faults) *bool { return &f.ExitOnHalfFrame }},
	{"ids-from-zero", func(f *Faults) *bool { return &f.IDsFromZero }},
	{"accept-not-forwarded", func(f *Faults) *bool { return &f.AcceptNotForwarded }},
	{"refusal-not-forwarded", func(f *Faults) *bool { return &f.RefusalNotForwarded }},
	{"id-to-requester-only", func(f *Faults) *bool { return &f.IDToRequesterOnly }},
	{"unknown-id-joins-waiting", func(f *Faults) *bool { return &f.UnknownIDJoinsWaiting }},
	{"spent-id-joins-waiting", func(f *Faults) *bool { return &f.SpentIDJoinsWaiting }},
	{"partial-frame-blocks-all", func(f *Faults) *bool { return &f.PartialFrameBlocksAll }},
	{"blocking-writes", func(f *Faults) *bool { return &f.BlockingWrites }},
	{"truncate-long-message", func(f *Faults) *bool { return &f.TruncateLongMessage }},
	{"opcode-12-extension", func(f *Faults) *bool { return &f.Opcode12Extension }},
	{"ignore-unknown-opcode", func(f *Faults) *bool { return &f.IgnoreUnknownOpcode }},
	{"nick-not-released", func(f *Faults) *bool { return &f.NickNotReleased }},
	{"bridge-outlives-peer", func(f *Faults) *bool { return &f.BridgeOutlivesPeer }},
	{"public-to-anonymous", func(f *Faults) *bool { return &f.PublicToAnonymous }},
}

// FaultNames lists every fault name ParseFaults accepts, in kebab case.
func FaultNames() []string {
	names := make([]string, len(faultTable))
	for i, f := range faultTable {
		names[i] = f.name
	}
	return names
}

// ParseFaults enables the faults named in a comma-separated list. Names match
// without regard to case, '-' or '_' ("duplicate-nick", "DuplicateNick").
// An empty list enables nothing.
func ParseFaults(list string) (Faults, error) {
	var f Faults
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		flag := lookupFault(&f, name)
		if flag == nil {
			return Faults{}, fmt.Errorf("%w: %q (known: %s)", ErrUnknownFault, name, strings.Join(FaultNames(), ", "))
		}
		*flag = true
	}
	return f, nil
}

func lookupFault(f *Faults, name string) *bool {
	key := normalFaultName(name)
	for _, e := range faultTable {
		if normalFaultName(e.name) == key {
			return e.flag(f)
		}
	}
	return nil
}

func normalFaultName(s string) string {
	return strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(s))
}

// Names lists the faults that are on, in FaultNames order.
func (f Faults) Names() []string {
	var on []string
	for _, e := range faultTable {
		if *e.flag(&f) {
			on = append(on, e.name)
		}
	}
	return on
}
