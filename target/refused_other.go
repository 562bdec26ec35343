//go:build !windows

package target

import "syscall"

// refusedErrnos are the errors a refused dial carries here.
var refusedErrnos = []syscall.Errno{syscall.ECONNREFUSED}
