package load

import "github.com/chatspec/chatspec/results"

// Report is the run in the results model, for the HTML report: the
// figures, the history, the violation rows and a mark on the timeline for
// each violation kept (at its receiver, and at its sender when known).
// target names the server.
func (r Result) Report(target string) results.LoadRun {
	lr := results.LoadRun{LoadFigures: r.LoadFigures, Target: target, Violations: r.Violations(),
		ClientErrors: r.ClientErrors, Rows: r.Rows, History: r.History}
	for _, v := range r.Check.Violations {
		at := v.Got
		if at < 0 {
			at = v.Sent
		}
		if v.ReceiverConn >= 0 {
			lr.Marks = append(lr.Marks, results.Mark{Conn: v.ReceiverConn, At: max(at, 0), Req: v.Req, What: v.String()})
		}
		if v.SenderConn >= 0 && v.SenderConn != v.ReceiverConn && v.Sent >= 0 {
			lr.Marks = append(lr.Marks, results.Mark{Conn: v.SenderConn, At: v.Sent, Req: v.Req, What: v.String()})
		}
	}
	return lr
}
