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

// presented is what a connection asked to be with its 10: owner's half of
// the private connection of connect id with the nickname with.
type presented struct {
	id          int64
	owner, with string
}

// Present sends 10 with a connect id on a fresh connection, as owner's half
// of a private connection with the nickname with ("" when nobody is
// expected). The history records it as a bridge identity from now on,
// confirmed when 11 arrives.
func (c *Client) Present(id int64, owner, with string) error {
	c.mu.Lock()
	c.bridge = &presented{id: id, owner: owner, with: with}
	c.mu.Unlock()
	c.log.Bridge(c.Name, transcript.EvBegin, id, owner, with)
	return c.Send(wire.PresentID{ID: id})
}

// recordEstablished files an 11 as the confirmation of the connect id the
// connection presented (c.mu is held).
func (c *Client) recordEstablished(p wire.Packet) {
	if _, ok := p.(wire.Established); ok && c.bridge != nil {
		c.log.Bridge(c.Name, transcript.EvBegun, c.bridge.id, c.bridge.owner, c.bridge.with)
	}
}
