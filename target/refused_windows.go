package target

import (
	"syscall"

	"golang.org/x/sys/windows"
)

// refusedErrnos are the errors a refused dial carries on Windows: the
// socket error WSAECONNREFUSED, and ERROR_CONNECTION_REFUSED, which
// ConnectEx may report instead.
var refusedErrnos = []syscall.Errno{windows.WSAECONNREFUSED, windows.ERROR_CONNECTION_REFUSED}
