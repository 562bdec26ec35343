package oracle

// maxDense bounds the cells of a dense pair index (4 bytes each); beyond
// it a map is used.
const maxDense = 64 << 20

// pairs maps (a, b) index pairs to an int32, -1 when unset: a flat array
// when rows*cols is small enough, a map otherwise. It keeps the checker's
// per-delivery work free of hashing on ordinary runs.
type pairs struct {
	cols   int
	dense  []int32
	sparse map[[2]int32]int32
}

func newPairs(rows, cols int) *pairs {
	p := &pairs{cols: cols}
	if rows*cols > maxDense || rows*cols < 0 {
		p.sparse = map[[2]int32]int32{}
		return p
	}
	p.dense = make([]int32, rows*cols)
	for i := range p.dense {
		p.dense[i] = -1
	}
	return p
}

func (p *pairs) get(a, b int32) int32 {
	if p.sparse != nil {
		if v, ok := p.sparse[[2]int32{a, b}]; ok {
			return v
		}
		return -1
	}
	return p.dense[int(a)*p.cols+int(b)]
}

func (p *pairs) set(a, b, v int32) {
	if p.sparse != nil {
		p.sparse[[2]int32{a, b}] = v
		return
	}
	p.dense[int(a)*p.cols+int(b)] = v
}
