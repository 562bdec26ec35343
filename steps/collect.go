package steps

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v34"
)

// collectFormat is the godog formatter chatspec registers. It writes nothing:
// it only learns where each scenario is (feature name, file and line) and
// which scenarios godog saw, so a scenario that never ran its hooks (no
// steps) still gets a row.
const collectFormat = "chatspec-collect"

var (
	registerOnce sync.Once
	collectors   sync.Map // suite name -> *collector
)

type scenarioInfo struct {
	feature, location string
	path              string // the file inside the features FS, with the scenario's line: a godog path
}

// collector gathers formatter events of one godog run.
type collector struct {
	mu     sync.Mutex
	lines  map[string]scenarioInfo // AST node id of a scenario or example row -> place
	pickle map[string]*messages.Pickle
}

func newCollector(suite string) *collector {
	registerOnce.Do(func() {
		godog.Format(collectFormat, "chatspec results collector", func(suite string, _ io.Writer) godog.Formatter {
			c, _ := collectors.Load(suite)
			return &collectFmt{BaseFmt: godog.NewBaseFmt(suite, io.Discard), c: c.(*collector)}
		})
	})
	c := &collector{lines: map[string]scenarioInfo{}, pickle: map[string]*messages.Pickle{}}
	collectors.Store(suite, c)
	return c
}

func (c *collector) place(p *messages.Pickle) scenarioInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	// The last AST id of an outline pickle is its example row: the more precise.
	for i := len(p.AstNodeIds) - 1; i >= 0; i-- {
		if info, ok := c.lines[p.AstNodeIds[i]]; ok {
			return info
		}
	}
	return scenarioInfo{location: p.Uri}
}

// scenarioPath is the godog path that selects p's scenario again
// ("dir/file.feature:LINE"; every example row of an outline).
func (c *collector) scenarioPath(p *messages.Pickle) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if info, ok := c.lines[p.AstNodeIds[0]]; ok {
		return info.path
	}
	return p.Uri
}

// fileOf strips the ":LINE" godog appends to the URI of a feature it was
// asked to run one scenario of, and the "./" of a walk from ".".
func fileOf(uri string) string {
	if i := strings.LastIndexByte(uri, ':'); i >= 0 {
		if _, err := strconv.Atoi(uri[i+1:]); err == nil {
			uri = uri[:i]
		}
	}
	return strings.TrimPrefix(uri, "./")
}

type collectFmt struct {
	*godog.BaseFmt
	c *collector
}

func (f *collectFmt) Feature(doc *messages.GherkinDocument, uri string, _ []byte) {
	if doc.Feature == nil {
		return
	}
	f.c.mu.Lock()
	defer f.c.mu.Unlock()
	file := fileOf(uri)
	add := func(id string, line int64) {
		f.c.lines[id] = scenarioInfo{feature: doc.Feature.Name, location: fmt.Sprintf("%s:%d", file, line),
			path: fmt.Sprintf("%s:%d", file, line)}
	}
	var walk func(children []*messages.FeatureChild, rules []*messages.RuleChild)
	addScenario := func(sc *messages.Scenario) {
		add(sc.Id, sc.Location.Line)
		for _, ex := range sc.Examples {
			for _, row := range ex.TableBody {
				add(row.Id, row.Location.Line)
			}
		}
	}
	walk = func(children []*messages.FeatureChild, rules []*messages.RuleChild) {
		for _, ch := range children {
			if ch.Scenario != nil {
				addScenario(ch.Scenario)
			}
			if ch.Rule != nil {
				walk(nil, ch.Rule.Children)
			}
		}
		for _, ch := range rules {
			if ch.Scenario != nil {
				addScenario(ch.Scenario)
			}
		}
	}
	walk(doc.Feature.Children, nil)
}

func (f *collectFmt) Pickle(p *messages.Pickle) {
	f.c.mu.Lock()
	defer f.c.mu.Unlock()
	f.c.pickle[p.Id] = p
}
