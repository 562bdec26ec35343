package reports

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/results"
)

// wireSample is a transcript in transcript.Log's own format: two
// connections, a note, a cut entry, and a server byte that must be escaped.
const wireSample = `   0.001s alice          -> LOGIN(0) nick="alice_x"
                           00000000 07616c69 63655f78
   0.002s alice          <- LOGIN_ACCEPTED(1) nick="alice_x"
                           00000001 07616c69 63655f78
   0.003s bob            <- text="<script>alert(1)</script>"
                           0000 ... (+600 bytes)
   0.004s bob            -- closed by the server
`

func htmlRuns() []*results.Run {
	runs := fixtureRuns()
	runs[0].Results[1].Transcript = wireSample // the PASS row keeps its wire log
	runs[0].Results[0].Transcript = wireSample + "\x1b[31m\n"
	return runs
}

func htmlOut(t *testing.T, runs []*results.Run) string {
	return string(render(t, func(b *bytes.Buffer) error { return HTML(b, runs) }))
}

func TestHTMLGolden(t *testing.T) {
	golden(t, "report.html.golden", []byte(htmlOut(t, htmlRuns())))
}

var (
	tagRE    = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>`)
	urlRE    = regexp.MustCompile(`\b(src|href|action|srcset|data)\s*=\s*"([^"]*)"`)
	idRE     = regexp.MustCompile(`\bid="([^"]*)"`)
	dataReq  = regexp.MustCompile(`<details class="row" id="[^"]*" data-req="([^"]*)"`)
	urlInCSS = regexp.MustCompile(`(?i)url\(|@import|https?://`)
)

// checkSelfContained asserts that page loads nothing from anywhere: every
// link is a fragment of the page itself, there is no script, no <link>, no
// URL in the style sheet, and every element that must close does.
func checkSelfContained(t *testing.T, page string) {
	t.Helper()
	ids := map[string]bool{}
	for _, m := range idRE.FindAllStringSubmatch(page, -1) {
		assert.False(t, ids[m[1]], "duplicate id %q", m[1])
		ids[m[1]] = true
	}
	open := map[string]int{}
	for _, m := range tagRE.FindAllStringSubmatch(page, -1) {
		name := strings.ToLower(m[2])
		assert.NotContains(t, []string{"script", "link", "iframe", "img", "object", "embed", "base"}, name)
		if m[1] == "/" {
			open[name]--
		} else {
			open[name]++
		}
		for _, u := range urlRE.FindAllStringSubmatch(m[3], -1) {
			require.True(t, strings.HasPrefix(u[2], "#"), "external %s=%q", u[1], u[2])
			assert.True(t, ids[u[2][1:]] || strings.Contains(page, `id="`+u[2][1:]+`"`), "link to missing #%s", u[2][1:])
		}
	}
	for _, name := range []string{"details", "summary", "table", "tr", "section", "article", "pre", "ul", "li", "div", "a"} {
		assert.Zero(t, open[name], "<%s> opened and closed %+d times", name, open[name])
	}
	style := page[strings.Index(page, "<style>"):strings.Index(page, "</style>")]
	assert.False(t, urlInCSS.MatchString(style), "the style sheet loads nothing")
}

func TestHTMLIsSelfContainedWithEveryRow(t *testing.T) {
	runs := htmlRuns()
	page := htmlOut(t, runs)
	checkSelfContained(t, page)
	var want []string
	for _, run := range runs {
		for _, row := range run.Rows() {
			want = append(want, row.Req)
		}
	}
	var got []string
	for _, m := range dataReq.FindAllStringSubmatch(page, -1) {
		got = append(got, m[1])
	}
	assert.Equal(t, want, got, "one expandable row per (requirement, scenario), in report order")
	for _, id := range want {
		assert.Contains(t, page, `id="`+id+`"`, "anchor for %s", id)
	}
}

func TestHTMLFailuresFirstWithRequirementText(t *testing.T) {
	page := htmlOut(t, htmlRuns())
	failures := page[strings.Index(page, `<section id="failures">`):strings.Index(page, `<section class="run"`)]
	order := regexp.MustCompile(`<article class="failure (\w+)"`).FindAllStringSubmatch(failures, -1)
	var classes []string
	for _, m := range order {
		classes = append(classes, m[1])
	}
	assert.Equal(t, []string{"FAIL", "ERROR", "INCONCLUSIVE", "WARN", "WARN"}, classes)
	assert.Contains(t, failures, "0b (private connection established)", "expected alternative")
	assert.Contains(t, failures, "(nothing before the deadline)", "actual")
	assert.Contains(t, failures, "LOGIN_ACCEPTED(1)", "its transcript")
	assert.Contains(t, failures, `\x1b[31m`, "terminal escapes shown, not sent")
	assert.NotContains(t, page, "\x1b")
	assert.Less(t, strings.Index(page, `id="failures"`), strings.Index(page, `data-req="COP-2.1-1"`))
}

func TestHTMLPassKeepsItsWireLogEscaped(t *testing.T) {
	page := htmlOut(t, htmlRuns())
	i := strings.Index(page, `data-req="COP-2.1-1"`)
	row := page[i : i+strings.Index(page[i:], "</details>")]
	assert.Contains(t, row, "<b>alice</b> (1 sent, 1 received), <b>bob</b> (0 sent, 1 received)")
	assert.Contains(t, row, `<td>0.001s</td><td>alice</td><td>-&gt;</td><td><pre>LOGIN(0) nick=&#34;alice_x&#34;</pre></td><td><code>00000000 07616c69 63655f78</code></td>`)
	assert.Contains(t, row, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.Contains(t, row, "0000 ... (&#43;600 bytes)")
	assert.NotContains(t, page, "<script>")
}

func TestHTMLServerLogRestartsAndObservations(t *testing.T) {
	runs := htmlRuns()
	runs[0].TargetLog = "started\n--- chatspec: restarting server on 127.0.0.1:1 ---\nstarted again\n"
	page := htmlOut(t, runs)
	assert.Contains(t, page, `<span class="marker">--- chatspec: restarting server on 127.0.0.1:1 ---</span>`)
	assert.Contains(t, page, `<span class="marker">restarted</span>`)
	assert.Contains(t, page, "sender receives own public message: yes")
}

// A run whose transcripts exceed the page's cap shows the first ones and
// says which were left out; the page stays bounded.
func TestHTMLBoundedSize(t *testing.T) {
	run := &results.Run{Protocol: "chatos", Target: "x", Mode: results.ModeTarget}
	line := strings.SplitN(wireSample, "\n", 2)[0] + "\n"
	big := strings.Repeat(line, 200)
	for i := range 40 {
		run.Results = append(run.Results, results.Result{Protocol: "chatos", Reqs: []string{"COP-2.1-1"}, Level: "MUST",
			Section: "2.1", Scenario: fmt.Sprintf("scenario %02d", i), Outcome: results.Pass, Transcript: big})
	}
	const budget = 10 * 200 * 60 // about ten of the forty logs
	var b bytes.Buffer
	require.NoError(t, htmlTemplate.Execute(&b, htmlPageFor([]*results.Run{run}, budget)))
	page := b.String()
	shown := strings.Count(page, `<table class="wirelog">`)
	assert.Equal(t, budget/len(big), shown, "logs shown until the budget is spent")
	assert.Equal(t, 40-shown, strings.Count(page, "cap is spent (results.json has it)"))
	assert.Equal(t, 40, strings.Count(page, `<details class="row"`), "every row stays")
	assert.Contains(t, page, "this page shows at most 8 MiB", "the cap is stated")
}
