package reports

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/chatspec/chatspec/catalog"
	"github.com/chatspec/chatspec/results"
)

// Server is one column of a comparison: a server's runs (one results.json),
// its name, and the link to its own report.html ("" when there is none).
type Server struct {
	Name   string
	Report string
	Runs   results.Runs
}

// Matrix is requirements by servers: what `chatspec compare` renders.
type Matrix struct {
	Servers  []string
	Sections []MatrixSection
	Disagree int // rows where servers disagree
}

// MatrixSection is one protocol section's rows.
type MatrixSection struct {
	Protocol, Section string
	Rows              []MatrixRow
}

// MatrixRow is one requirement across every server.
type MatrixRow struct {
	ID, Level, Text string
	Cells           []MatrixCell
	Disagree        bool // two servers that both have an outcome differ
}

// MatrixCell is one server's outcome for a requirement, with the link to
// that server's row in its own report.
type MatrixCell struct {
	Outcome string // "" when the server's runs do not mention it
	Link    string
}

// NewMatrix lays servers side by side over the catalogue's requirements of
// every protocol some server ran, in catalogue order.
func NewMatrix(servers []Server) Matrix {
	var m Matrix
	ran := map[string]bool{}
	for _, s := range servers {
		m.Servers = append(m.Servers, s.Name)
		for _, r := range s.Runs {
			ran[r.Protocol] = true
		}
	}
	for _, req := range catalog.All() {
		if !ran[req.Protocol] {
			continue
		}
		row := matrixRow(req, servers)
		if row.Disagree {
			m.Disagree++
		}
		m.Sections = addMatrixRow(m.Sections, req, row)
	}
	return m
}

func addMatrixRow(sections []MatrixSection, req catalog.Requirement, row MatrixRow) []MatrixSection {
	if n := len(sections); n > 0 && sections[n-1].Protocol == req.Protocol && sections[n-1].Section == req.Section {
		sections[n-1].Rows = append(sections[n-1].Rows, row)
		return sections
	}
	return append(sections, MatrixSection{Protocol: req.Protocol, Section: req.Section, Rows: []MatrixRow{row}})
}

func matrixRow(req catalog.Requirement, servers []Server) MatrixRow {
	row := MatrixRow{ID: req.ID, Level: string(req.Level), Text: req.Text}
	seen := ""
	for _, s := range servers {
		cell := MatrixCell{}
		for _, r := range s.Runs {
			if o, ok := r.RequirementOutcome(req.ID); ok {
				cell.Outcome = string(o)
			}
		}
		if cell.Outcome != "" && s.Report != "" {
			cell.Link = s.Report + "#" + req.ID
		}
		if cell.Outcome != "" {
			row.Disagree = row.Disagree || (seen != "" && seen != cell.Outcome)
			seen = cell.Outcome
		}
		row.Cells = append(row.Cells, cell)
	}
	return row
}

// CompareMarkdown writes the matrix as Markdown: a table per section, a
// column per server, "≠" on the rows where servers disagree.
func CompareMarkdown(w io.Writer, m Matrix) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## chatspec compare: %s\n\n%s\n", plural(len(m.Servers), "server", "servers"),
		plural(m.Disagree, "requirement where servers disagree (marked ≠)", "requirements where servers disagree (marked ≠)"))
	head := "| | Requirement | Level | Text |"
	rule := "|---|---|---|---|"
	for _, s := range m.Servers {
		head += " " + mdCell(s) + " |"
		rule += "---|"
	}
	for _, sec := range m.Sections {
		fmt.Fprintf(&b, "\n### %s %s\n\n%s\n%s\n", mdCell(sec.Protocol), mdCell(sec.Section), head, rule)
		for _, row := range sec.Rows {
			b.WriteString(mdMatrixRow(row))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdMatrixRow(row MatrixRow) string {
	mark := ""
	if row.Disagree {
		mark = "**≠**"
	}
	line := fmt.Sprintf("| %s | %s | %s | %s |", mark, mdCell(row.ID), mdCell(row.Level), mdCell(row.Text))
	for _, c := range row.Cells {
		switch {
		case c.Outcome == "":
			line += " — |"
		case c.Link != "":
			line += fmt.Sprintf(" [%s](%s) |", mdCell(c.Outcome), mdLink(c.Link))
		default:
			line += " " + mdCell(c.Outcome) + " |"
		}
	}
	return line + "\n"
}

// mdLink makes a relative path safe as a Markdown link target.
func mdLink(s string) string {
	return strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "|", "%7C").Replace(s)
}

var compareTemplate = template.Must(template.New("compare").Parse(compareSource))

// CompareHTML writes the matrix as one self-contained HTML page, each cell
// linking to that server's row in its own report.html.
func CompareHTML(w io.Writer, m Matrix) error {
	if err := compareTemplate.Execute(w, m); err != nil {
		return fmt.Errorf("compare html: %w", err)
	}
	return nil
}

const compareSource = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>chatspec compare: {{len .Servers}} servers</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1em; color: #222; }
table { border-collapse: collapse; margin-bottom: 1em; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
td.text { color: #555; max-width: 40em; }
tr.disagree { background: #fff3cd; }
.PASS { color: #2e7d32; } .FAIL { background: #c62828; color: #fff; } .ERROR { background: #6a1b9a; color: #fff; }
.WARN, .INCONCLUSIVE { background: #f9a825; } .INFO { color: #00838f; } .UNTESTABLE, .SKIPPED { color: #777; }
td.FAIL a, td.ERROR a { color: #fff; }
</style>
</head>
<body>
<h1>chatspec compare: {{len .Servers}} servers</h1>
<p>{{.Disagree}} requirements where servers disagree (marked ≠, highlighted).</p>
{{- range .Sections}}
<h2>{{.Protocol}} {{.Section}}</h2>
<table>
<tr><th></th><th>Requirement</th><th>Level</th><th>Text</th>{{range $.Servers}}<th>{{.}}</th>{{end}}</tr>
{{- range .Rows}}
<tr id="{{.ID}}"{{if .Disagree}} class="disagree"{{end}}><td>{{if .Disagree}}≠{{end}}</td><td>{{.ID}}</td><td>{{.Level}}</td><td class="text">{{.Text}}</td>
{{- range .Cells}}<td class="{{.Outcome}}">{{if not .Outcome}}—{{else if .Link}}<a href="{{.Link}}">{{.Outcome}}</a>{{else}}{{.Outcome}}{{end}}</td>{{end}}</tr>
{{- end}}
</table>
{{- end}}
</body>
</html>
`
