// Package patchat is the Pat Chat dialect engine: the one place in chatspec
// that turns a Pat Chat server's text into events.
//
// The Pat Chat document fixes behaviour but not wording, so chatspec drives a
// server through a dialect: a YAML file that says, for each action (login,
// join, say, ...), which lines to send and which regular expressions
// recognise the replies, plus recognisers for unsolicited room messages.
// Parse and Check load and validate such files (Check reports each problem
// with its line and column); Engine runs the actions over a byte stream (client/patchat gives it a
// connection).
//
// The engine matches a stream, not lines (reading P1): replies may be
// unterminated, several may arrive in one read, and one may be split across
// reads. A single reader goroutine appends what arrives to a bounded buffer
// (Options.MaxBuffer); every complete room-message match anywhere in it is cut
// out and queued as a RoomMessage, so messages interleaved with a reply never
// break an expectation. The pending expectation is then matched against what
// remains; the text before its match is kept as Result.Skipped. When a
// refuse alternative matches earlier in the stream than the expect, the
// action stops with Result.Refused (a tie goes to the expect).
//
// Recognisers see text as it arrives: a new message must end in text that
// just arrived, so each read rescans only from where such a match can start
// (worked out from the pattern: for a line-shaped recogniser such as
// '[^\n]*\n' that is the start of the current line, and text without a
// newline is not rescanned at all). This keeps a hostile server that fills
// the buffer to a few milliseconds of work per MiB.
//
// Placeholders: a send line or a pattern may contain {name} (a variable) or
// {name|re}. Values are data, never patterns: inside an expect or refuse
// pattern every value is regex-escaped, whether or not |re is written (|re
// only makes the intent visible). In a send line values are inserted
// verbatim, and a value containing a carriage return or line feed is refused
// with ErrValueHasNewline, so one action can never smuggle a second command.
// In a send line "{{" stands for a literal "{"; in a pattern a backslash
// escape such as \{ is left to the regular expression.
package patchat
