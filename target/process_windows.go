package target

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// stillActive is the exit code Windows reports for a process still running.
const stillActive = 259

// shellCommand runs command through cmd.exe /C in a new console process group
// (so CTRL_BREAK reaches the server and not chatspec). The command line is
// passed verbatim: Go's argument quoting would mangle cmd's own quoting.
func shellCommand(command string) *exec.Cmd {
	shell := os.Getenv("ComSpec")
	if shell == "" {
		shell = "cmd.exe"
	}
	cmd := exec.Command(shell)
	cmd.SysProcAttr = &syscall.SysProcAttr{
		CmdLine:       fmt.Sprintf(`%s /D /S /C "%s"`, syscall.EscapeArg(shell), command),
		CreationFlags: windows.CREATE_NEW_PROCESS_GROUP,
	}
	return cmd
}

// CommandLine joins argv into an Exec command for cmd.exe: each argument in
// double quotes, so that cmd's own characters (& | < > ^) stay literal.
// Placeholders such as {addr} inside an argument are still filled in.
func CommandLine(argv ...string) string {
	quoted := make([]string, len(argv))
	for i, a := range argv {
		quoted[i] = `"` + strings.ReplaceAll(a, `"`, `\"`) + `"`
	}
	return strings.Join(quoted, " ")
}

// procGroup is the job object holding the --exec shell and every process it
// starts. The job is created with kill-on-close, so when chatspec dies (and
// its handles close) the server dies with it: Windows' parent-death signal.
// job is 0 when the job could not be set up; then only the leader is handled.
type procGroup struct {
	job  windows.Handle
	proc *os.Process
}

// joinGroup puts the freshly started leader in a new kill-on-close job. A
// child the shell starts in the instant before the assignment escapes the
// job; in practice the shell has not run anything yet.
func joinGroup(cmd *exec.Cmd) procGroup {
	g := procGroup{proc: cmd.Process}
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return g
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{}
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	_, err = windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)))
	if err == nil {
		err = assignPid(job, cmd.Process.Pid)
	}
	if err != nil {
		_ = windows.CloseHandle(job)
		return g
	}
	g.job = job
	return g
}

// assignPid adds process pid to job.
func assignPid(job windows.Handle, pid int) error {
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(pid))
	if err != nil {
		return err
	}
	defer windows.CloseHandle(h)
	return windows.AssignProcessToJobObject(job, h)
}

// basicAccounting mirrors JOBOBJECT_BASIC_ACCOUNTING_INFORMATION.
type basicAccounting struct {
	TotalUserTime, TotalKernelTime, ThisPeriodUserTime, ThisPeriodKernelTime int64
	TotalPageFaults, TotalProcesses, ActiveProcesses, TotalTerminated        uint32
}

// alive reports whether any process of the job (or the leader, without a job) still runs.
func (g procGroup) alive() bool {
	if g.job == 0 {
		return pidAlive(g.proc.Pid)
	}
	var info basicAccounting
	err := windows.QueryInformationJobObject(g.job, windows.JobObjectBasicAccountingInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)), nil)
	if err != nil {
		return pidAlive(g.proc.Pid)
	}
	return info.ActiveProcesses > 0
}

// pidAlive reports whether process pid has not exited yet.
func pidAlive(pid int) bool {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return false
	}
	defer windows.CloseHandle(h)
	var code uint32
	return windows.GetExitCodeProcess(h, &code) == nil && code == stillActive
}

// terminate asks politely: CTRL_BREAK to the leader's console process group,
// which a Go server sees as os.Interrupt and a C server as SIGBREAK.
func (g procGroup) terminate() {
	_ = windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, uint32(g.proc.Pid))
}

// kill ends every process in the job at once (the leader alone without a job).
func (g procGroup) kill() {
	if g.job == 0 || windows.TerminateJobObject(g.job, 1) != nil {
		_ = g.proc.Kill()
	}
}

// release closes the job handle; kill-on-close ends anything still in it.
func (g procGroup) release() {
	if g.job != 0 {
		_ = windows.CloseHandle(g.job)
	}
}

// rss is not measured on Windows.
func (g procGroup) rss() (int64, bool) { return 0, false }

// ntStatusNames names the exit codes of the usual ways a Windows program crashes.
var ntStatusNames = map[uint32]string{
	0xC0000005: "access violation",
	0xC00000FD: "stack overflow",
	0xC0000094: "integer divide by zero",
	0xC0000409: "stack buffer overrun or abort",
	0xC000013A: "ended by CTRL+C",
	0xC0000374: "heap corruption",
}

// describeExit turns an exit code into "exit status 2", or for a crash
// "exit status 0xC0000005 (access violation)".
func describeExit(sys any) string {
	ws, ok := sys.(syscall.WaitStatus)
	if !ok {
		return fmt.Sprintf("ended (%v)", sys)
	}
	if name, ok := ntStatusNames[ws.ExitCode]; ok {
		return fmt.Sprintf("exit status 0x%08X (%s)", ws.ExitCode, name)
	}
	return fmt.Sprintf("exit status %d", ws.ExitCode)
}
