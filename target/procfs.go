//go:build linux

package target

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"strings"
)

// procRoot is where the process filesystem is mounted.
const procRoot = "/proc"

// procStat is what chatspec needs from /proc/PID/stat.
type procStat struct {
	state byte // R, S, D, Z, X, ...
	pgrp  int  // process group id
}

// readStat parses /proc/PID/stat. The command name may hold spaces or
// parentheses, so the fields are read after the last ')'.
func readStat(pid int) (procStat, bool) {
	b, err := os.ReadFile(procRoot + "/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return procStat{}, false
	}
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 3 || len(f[0]) != 1 {
		return procStat{}, false
	}
	pgrp, err := strconv.Atoi(f[2])
	if err != nil {
		return procStat{}, false
	}
	return procStat{state: f[0][0], pgrp: pgrp}, true
}

// live reports whether the process is still running (not a zombie or dead).
func (s procStat) live() bool { return s.state != 'Z' && s.state != 'X' && s.state != 'x' }

// groupMembers lists the live processes in process group pgid. ok is false when
// /proc cannot be read, so the caller can fall back on kill(-pgid, 0).
func groupMembers(pgid int) (pids []int, ok bool) {
	entries, err := os.ReadDir(procRoot)
	if err != nil {
		return nil, false
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, ok := readStat(pid); ok && st.pgrp == pgid && st.live() {
			pids = append(pids, pid)
		}
	}
	return pids, true
}

// vmRSS reads VmRSS from /proc/PID/status, in bytes.
func vmRSS(pid int) (int64, bool) {
	f, err := os.Open(procRoot + "/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, found := strings.CutPrefix(sc.Text(), "VmRSS:")
		if !found {
			continue
		}
		f := strings.Fields(rest) // "1234 kB"
		if len(f) < 1 {
			return 0, false
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		return kb * 1024, err == nil
	}
	return 0, false
}

// groupRSS sums VmRSS over the live members of process group pgid, falling
// back on the leader alone when /proc cannot be listed.
func groupRSS(pgid int) (int64, bool) {
	pids, ok := groupMembers(pgid)
	if !ok {
		pids = []int{pgid}
	}
	var total int64
	found := false
	for _, pid := range pids {
		if n, ok := vmRSS(pid); ok {
			total += n
			found = true
		}
	}
	return total, found
}
