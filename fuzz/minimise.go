package fuzz

// Reducer proposes smaller versions of one step's data, most aggressive
// first. Protocols supply them so a frame shrinks without breaking its length
// fields (a byte-level pass alone cannot shorten a length-prefixed string).
type Reducer func(data []byte) [][]byte

// MinimiseOptions tunes MinimiseWith.
type MinimiseOptions struct {
	MaxTests int       // calls of stillFails allowed (default 2000)
	Reducers []Reducer // protocol-aware step reductions, tried before bytes
}

// DefaultMaxTests bounds a minimisation when MaxTests is zero.
const DefaultMaxTests = 2000

// Minimise shrinks c while stillFails keeps returning true: delta debugging
// over connections, then steps, then bytes, and clearing pauses and splits.
// It knows nothing of execution: stillFails decides. The result is never
// bigger than c and always satisfied stillFails (or is c itself).
func Minimise(c Case, stillFails func(Case) bool) Case {
	return MinimiseWith(c, stillFails, MinimiseOptions{})
}

// MinimiseWith is Minimise with protocol reducers and a test budget.
func MinimiseWith(c Case, stillFails func(Case) bool, opt MinimiseOptions) Case {
	if opt.MaxTests <= 0 {
		opt.MaxTests = DefaultMaxTests
	}
	m := &minimiser{best: c.Clone(), fails: stillFails, left: opt.MaxTests, reducers: opt.Reducers}
	for round := 0; round < 8 && m.left > 0; round++ {
		before := m.best.Clone()
		m.conns()
		m.steps()
		m.flags()
		m.merge()
		m.reduce()
		m.bytes()
		if m.best.Equal(before) {
			break
		}
	}
	return m.best
}

// minimiser holds the smallest failing case found so far and the test budget.
type minimiser struct {
	best     Case
	fails    func(Case) bool
	left     int
	reducers []Reducer
}

// try tests a candidate and adopts it when it still fails.
func (m *minimiser) try(c Case) bool {
	if m.left <= 0 {
		return false
	}
	m.left--
	if !m.fails(c) {
		return false
	}
	m.best = c
	return true
}

// conns removes whole connections.
func (m *minimiser) conns() {
	keep := ddmin(len(m.best.Conns), m.budget, func(keep []int) bool {
		return m.fails(keepConns(m.best, keep))
	})
	m.best = keepConns(m.best, keep)
}

// budget spends one test; false when none is left.
func (m *minimiser) budget() bool {
	if m.left <= 0 {
		return false
	}
	m.left--
	return true
}

// keepConns keeps the listed connections, renumbering fills; a fill that
// referred to a removed connection is dropped.
func keepConns(c Case, keep []int) Case {
	index := make(map[int]int, len(keep))
	for i, k := range keep {
		index[k] = i
	}
	out := Case{Protocol: c.Protocol}
	for _, k := range keep {
		cs := ConnScript{Steps: make([]Step, len(c.Conns[k].Steps))}
		for j, s := range c.Conns[k].Steps {
			s = s.clone()
			if s.Fill != nil {
				if to, ok := index[s.Fill.Conn]; ok {
					s.Fill.Conn = to
				} else {
					s.Fill = nil
				}
			}
			cs.Steps[j] = s
		}
		out.Conns = append(out.Conns, cs)
	}
	return out
}

// steps removes steps within each connection.
func (m *minimiser) steps() {
	for i := range m.best.Conns {
		with := func(keep []int) Case {
			c := m.best.Clone()
			c.Conns[i].Steps = pick(c.Conns[i].Steps, keep)
			return c
		}
		keep := ddmin(len(m.best.Conns[i].Steps), m.budget, func(keep []int) bool { return m.fails(with(keep)) })
		m.best = with(keep)
	}
}

// flags clears pauses and drips (byte at a time or in chunks): all at once, then one by one.
func (m *minimiser) flags() {
	plain := m.best.Clone()
	changed := false
	for i := range plain.Conns {
		for j := range plain.Conns[i].Steps {
			s := &plain.Conns[i].Steps[j]
			changed = changed || s.Pause != 0 || s.Split || s.Chunks != nil
			s.Pause, s.Split, s.Chunks = 0, false, nil
		}
	}
	if !changed || m.try(plain) {
		return
	}
	for i := range m.best.Conns {
		for j := range m.best.Conns[i].Steps {
			if s := m.best.Conns[i].Steps[j]; s.Pause != 0 || s.Split || s.Chunks != nil {
				c := m.best.Clone()
				c.Conns[i].Steps[j].Pause, c.Conns[i].Steps[j].Split, c.Conns[i].Steps[j].Chunks = 0, false, nil
				m.try(c)
			}
		}
	}
}

// merge joins all steps of a connection into one, when none has a fill.
func (m *minimiser) merge() {
	for i := range m.best.Conns {
		steps := m.best.Conns[i].Steps
		if len(steps) < 2 || hasFill(steps) {
			continue
		}
		joined := Step{Note: "merged"}
		for _, s := range steps {
			joined.Data = append(joined.Data, s.Data...)
			joined.Pause += s.Pause
		}
		c := m.best.Clone()
		c.Conns[i].Steps = []Step{joined}
		m.try(c)
	}
}

func hasFill(steps []Step) bool {
	for _, s := range steps {
		if s.Fill != nil {
			return true
		}
	}
	return false
}

// reduce applies the protocol reducers to every step until none helps.
func (m *minimiser) reduce() {
	for i := range m.best.Conns {
		for j := range m.best.Conns[i].Steps {
			m.reduceStep(i, j)
		}
	}
}

func (m *minimiser) reduceStep(i, j int) {
	for progress := true; progress && m.left > 0; {
		progress = false
		for _, r := range m.reducers {
			for _, data := range r(m.best.Conns[i].Steps[j].Data) {
				if len(data) >= len(m.best.Conns[i].Steps[j].Data) {
					continue // only strictly smaller, so the loop ends
				}
				c := m.best.Clone()
				c.Conns[i].Steps[j].Data = data
				if m.try(c) {
					progress = true
					break
				}
			}
		}
	}
}

// bytes removes bytes within each step (steps with a fill keep their layout).
func (m *minimiser) bytes() {
	for i := range m.best.Conns {
		for j := range m.best.Conns[i].Steps {
			if m.best.Conns[i].Steps[j].Fill != nil {
				continue
			}
			with := func(keep []int) Case {
				c := m.best.Clone()
				c.Conns[i].Steps[j].Data = pick(c.Conns[i].Steps[j].Data, keep)
				return c
			}
			keep := ddmin(len(m.best.Conns[i].Steps[j].Data), m.budget, func(k []int) bool { return m.fails(with(k)) })
			m.best = with(keep)
		}
	}
}

// pick returns the elements of xs at the given indices.
func pick[T any](xs []T, keep []int) []T {
	out := make([]T, 0, len(keep))
	for _, k := range keep {
		out = append(out, xs[k])
	}
	return out
}
