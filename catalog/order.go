package catalog

import "strings"

// CompareSection orders section labels numerically, part by part:
// "2.1" < "2.10" < "3" < "3.1" < "R". Numeric sections come before named
// ones (such as "R"); named ones compare as text. It returns -1, 0 or +1.
func CompareSection(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		if c := comparePart(pa[i], pb[i]); c != 0 {
			return c
		}
	}
	return compareInts(len(pa), len(pb))
}

// comparePart compares one dotted part or ID token: digit runs
// numerically (of any length), digit runs before words, words as text.
func comparePart(a, b string) int {
	aNum, bNum := allDigits(a), allDigits(b)
	switch {
	case aNum && bNum:
		return compareDigits(a, b)
	case aNum:
		return -1
	case bNum:
		return 1
	}
	return compareStrings(a, b)
}

// compareDigits compares two digit runs as numbers without converting them,
// so no length overflows: leading zeros go, then the longer run is larger.
func compareDigits(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if c := compareInts(len(a), len(b)); c != 0 {
		return c
	}
	return compareStrings(a, b)
}

// CompareID orders requirement IDs so that digit runs compare as numbers:
// "COP-3.5-9" < "COP-3.5-10" < "COP-R-1". It returns -1, 0 or +1.
func CompareID(a, b string) int {
	for a != "" && b != "" {
		ta, ra := nextToken(a)
		tb, rb := nextToken(b)
		if c := comparePart(ta, tb); c != 0 {
			return c
		}
		a, b = ra, rb
	}
	return compareInts(len(a), len(b))
}

// nextToken splits s after its leading run of digits, or of non-digits.
func nextToken(s string) (string, string) {
	digit := isDigit(s[0])
	i := 1
	for i < len(s) && isDigit(s[i]) == digit {
		i++
	}
	return s[:i], s[i:]
}

// allDigits reports whether s is a non-empty run of ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func compareInts(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
