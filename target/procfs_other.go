//go:build unix && !linux

package target

// groupMembers cannot list a process group without /proc; ok false makes the
// caller fall back on kill(-pgid, 0).
func groupMembers(int) (pids []int, ok bool) { return nil, false }

// groupRSS is not measured without /proc.
func groupRSS(int) (int64, bool) { return 0, false }
