package target

import (
	"errors"
	"syscall"
)

// Refused reports whether err says the peer refused the connection (nothing
// listens on the port). errors.Is(err, syscall.ECONNREFUSED) alone misses
// Windows, whose dials fail with its own socket error numbers; the numbers
// each system uses are in refusedErrnos.
func Refused(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	for _, e := range refusedErrnos {
		if errno == e {
			return true
		}
	}
	return false
}
