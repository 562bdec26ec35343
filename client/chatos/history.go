package chatos

import (
	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/chatos"
)

// recordSend files a message or a login as a typed transcript event.
func recordSend(log *transcript.Log, conn string, p wire.Packet) {
	switch m := p.(type) {
	case wire.Login:
		log.Identity(conn, transcript.EvBegin, transcript.TopicLogin, m.Nick)
	case wire.PublicMessage:
		log.Sent(conn, transcript.TopicPublic, "", nil, m.Text)
	case wire.PrivateMessage:
		log.Sent(conn, transcript.TopicPrivate, m.To, nil, m.Text)
	}
}

// recordReceive files a message, or the answer to a login, as a
// typed transcript event.
func recordReceive(log *transcript.Log, conn string, p wire.Packet) {
	switch m := p.(type) {
	case wire.LoginAccepted:
		log.Identity(conn, transcript.EvBegun, transcript.TopicLogin, m.Nick)
	case wire.LoginRefused:
		log.Identity(conn, transcript.EvEnded, transcript.TopicLogin, m.Nick)
	case wire.PublicMessage:
		log.Got(conn, transcript.TopicPublic, m.From, "", m.Text)
	case wire.PrivateMessage:
		log.Got(conn, transcript.TopicPrivate, m.From, "", m.Text)
	}
}
