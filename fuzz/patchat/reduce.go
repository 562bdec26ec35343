package patchat

import "bytes"

// reduceLines proposes smaller versions of a step: each line removed, then
// the longest line cut to 1/2, 3/4, 7/8 of its length, or by one byte.
func reduceLines(data []byte) [][]byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > 0 && len(lines[len(lines)-1]) == 0 {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil
	}
	var out [][]byte
	if len(lines) > 1 {
		for i := range lines {
			out = append(out, joinExcept(lines, i))
		}
	}
	longest := 0
	for i, l := range lines {
		if len(l) > len(lines[longest]) {
			longest = i
		}
	}
	l := bytes.TrimSuffix(lines[longest], []byte("\n"))
	if len(l) > 8 {
		for _, keep := range []int{len(l) / 2, len(l) * 3 / 4, len(l) * 7 / 8, len(l) - 1} {
			cut := append([]byte(nil), l[:keep]...)
			if len(l) < len(lines[longest]) {
				cut = append(cut, '\n')
			}
			out = append(out, joinReplacing(lines, longest, cut))
		}
	}
	return out
}

func joinExcept(lines [][]byte, skip int) []byte {
	var b []byte
	for i, l := range lines {
		if i != skip {
			b = append(b, l...)
		}
	}
	return b
}

func joinReplacing(lines [][]byte, at int, with []byte) []byte {
	var b []byte
	for i, l := range lines {
		if i == at {
			l = with
		}
		b = append(b, l...)
	}
	return b
}
