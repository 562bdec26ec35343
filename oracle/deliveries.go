package oracle

import (
	"fmt"

	"github.com/chatspec/chatspec/results"
)

// pairKey is one (message, receiver, room label) delivery.
type pairKey struct {
	msg, conn int32
	room      string
}

// deliveries walks every delivery in time order and reports leaks,
// duplicates, reorderings and corrupted or invented texts. It returns the
// first delivery of each (message, receiver) pair.
func (c *checker) deliveries() *pairs {
	first := newPairs(len(c.h.Messages), len(c.h.Conns))
	last := newPairs(len(c.h.Conns), len(c.h.Conns)) // (receiver, sender): the latest-sent message's delivery
	rooms := map[pairKey]int32{}                     // further room labels of one pair (a copy per room)
	for i := range c.h.Deliveries {
		d := &c.h.Deliveries[i]
		switch {
		case d.Msg == results.NoMessage:
			c.unknown(int32(i))
			continue
		case d.Msg < 0 || !c.judged[d.Msg]:
			continue
		}
		if j := first.get(d.Msg, d.Conn); j >= 0 {
			if k, dup := c.again(rooms, j, int32(i)); dup {
				c.out.Duplicated++
				c.report(KindDuplicate, k, int32(i), "it had already been delivered to this connection")
				continue
			}
		} else {
			first.set(d.Msg, d.Conn, int32(i))
		}
		c.judge(int32(i))
		c.order(last, int32(i))
	}
	return first
}

// again decides whether delivery i repeats an earlier one of its pair
// (first delivery j): a copy labelled with another room is no repeat.
func (c *checker) again(rooms map[pairKey]int32, j, i int32) (int32, bool) {
	d := &c.h.Deliveries[i]
	if c.h.Deliveries[j].Room == d.Room {
		return j, true
	}
	k := pairKey{d.Msg, d.Conn, d.Room}
	if prev, ok := rooms[k]; ok {
		return prev, true
	}
	rooms[k] = i
	return -1, false
}

// judge checks one first delivery: its class and its text.
func (c *checker) judge(i int32) {
	d := &c.h.Deliveries[i]
	c.out.Judged++
	if cl := c.Classify(d.Msg, d.Conn, d.Room); cl == MustNot {
		c.report(KindLeak, -1, i, c.whyNot(d))
	}
	m := &c.h.Messages[d.Msg]
	if nick := c.nickAt(m.Conn, m.At); d.From != "" && nick != "" && d.From != nick {
		c.report(KindForged, -1, i, fmt.Sprintf("it names %q as its sender; %q wrote it", d.From, nick))
	}
}

// order reports a message delivered after a later message of the same
// sender (per-sender order, a SHOULD).
func (c *checker) order(last *pairs, i int32) {
	d := &c.h.Deliveries[i]
	m := &c.h.Messages[d.Msg]
	j := last.get(d.Conn, m.Conn)
	if j < 0 || c.h.Messages[c.h.Deliveries[j].Msg].Seq < m.Seq {
		last.set(d.Conn, m.Conn, i)
		return
	}
	if later := &c.h.Messages[c.h.Deliveries[j].Msg]; later.Seq > m.Seq {
		c.report(KindOrder, j, i, fmt.Sprintf("its sender wrote it before %q, which arrived first", short(later.Text)))
	}
}

// unknown judges a delivery whose text no client wrote: corrupted when it
// resembles a message of the sender it names, invented otherwise.
func (c *checker) unknown(i int32) {
	d := &c.h.Deliveries[i]
	best := c.resembles(d)
	if best >= 0 && !c.judged[best] {
		return // a copy of a text its own scenario judges (malformed, overlong)
	}
	if best >= 0 {
		c.reportAs(KindCorrupted, -1, i, best, fmt.Sprintf("its text %q is not the text written, %q",
			short(d.Text), short(c.h.Messages[best].Text)))
		return
	}
	c.report(KindInvented, -1, i, fmt.Sprintf("no client wrote the text %q", short(d.Text)))
}

// resemblance is how long a common prefix makes a text a corrupted copy.
const resemblance = 8

// maxResemble bounds the unknown deliveries compared with every message.
const maxResemble = 200

// resembles returns the message sharing the longest prefix (at least
// resemblance bytes) with an unknown delivery's text, or -1.
func (c *checker) resembles(d *results.Delivery) int32 {
	if c.out.unknownSeen++; c.out.unknownSeen > maxResemble {
		return -1
	}
	best, bestLen := int32(-1), resemblance-1
	for i := range c.h.Messages {
		n := commonPrefix(c.h.Messages[i].Text, d.Text)
		if n > bestLen {
			best, bestLen = int32(i), n
		}
	}
	return best
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// lost reports every MUST pair that was never delivered.
func (c *checker) lost(got *pairs) {
	for m := range c.h.Messages {
		if !c.judged[m] {
			continue
		}
		for conn := range c.h.Conns {
			if got.get(int32(m), int32(conn)) >= 0 || c.Classify(int32(m), int32(conn), "") != Must {
				continue
			}
			c.out.Lost++
			c.reportLost(int32(m), int32(conn))
		}
	}
}
