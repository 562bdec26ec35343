package reports

import (
	"io"

	"github.com/chatspec/chatspec/results"
)

// JSON writes results.json (format in results.WriteJSON; read back with
// results.ReadJSON). Results are written in report order, from copies: the
// caller's runs are not reordered.
func JSON(w io.Writer, runs []*results.Run) error {
	sorted := make(results.Runs, len(runs))
	for i, run := range runs {
		c := *run
		c.Results = run.Sorted()
		sorted[i] = &c
	}
	return results.WriteJSON(w, sorted)
}
