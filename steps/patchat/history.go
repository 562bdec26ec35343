package patchat

import (
	pclient "github.com/chatspec/chatspec/client/patchat"
	"strings"

	"github.com/chatspec/chatspec/transcript"
	wire "github.com/chatspec/chatspec/wire/patchat"
)

// This file files the meaning of each action as typed transcript events
// (messages written, logins and room memberships asked for and confirmed)
// and, when the scenario ends, every room message each connection
// received, so that the history checker can judge the whole run.

// nameOf is the transcript name of a session's connection.
func (w *world) nameOf(s *pclient.Session) string {
	return s.Name()
}

// recordAction files what an action asks for before it runs, and returns
// the function that files the server's answer.
func (w *world) recordAction(s *pclient.Session, action string, vars wire.Vars) func(wire.Result, error) {
	conn := w.nameOf(s)
	log := w.Log
	if conn == "" {
		return func(wire.Result, error) {}
	}
	topic, key := identityOf(action, vars)
	switch {
	case action == wire.ActionSay || action == wire.ActionBroadcast:
		log.Sent(conn, transcript.TopicRoom, "", nil, vars[wire.VarText]) // the current room: judged by label
	case action == wire.ActionBroadcastOthers:
		log.Sent(conn, transcript.TopicRoom, "", w.splitRooms(vars[wire.VarRooms]), vars[wire.VarText])
	case action == wire.ActionLeave || action == wire.ActionExit:
		log.Identity(conn, transcript.EvEnd, topic, key)
	case topic != "":
		log.Identity(conn, transcript.EvBegin, topic, key)
	}
	if action == wire.ActionLogin { // the document puts a user in the Main Room at login (6.1)
		log.Identity(conn, transcript.EvBegin, transcript.TopicMember, MainRoom)
	}
	return func(res wire.Result, err error) { w.recordAnswer(conn, action, topic, key, res, err) }
}

// recordAnswer files the server's answer to an action.
func (w *world) recordAnswer(conn, action, topic, key string, res wire.Result, err error) {
	log := w.Log
	switch {
	case err != nil, topic == "" && action != wire.ActionExit && !isMessage(action):
	case isMessage(action):
		if !res.Refused {
			log.Acked(conn)
		}
	case action == wire.ActionLogin && res.Refused:
		log.Identity(conn, transcript.EvEnded, topic, key)
		log.Identity(conn, transcript.EvEnded, transcript.TopicMember, MainRoom)
	case action == wire.ActionLeave || action == wire.ActionExit || res.Refused:
		log.Identity(conn, transcript.EvEnded, topic, key)
	case action == wire.ActionLogin:
		log.Identity(conn, transcript.EvBegun, topic, key)
		room := res.Vars[wire.VarRoom] // where the server says it put the user; begun at the login if it is not the Main Room
		if room == "" {
			room = MainRoom
		}
		log.Identity(conn, transcript.EvBegun, transcript.TopicMember, room)
	case topic != "":
		log.Identity(conn, transcript.EvBegun, topic, key)
	}
}

// isMessage tells the actions that write a room message.
func isMessage(action string) bool {
	return action == wire.ActionSay || action == wire.ActionBroadcast || action == wire.ActionBroadcastOthers
}

// identityOf is the identity an action asks for or gives up.
func identityOf(action string, vars wire.Vars) (topic, key string) {
	switch action {
	case wire.ActionLogin:
		return transcript.TopicLogin, vars[wire.VarUser]
	case wire.ActionCreate, wire.ActionJoin, wire.ActionLeave:
		return transcript.TopicMember, vars[wire.VarRoom]
	}
	return "", "" // exit ends every identity of the connection""
}

// splitRooms cuts a {rooms} input at the dialect's separator.
func (w *world) splitRooms(list string) []string {
	var out []string
	for _, r := range strings.Split(list, w.d.RoomsSeparator) {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// recordReceived files every room message each connection received, in
// order, then its end; called once the scenario is over.
func (w *world) recordReceived() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, s := range w.sess {
		name := s.Name()
		for _, m := range s.Messages() {
			w.Log.Got(name, transcript.TopicRoom, m.From, m.Room, m.Text)
		}
		w.Log.Identity(name, transcript.EvEnded, "", "")
	}
}
