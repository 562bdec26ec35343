package patchat

import "regexp"

// RoomMessage is one unsolicited room message found by a recogniser: the
// sender, the text, the room when the server shows it, and the raw text the
// recogniser matched.
type RoomMessage struct {
	From string
	Text string
	Room string
	Raw  string
}

// cutMessages removes every complete recogniser match from buf, leftmost
// first, and returns the shortened buffer and the messages in stream order.
// buf[fresh:] is the text that just arrived (everything before it was
// scanned already, so each recogniser starts where its shape says a new
// match can start). After a cut, the search resumes at the cut point, so one
// pass costs about one scan of buf per recogniser. Zero-length matches are
// ignored.
func cutMessages(buf []byte, fresh int, recs []Recogniser) ([]byte, []RoomMessage) {
	if len(recs) == 0 {
		return buf, nil
	}
	var out []RoomMessage
	next := make([][]int, len(recs)) // cached match per recogniser, absolute offsets
	for i := range recs {
		next[i] = find(recs[i].re, buf, recs[i].shape.scanFrom(buf, fresh))
	}
	for {
		best := -1
		for i, loc := range next {
			if loc != nil && (best < 0 || loc[0] < next[best][0]) {
				best = i
			}
		}
		if best < 0 {
			return buf, out
		}
		loc := next[best]
		out = append(out, message(recs[best].re, buf, loc))
		start, end := loc[0], loc[1]
		buf = append(buf[:start], buf[end:]...)
		for i := range next {
			next[i] = shift(recs[i].re, buf, next[i], start, end)
		}
	}
}

// find returns the first non-empty match of re in buf at or after from.
func find(re *regexp.Regexp, buf []byte, from int) []int {
	for from <= len(buf) {
		loc := re.FindSubmatchIndex(buf[from:])
		if loc == nil {
			return nil
		}
		for j := range loc {
			if loc[j] >= 0 {
				loc[j] += from
			}
		}
		if loc[1] > loc[0] {
			return loc
		}
		from = loc[0] + 1
	}
	return nil
}

// shift updates a cached match after buf[start:end] was cut: matches after
// the cut move left, overlapping ones are searched again from start.
func shift(re *regexp.Regexp, buf []byte, loc []int, start, end int) []int {
	if loc == nil {
		return nil
	}
	if loc[0] < end {
		return find(re, buf, start)
	}
	for j := range loc {
		if loc[j] >= 0 {
			loc[j] -= end - start
		}
	}
	return loc
}

// message builds a RoomMessage from a match.
func message(re *regexp.Regexp, buf []byte, loc []int) RoomMessage {
	m := RoomMessage{Raw: string(buf[loc[0]:loc[1]])}
	for i, name := range re.SubexpNames() {
		if loc[2*i] < 0 {
			continue
		}
		v := string(buf[loc[2*i]:loc[2*i+1]])
		switch name {
		case "from":
			m.From = v
		case "text":
			m.Text = v
		case "room":
			m.Room = v
		}
	}
	return m
}
