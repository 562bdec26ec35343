package steps

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chatspec/chatspec/results"
)

// Recovery from a death that halted a pass (see crash.go). Each halt costs
// one restart; its suspects run again alone; the scenarios it kept from
// starting then run in a new pass at the halted pass's concurrency, which
// may halt again on another death and recover the same way. After maxHalts
// halts in one pass, or once the server cannot be restarted, the rest runs
// as a server that keeps dying deserves: one at a time, or not at all.

// maxHalts bounds the passes one selection of scenarios may take: a server
// that dies over and over must not start the remaining scenarios for ever.
// After the last halt they run alone, each death charged to its scenario.
const maxHalts = 4

// passWithRecovery runs one pass; each time the server dies during it, it
// restarts the server, reruns the suspects alone, and resumes the scenarios
// not yet run at conc.
func (r *runner) passWithRecovery(name, tags string, conc int) error {
	err := r.pass(name, tags, nil, conc, false)
	for halts := 1; err == nil && r.halt != nil; halts++ {
		suspects, others := r.recoverHalt()
		if err = r.rerunAlone(fmt.Sprintf("%s-rerun-%d", name, halts), suspects); err != nil || len(others) == 0 {
			return err
		}
		if r.gone != "" { // a rerun killed the server for good
			r.notRerun(nil, others)
			return nil
		}
		paths, want := rerunOrder(others)
		r.want = want
		if halts < maxHalts {
			err = r.pass(fmt.Sprintf("%s-resume-%d", name, halts), "", paths, conc, false)
		} else {
			err = r.pass(fmt.Sprintf("%s-alone-%d", name, halts), "", paths, 1, true)
			r.want = nil
			if err == nil {
				err = r.runLate(fmt.Sprintf("%s-late-%d", name, halts))
			}
		}
		r.want = nil
	}
	return err
}

// runLate runs once more, alone, the scenarios that found the server already
// dead when they began (see deadOnArrival).
func (r *runner) runLate(name string) error {
	fls := r.late
	r.late = nil
	if len(fls) == 0 {
		return nil
	}
	if r.retried == nil {
		r.retried = map[string]bool{}
	}
	for _, fl := range fls {
		r.retried[fl.res.Location] = true
	}
	if r.gone != "" {
		r.notRerun(nil, fls)
		return nil
	}
	paths, want := rerunOrder(fls)
	r.want = want
	err := r.pass(name, "", paths, 1, true)
	r.want = nil
	return err
}

// rerunAlone runs the suspects of a halt again one at a time; when none of
// them kills the server again, the halt's crash stays unnamed.
func (r *runner) rerunAlone(name string, suspects []*flight) error {
	if len(suspects) == 0 {
		return nil
	}
	paths, want := rerunOrder(suspects)
	r.want = want
	err := r.pass(name, "", paths, 1, true)
	r.want = nil
	if err == nil {
		err = r.runLate(name + "-late")
	}
	if u := r.unnamed; u != nil && r.gone != "" {
		u.crash.Message += "; they could not all be rerun to find which, the server dying again after restarting"
		r.addCrash(u.crash)
		r.unnamed = nil
	} else if u != nil {
		u.crash.Message += "; rerun one at a time, none of them killed it again"
		r.addCrash(u.crash)
		r.unnamed = nil
	}
	return err
}

// recoverHalt deals with the death that stopped a pass: one suspect is
// charged at once; the server is restarted once; and it returns the
// suspects to run again alone and the scenarios the halt kept from starting.
// Without a restart every held scenario gets its row here.
func (r *runner) recoverHalt() (suspects, others []*flight) {
	h := r.halt
	r.halt = nil
	suspects, others = r.sortHeld(h)
	during := r.unnamedCrash(h, suspects)
	if len(suspects) == 1 {
		h.crash = r.charge(suspects[0], h.cause)
		during = fmt.Sprintf("%q", suspects[0].res.Scenario)
		r.add(suspects[0].res)
		suspects = nil
	}
	r.restartAfter(&h.crash, during)
	if r.gone != "" || len(suspects) == 0 {
		r.addCrash(h.crash)
	} else {
		r.unnamed = h
	}
	if r.gone != "" {
		r.notRerun(suspects, others)
		return nil, nil
	}
	return suspects, others
}

// sortHeld splits the scenarios a halt held into the suspects (running
// when the server died, or ended less than a grace before) and the others,
// and records those that ended well before. Without a restart to tell them
// apart, a suspect the server answered a check after is given the benefit
// of the doubt: the scenario running when it died is charged.
func (r *runner) sortHeld(h *halt) (suspects, others []*flight) {
	var checked []*flight
	for _, fl := range h.held {
		switch {
		case !fl.ran || fl.start.After(h.at):
			others = append(others, fl)
		case fl.end.Add(r.grace()).Before(h.from):
			r.add(fl.res) // it ended well before the server died
		case fl.alive:
			checked = append(checked, fl)
		default:
			suspects = append(suspects, fl)
		}
	}
	if r.env.Target.CanRestart() || len(suspects) == 0 {
		return append(suspects, checked...), others
	}
	for _, fl := range checked {
		r.add(fl.res)
	}
	return suspects, others
}

// among says when the server died, for n suspects of h: "while 3 scenarios
// ran at once", or, in a pass that ran one at a time, "during or just after
// one of 2 scenarios run one after another".
func (h *halt) among(n int) string {
	if h.conc > 1 {
		return fmt.Sprintf("while %d scenarios ran at once", n)
	}
	return fmt.Sprintf("during or just after one of %d scenarios run one after another", n)
}

// unnamedCrash fills h's crash for a death during several scenarios and
// returns the phrase naming them.
func (r *runner) unnamedCrash(h *halt, suspects []*flight) string {
	var names []string
	for _, fl := range suspects {
		h.suspects = append(h.suspects, fl.res.Location)
		names = append(names, fmt.Sprintf("%q", fl.res.Scenario))
	}
	why := "it stopped answering: " + h.cause.Error()
	if h.status != "" {
		why = "its process ended: " + h.status
	}
	h.crash = results.Crash{Status: h.status, Suspects: names,
		Message: fmt.Sprintf("the server died %s (%s)", h.among(len(suspects)), why)}
	if len(names) == 0 {
		h.crash.Message = "the server died between scenarios (" + why + ")"
		return "a pause between scenarios"
	}
	return "one of " + strings.Join(names, ", ")
}

// notRerun gives rows to held scenarios when the server cannot be brought
// back: the suspects cannot be told apart, the others did not run.
func (r *runner) notRerun(suspects, others []*flight) {
	for _, fl := range suspects {
		fl.res.Outcome, fl.res.Check, fl.res.TimedOut = results.Error, nil, false
		fl.res.Message = fmt.Sprintf("the server stopped answering while this scenario ran with %d others; "+
			"without a restart chatspec cannot tell which one it died during (run with --concurrency 1 to find out)",
			len(suspects)-1)
		r.add(fl.res)
	}
	for _, fl := range others {
		fl.res.Outcome, fl.res.Check, fl.res.TimedOut = results.Error, nil, false
		fl.res.Message = "not run: the server stopped answering during " + r.gone
		r.add(fl.res)
	}
}

// rerunOrder is the godog paths of held scenarios, in the features' order
// (godog refuses them in whatever order its workers reach them) and without
// repeats, and their locations (one outline row is one location).
func rerunOrder(fls []*flight) ([]string, map[string]bool) {
	fls = slices.Clone(fls)
	slices.SortStableFunc(fls, func(a, b *flight) int { return comparePlaces(a.res.Location, b.res.Location) })
	want := map[string]bool{}
	var paths []string
	seen := map[string]bool{}
	for _, fl := range fls {
		want[fl.res.Location] = true
		if !seen[fl.path] {
			seen[fl.path] = true
			paths = append(paths, fl.path)
		}
	}
	return paths, want
}

// comparePlaces orders "file:LINE" locations by file, then by line.
func comparePlaces(a, b string) int {
	fa, la, _ := strings.Cut(a, ":")
	fb, lb, _ := strings.Cut(b, ":")
	if c := strings.Compare(fa, fb); c != 0 {
		return c
	}
	na, _ := strconv.Atoi(la)
	nb, _ := strconv.Atoi(lb)
	return cmp.Compare(na, nb)
}
