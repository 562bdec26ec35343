// Package chatos is the reference ChatOS (COP) server bundled with chatspec:
// the server the conformance suite runs against when no target is given, and
// the one whose fault switches prove the suite can fail.
//
// It is built as a pure core (core.go, core_private.go: nicknames, pending
// private-connection requests and connect ids, a state machine with no I/O)
// and a network loop (server.go, conn.go, bridge.go) that reads frames with
// the capped streaming Reader of wire/chatos, feeds them to the core and
// carries out what it returns. Serve is the entry point.
//
// # Choices where the document leaves it to the server (readings in catalog/readings.md)
//
//   - Nicknames (A7): at most Config.MaxNick bytes (default 32), made of the
//     characters of Config.NickChars (default ASCII letters, digits, '_' and
//     '-'); empty nicknames are refused. A nickname whose String is longer
//     than Config.MaxString (default 8192 bytes, e.g. a 64 KiB nickname)
//     closes the connection instead of earning a 2 (COP-2.1-2 allows both).
//   - Refused login: 2 carries the refused nickname (A6, COP-3.4-2) and the
//     connection stays open, not logged in; the client may try another name.
//   - Second login on a logged-in connection: refused with 2 carrying the
//     nickname asked for; the connection keeps its first nickname.
//   - Packets before login other than 0 (and 10 as the very first packet)
//     close the connection, as do unknown opcodes, malformed frames
//     (negative, over-cap or lying lengths, invalid UTF-8) and, after login,
//     packets only a server sends (1, 2, 6, 9, 10, 11). Nothing is sent
//     before such a close: the document's "ERROR packet" has no opcode (A4).
//   - Sender naming (COP-2.3-1): the from field of 3, 4 and 5 is replaced by
//     the connection's login; the answerer's own field in 7/8 is ignored.
//   - Over-long messages (A8): a 4 or 5 whose text has more than
//     Config.MaxMessage code points (default 512) is dropped: delivered to
//     no one, nothing sent back, the connection stays open.
//   - Public messages (A9): delivered to every logged-in client including the
//     sender (Config.EchoPublic, true in DefaultConfig).
//   - Unknown user (A6): 6 carries the nickname that was not found, for a 5
//     or a 3 addressed to a nickname that is not logged in.
//   - Field order of 7/8 (A11): Config.AnswerOrder, "request" (requester,
//     receiver; default) or "reversed" (answerer, requester). The 7/8
//     forwarded to the requester uses the same order; 9 is always (requester,
//     receiver, id) and goes to the requester, then the receiver. A 7/8 that
//     matches no pending request is ignored (COP-3.5-11). A repeated 3 for the
//     same pair is forwarded again and stays one pending request.
//   - Connect ids: positive, drawn from crypto/rand, never reused while alive;
//     an id is spent once two connections presented it. A client holds at
//     most 16 unbridged ids; a 17th drops its oldest. An id never issued, one
//     already spent, or one dropped, closes the presenting connection without
//     11. Bytes a half sends before its 11 are kept (up to 64 KiB) and
//     relayed once the bridge opens.
//   - Bridges (A10): raw bytes relayed both ways, never parsed. When either
//     half closes, the other is closed. When either owner's main connection
//     closes, its pending requests and ids are dropped and its bridges closed
//     (waiting or established), so "departure" is visible as closes (A5);
//     no departure packet is sent (none is defined).
//   - Idle timeout (COP-5-2): Config.IdleTimeout (default 300 s) without a
//     complete packet closes a connection. The first half of a bridge waits
//     at most that long for the second; an established bridge that moves no
//     byte in either direction for that long is closed.
//   - Slow clients (COP-R-4): each client has a queue of Config.QueueLen
//     frames (default 1024, DefaultQueueLen) drained by its own writer goroutine; every write
//     has a deadline of Config.WriteTimeout (default 10 s). A client whose
//     queue is full, or whose write times out, is disconnected; nobody else
//     ever waits for it.
//   - Connection limit: Config.MaxConns (default 1000) open TCP connections,
//     main and bridge halves alike; the next one is accepted and closed at
//     once, with no byte sent.
//   - Shutdown: cancelling Serve's context closes the listener and every
//     connection, waits for every goroutine, and Serve returns nil.
//   - Robustness: each connection goroutine recovers from a panic by closing
//     that connection only (the PanicOnEmptyRecipient fault deliberately
//     bypasses this). Logs go to Config.Logger (log/slog), discarded when nil.
//
// # Faults
//
// Faults (see FaultNames and ParseFaults) switch on one realistic bug each,
// for the suite's "proof that it can fail"; every fault is off by default.
// The exit-on-* faults stop the whole server as a dying process would
// (Serve returns ErrExited); panic-on-empty-recipient really kills it.
package chatos
