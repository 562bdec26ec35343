package fuzz

// ddmin is delta debugging (Zeller's ddmin, complement-first): it returns a
// subset of the indices 0..n-1, in order, for which test still holds, trying
// to remove ever smaller chunks. spend is asked before every test; when it
// says no, the smallest subset found so far is returned.
func ddmin(n int, spend func() bool, test func(keep []int) bool) []int {
	keep := make([]int, n)
	for i := range keep {
		keep[i] = i
	}
	if n == 0 {
		return keep
	}
	if spend() && test(nil) {
		return nil
	}
	gran := 2
	for len(keep) >= 2 {
		reduced, ok := removeOneChunk(keep, gran, spend, test)
		if !ok {
			return keep
		}
		if reduced != nil {
			keep, gran = reduced, max(gran-1, 2)
			continue
		}
		if gran >= len(keep) {
			break
		}
		gran = min(2*gran, len(keep))
	}
	return keep
}

// removeOneChunk splits keep into gran chunks and returns the first
// complement (keep minus one chunk) that passes test, or nil. ok is false
// when the budget ran out.
func removeOneChunk(keep []int, gran int, spend func() bool, test func([]int) bool) (reduced []int, ok bool) {
	for i := range gran {
		lo, hi := i*len(keep)/gran, (i+1)*len(keep)/gran
		if lo == hi {
			continue
		}
		comp := make([]int, 0, len(keep)-(hi-lo))
		comp = append(append(comp, keep[:lo]...), keep[hi:]...)
		if !spend() {
			return nil, false
		}
		if test(comp) {
			return comp, true
		}
	}
	return nil, true
}
