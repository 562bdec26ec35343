package profile

import "strconv"

// Options returns the profile as its file's keys and values ("max-nick":
// "32"), every key present, so that a certificate quotes exactly the
// choices the server was judged against.
func (p Profile) Options() map[string]string {
	return map[string]string{
		"max-nick":     strconv.Itoa(p.MaxNick),
		"idle-timeout": p.IdleTimeout.String(),
		"answer-order": p.AnswerOrder,
		"capacity":     strconv.Itoa(p.Capacity),
		"long-wait":    p.LongWait.String(),
	}
}
