package reports

import (
	"fmt"
	"math"
	"time"

	"github.com/chatspec/chatspec/results"
)

// Geometry of the latency plot.
const (
	latW, latH       = 900.0, 240.0
	latLeft, latTop  = 60.0, 40.0
	latRight, latBot = 20.0, 36.0
	maxLatencyBins   = 60
)

// latencyPlot is the histogram of delivery latencies (time from a message
// written to each of its deliveries) over logarithmic buckets, with p50,
// p99 and the maximum marked. Its size does not depend on the history's:
// at most maxLatencyBins bars. It returns nil when no delivery carried a
// message of the run, and a caption saying what was counted.
func latencyPlot(run *results.LoadRun) (*svgFigure, string) {
	l := latencies(run.History)
	if len(l) == 0 {
		return nil, "No delivery carried a message written in this run: nothing to plot."
	}
	lo, hi := decadeBounds(l)
	perDecade := max(1, min(10, maxLatencyBins/int(math.Round(math.Log10(hi/lo)))))
	bins := make([]int, int(math.Round(math.Log10(hi/lo)))*perDecade)
	for _, d := range l {
		bins[binOf(float64(max(d, 1)), lo, perDecade, len(bins))]++
	}
	f := &svgFigure{Label: "delivery latency histogram", Width: latW, Height: latH}
	x := func(ns float64) float64 { return latLeft + math.Log10(ns/lo)/math.Log10(hi/lo)*(latW-latLeft-latRight) }
	latencyBars(f, bins, lo, perDecade, x)
	latencyAxes(f, lo, hi, x)
	latencyMarks(f, run, x)
	return f, fmt.Sprintf("%d deliveries that carry a message written in this run (the sender's own copies included), "+
		"in %d buckets per tenfold of latency (%d bars); the height of a bar is its share of the tallest.",
		len(l), perDecade, len(bins))
}

// latencies lists every delivery's latency (never negative).
func latencies(h *results.History) []time.Duration {
	if h == nil {
		return nil
	}
	var l []time.Duration
	for _, d := range h.Deliveries {
		if d.Msg >= 0 {
			l = append(l, max(d.At-h.Messages[d.Msg].At, 0))
		}
	}
	return l
}

// decadeBounds are the powers of ten (in nanoseconds) around the
// latencies, at least one decade apart; latencies under 1µs count as 1µs.
func decadeBounds(l []time.Duration) (float64, float64) {
	lo, hi := l[0], l[0]
	for _, d := range l {
		lo, hi = min(lo, d), max(hi, d)
	}
	lo = max(lo, time.Microsecond)
	a := math.Floor(math.Log10(float64(lo)))
	b := max(math.Floor(math.Log10(float64(max(hi, lo))))+1, a+1)
	return math.Pow(10, a), math.Pow(10, b)
}

func binOf(ns, lo float64, perDecade, n int) int {
	i := int(math.Log10(ns/lo) * float64(perDecade))
	return min(max(i, 0), n-1)
}

func latencyBars(f *svgFigure, bins []int, lo float64, perDecade int, x func(float64) float64) {
	tallest, total := 0, 0
	for _, c := range bins {
		tallest, total = max(tallest, c), total+c
	}
	base, ph := latH-latBot, latH-latBot-latTop
	for i, c := range bins {
		if c == 0 {
			continue
		}
		a, b := lo*math.Pow(10, float64(i)/float64(perDecade)), lo*math.Pow(10, float64(i+1)/float64(perDecade))
		h := float64(c) / float64(tallest) * ph
		f.rect(x(a), base-h, x(b)-x(a)-1, h, "bar",
			fmt.Sprintf("%s to %s: %d of %d", span(time.Duration(a)), span(time.Duration(b)), c, total))
	}
	f.text(latLeft-6, latTop+4, "axis", "end", fmt.Sprint(tallest))
	f.text(latLeft-6, base, "axis", "end", "0")
}

// latencyAxes draws the base line and a tick at every power of ten.
func latencyAxes(f *svgFigure, lo, hi float64, x func(float64) float64) {
	base := latH - latBot
	f.line(latLeft, base, latW-latRight, base, "axis", "")
	for t := lo; t <= hi*1.0001; t *= 10 {
		f.line(x(t), base, x(t), base+5, "axis", "")
		f.text(x(t), base+18, "axis", "middle", span(time.Duration(t)))
	}
	f.text(latW-latRight, latH-4, "axis", "end", "latency (logarithmic)")
}

// latencyMarks draws p50, p99 and the maximum as labelled lines, their
// labels on three heights so that close marks stay readable.
func latencyMarks(f *svgFigure, run *results.LoadRun, x func(float64) float64) {
	marks := []struct {
		name string
		d    time.Duration
	}{{"p50", run.LatencyP50}, {"p99", run.LatencyP99}, {"max", run.LatencyMax}}
	for i, m := range marks {
		at := x(float64(max(m.d, time.Microsecond)))
		label := fmt.Sprintf("%s %s", m.name, span(m.d))
		f.line(at, latTop-4, at, latH-latBot, "q "+m.name, label)
		tx, anchor := at+3, "start"
		if at > latW-latRight-120 {
			tx, anchor = at-3, "end"
		}
		f.text(tx, 12+float64(i)*12, "q "+m.name, anchor, label)
	}
}
