package reports

import (
	"fmt"
	"math"
	"time"
)

// svgFigure is one inline SVG drawing, prepared so that the template only
// loops and prints: every shape has its place, a class (the page's style
// sheet colours it) and an optional tooltip.
type svgFigure struct {
	Label         string // what the drawing shows, for screen readers
	Width, Height float64
	Rects         []svgRect
	Lines         []svgLine
	Texts         []svgText
}

type svgRect struct {
	X, Y, W, H   float64
	Class, Title string
}

type svgLine struct {
	X1, Y1, X2, Y2 float64
	Class, Title   string
}

type svgText struct {
	X, Y                float64
	Class, Anchor, Text string
}

// px rounds a coordinate to a tenth of a pixel, so the page stays small
// and the same input gives the same bytes.
func px(v float64) float64 { return math.Round(v*10) / 10 }

func (f *svgFigure) rect(x, y, w, h float64, class, title string) {
	f.Rects = append(f.Rects, svgRect{px(x), px(y), px(max(w, 0.5)), px(h), class, title})
}

func (f *svgFigure) line(x1, y1, x2, y2 float64, class, title string) {
	f.Lines = append(f.Lines, svgLine{px(x1), px(y1), px(x2), px(y2), class, title})
}

func (f *svgFigure) text(x, y float64, class, anchor, s string) {
	f.Texts = append(f.Texts, svgText{px(x), px(y), class, anchor, s})
}

// span is a duration as a figure labels it: three significant digits.
func span(d time.Duration) string {
	switch {
	case d == 0:
		return "0s"
	case d < time.Microsecond:
		return fmt.Sprintf("%dns", d.Nanoseconds())
	case d < time.Millisecond:
		return fmt.Sprintf("%.3gµs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.3gms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.3gs", d.Seconds())
}
