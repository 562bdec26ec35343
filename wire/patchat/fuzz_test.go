package patchat

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// FuzzSession plays hostile server text against both test dialects: the
// engine must never panic, and the unconsumed text never exceeds its cap.
// The server closes after writing, so every wait ends without a deadline.
func FuzzSession(f *testing.F) {
	f.Add([]byte("HELLO x\nOK welcome u\nROOM you are in Main Room\n[a] b: c\nOK joined r\nOK sent\n"), uint8(3), false)
	f.Add([]byte("Welcome  > username: password: Logged in. You are now in the Main Room.  > 1) r  pick: Joined r.  > > "), uint8(1), true)
	f.Add([]byte("(a) <b> c\n(y/n): (x) <y> z\n1) Main Room  2) r  pick: No.  > "), uint8(7), true)
	f.Add([]byte("\xff\x00[\n]\n[[a] : \n"), uint8(0), false)
	f.Fuzz(func(t *testing.T, data []byte, split uint8, menu bool) {
		const maxBuf = 256
		recog, acts := lineMessages, lineActions()
		if menu {
			recog, acts = menuMessages, menuActions()
		}
		d := mustDialect(t, "10s", recog, acts)
		c, srv := duplex()
		s := NewEngine(c, d, Options{MaxBuffer: maxBuf, MaxLog: 4096})
		s.Start()
		defer s.Close()
		go func() { _, _ = io.Copy(io.Discard, srv) }() // swallow what the client sends
		go func() {
			defer srv.Close()
			step := int(split)%16 + 1
			for i := 0; i < len(data); i += step {
				if _, err := srv.Write(data[i:min(i+step, len(data))]); err != nil {
					return
				}
			}
		}()
		ctx := context.Background()
		vars := Vars{VarUser: "u", VarPassword: "p", VarRoom: "r", VarText: "t"}
		for _, a := range []string{ActionGreeting, ActionLogin, ActionJoin, ActionSay, ActionListUsers} {
			_, err := s.Do(ctx, a, vars)
			if err != nil && !errors.Is(err, ErrClosed) && !errors.Is(err, ErrBufferFull) {
				t.Fatalf("action %s: unexpected error %v", a, err)
			}
			if n := len(s.Unconsumed()); n > maxBuf {
				t.Fatalf("buffer holds %d bytes, cap %d", n, maxBuf)
			}
		}
		for {
			if _, err := s.WaitMessage(ctx, nil); err != nil {
				break
			}
		}
	})
}

// FuzzCheck feeds arbitrary YAML to Check: it must never panic, and a file
// without problems must parse into a dialect with every required action.
func FuzzCheck(f *testing.F) {
	f.Add([]byte(dialectYAML("2s", lineMessages, lineActions())))
	f.Add([]byte(dialectYAML("1s", menuMessages, menuActions())))
	f.Add([]byte("x: &a [*a]\n"))
	f.Add([]byte("actions: {join: [{expect: '{room|re}(', refuse: 1, on_refuse: [{when: 2}]}]}\n"))
	for _, name := range []string{"reference.yaml", "menu.yaml"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "dialects", name)); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		probs := Check(data, "f.yaml")
		d, err := Parse(data, "f.yaml")
		if len(probs) > 0 {
			if err == nil {
				t.Fatal("Check found problems but Parse accepted the file")
			}
			return
		}
		if err != nil {
			t.Fatalf("Check found nothing but Parse failed: %v", err)
		}
		for _, a := range RequiredActions {
			if d.Actions[a] == nil {
				t.Fatalf("accepted dialect lacks action %s", a)
			}
		}
	})
}

// FuzzCutMessages checks the incremental scan against a scan of the whole
// text at once: however the text is split into reads, the same messages
// are found and the same text remains.
func FuzzCutMessages(f *testing.F) {
	f.Add([]byte("OK\n[a] b: c\nx[d] e: f\n[g] h: i"), []byte{3, 1, 7})
	f.Add([]byte("1) M  2(a) <b> c\n) r  pick: (y/n): (x) <y> z\n"), []byte{2, 9})
	recs := []Recogniser{recogniser(lineMessages[1 : len(lineMessages)-1]), recogniser(menuMessages[1 : len(menuMessages)-1])}
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		for _, r := range recs {
			whole, want := cutMessages(append([]byte(nil), data...), 0, []Recogniser{r})
			var buf []byte
			var got []RoomMessage
			rest := data
			for i := 0; len(rest) > 0; i++ {
				n := len(rest)
				if i < len(cuts) {
					n = min(int(cuts[i])+1, n)
				}
				var msgs []RoomMessage
				buf, msgs = cutMessages(append(buf, rest[:n]...), len(buf), []Recogniser{r})
				got = append(got, msgs...)
				rest = rest[n:]
			}
			if string(buf) != string(whole) || len(got) != len(want) {
				t.Fatalf("%s: split reads left %q with %d messages, whole text %q with %d", r.Pattern, buf, len(got), whole, len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("message %d: split %+v, whole %+v", i, got[i], want[i])
				}
			}
		}
	})
}
