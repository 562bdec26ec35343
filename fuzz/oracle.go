package fuzz

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chatspec/chatspec/target"
)

// Defaults of the oracles.
const (
	DefaultProbeTimeout = 5 * time.Second
	DefaultRSSGrowth    = 256 << 20 // bytes of resident memory growth that make a memory finding
	probeRetryPause     = 20 * time.Millisecond
	logTailBytes        = 4 << 10
	settlePoll          = 5 * time.Millisecond // between observations while settling
)

// Oracles run cases and judge the server: health probe, protocol decoding,
// exit status and resident memory. They are shared by the fuzz engine,
// replay and minimisation, so all three judge the same way.
type Oracles struct {
	Target       target.Target
	Protocol     Protocol
	Exec         ExecOptions
	ProbeTimeout time.Duration // whole-probe deadline (default DefaultProbeTimeout)
	RSSGrowth    int64         // memory finding threshold (default DefaultRSSGrowth)

	mu       sync.Mutex
	baseline int64 // RSS at the first observation, 0 until then
}

// Observe checks the server as it is now: exit status (--exec), the health
// probe, then resident memory growth. nil means healthy.
func (o *Oracles) Observe(ctx context.Context) *Verdict {
	if v := o.exitVerdict(); v != nil {
		return v
	}
	if v := ClassifyProbe(o.probe(ctx)); v != nil {
		if o.Target.CanRestart() && v.Kind == KindCrash {
			// A dying process may not be reaped yet: Alive waits a moment for it.
			_ = o.Target.Alive(ctx)
			if ev := o.exitVerdict(); ev != nil {
				return ev
			}
		}
		return v
	}
	// The probe's round trip is time for a dying process to finish dying.
	if v := o.exitVerdict(); v != nil {
		return v
	}
	return o.memoryVerdict()
}

// probe runs the protocol's probe within ProbeTimeout, retrying while the
// server says it is busy.
func (o *Oracles) probe(ctx context.Context) error {
	timeout := o.ProbeTimeout
	if timeout <= 0 {
		timeout = DefaultProbeTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		err := o.Protocol.Probe(ctx, o.Target.Addr())
		if !errors.Is(err, ErrProbeBusy) {
			return err
		}
		if !pause(ctx, probeRetryPause) {
			return fmt.Errorf("%w: server stayed busy: %v", ErrProbeTimeout, err)
		}
	}
}

// exitVerdict reports a server process that ended by itself.
func (o *Oracles) exitVerdict() *Verdict {
	status, exited := o.Target.Exited()
	if !exited {
		return nil
	}
	title := "exit: " + status
	if line := panicLine(o.Target.Log()); line != "" {
		title += ": " + line
	}
	return &Verdict{Kind: KindExit, Oracle: OracleExit, Title: title, Detail: "server ended by itself: " + status}
}

// panicLine finds the last "panic: ..." line of a server's output.
func panicLine(log string) string {
	lines := strings.Split(log, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
			return strings.TrimSuffix(l, " [recovered]")
		}
	}
	return ""
}

// memoryVerdict compares the RSS with the first one seen.
func (o *Oracles) memoryVerdict() *Verdict {
	rss, ok := o.Target.RSS()
	if !ok {
		return nil
	}
	limit := o.RSSGrowth
	if limit <= 0 {
		limit = DefaultRSSGrowth
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.baseline == 0 {
		o.baseline = rss
		return nil
	}
	if growth := rss - o.baseline; growth > limit {
		return &Verdict{Kind: KindMemory, Oracle: OracleMemory,
			Title:  fmt.Sprintf("memory: resident memory grew past %d MiB", limit>>20),
			Detail: fmt.Sprintf("RSS %d MiB, first seen %d MiB (growth %d MiB)", rss>>20, o.baseline>>20, growth>>20)}
	}
	return nil
}

// ResetBaseline forgets the RSS baseline (after a restart).
func (o *Oracles) ResetBaseline() {
	o.mu.Lock()
	o.baseline = 0
	o.mu.Unlock()
}

// RunAlone executes c on its own and judges it: a protocol violation on the
// case's connections, else what Observe sees afterwards.
func (o *Oracles) RunAlone(ctx context.Context, c Case) *Verdict {
	before := o.Target.Log()
	res := Execute(ctx, o.Target.Addr(), c, o.Protocol, o.Exec)
	v := ViolationVerdict(res)
	if v == nil {
		v = o.Observe(ctx)
	}
	return o.Sign(v, LogSince(before, o.Target.Log()), &c)
}

// Sign gives v its signature (see Signature) from output, the server's
// output since the case began, and c, the case when it is known; the title
// names the signature. It returns v.
func (o *Oracles) Sign(v *Verdict, output string, c *Case) *Verdict {
	if v == nil {
		return nil
	}
	where := ""
	if l, ok := o.Protocol.(Locator); ok && c != nil {
		where = l.Locate(*c)
	}
	base := v.Title
	if v.Signature.Key != "" {
		base = strings.TrimSuffix(base, " ["+v.Signature.Key+"]") // already signed once
	}
	switch sig, ok := OutputSignature(output); {
	case v.Kind == KindMemory:
		v.Signature = Signature{Key: "memory growth"}
	case v.Oracle == OracleDecode:
		if where != "" && !strings.Contains(v.Signature.Key, " in ") && !strings.Contains(v.Signature.Key, " after ") {
			v.Signature.Key += " after " + where
		}
	case ok:
		v.Signature = sig
	case SignalOf(v.Detail) != "":
		v.Signature = Signature{Key: "signal " + SignalOf(v.Detail) + " after " + orNothing(where)}
	default:
		v.Signature = Signature{Key: v.Oracle + " after " + orNothing(where)}
	}
	v.Title = base + " [" + v.Signature.Key + "]"
	if v.Signature.FromOutput() {
		v.Output = output[max(0, len(output)-logTailBytes):]
	}
	return v
}

func orNothing(where string) string {
	if where == "" {
		return "(no packet known)"
	}
	return where
}

// LogSince is the part of after (a server's output now) written since
// before (its output earlier). Both may be the tail of a bounded buffer: the
// end of before is looked for in after.
func LogSince(before, after string) string {
	if strings.HasPrefix(after, before) {
		return after[len(before):]
	}
	for _, n := range []int{256, 32} {
		anchor := before[max(0, len(before)-n):]
		if anchor == "" {
			break
		}
		if i := strings.LastIndex(after, anchor); i >= 0 {
			return after[i+len(anchor):]
		}
	}
	return after
}

// Test is the one test of a case that isolation, replay and the minimiser
// share: the case alone, then (with settle, for firings that take a server
// down) a short watch, since a server may die a moment after its case
// looked harmless. The verdict is signed.
func (o *Oracles) Test(ctx context.Context, c Case, settle bool) *Verdict {
	before := o.Target.Log()
	v := o.RunAlone(ctx, c)
	if v == nil && settle {
		v = o.Sign(o.Settle(ctx, settleTime), LogSince(before, o.Target.Log()), &c)
	}
	return v
}

// Settle watches a server that looks healthy for a while longer, observing
// it every settlePoll until d has passed: a verdict as soon as one fires,
// nil when the server stayed healthy throughout.
//
// Each observation gets the probe's whole timeout: d only decides whether
// another one starts, so a slow machine never turns the window into a hang.
func (o *Oracles) Settle(ctx context.Context, d time.Duration) *Verdict {
	end := time.Now().Add(d)
	for time.Now().Before(end) && pause(ctx, settlePoll) {
		if v := o.Observe(ctx); v != nil {
			return v
		}
	}
	return nil
}

// ViolationVerdict turns a case's protocol violation into a verdict.
func ViolationVerdict(res Result) *Verdict {
	if res.Violation == nil {
		return nil
	}
	key := "decode " + res.Violation.Token
	if res.Violation.Where != "" {
		key += " in " + res.Violation.Where
	}
	return &Verdict{Kind: KindProtocol, Oracle: OracleDecode,
		Title:     "protocol: " + res.Violation.Token,
		Detail:    fmt.Sprintf("connection %d: %s", res.ViolConn, res.Violation.Detail),
		Signature: Signature{Key: key}}
}

// Restart restarts the target when it can and forgets the RSS baseline.
func (o *Oracles) Restart(ctx context.Context) error {
	if !o.Target.CanRestart() {
		return target.ErrCannotRestart
	}
	o.ResetBaseline()
	return o.Target.Restart(ctx)
}

// LogTail is the end of the server's output since its last (re)start.
func (o *Oracles) LogTail() string {
	log := o.Target.Log()
	if i := strings.LastIndex(log, "--- chatspec: restarting"); i >= 0 {
		if j := strings.IndexByte(log[i:], '\n'); j >= 0 {
			log = log[i+j+1:]
		}
	}
	if len(log) > logTailBytes {
		log = log[len(log)-logTailBytes:]
	}
	return log
}
