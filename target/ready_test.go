//go:build linux

package target

import (
	"context"
	"errors"
	"net"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadyLineAndFile(t *testing.T) {
	opts := helperOpts()
	opts.Ready = regexp.MustCompile(`^helper stderr: listening on 127\.0\.0\.1:\d+$`)
	opts.ReadyFile = "{dir}/pid"
	tg := startHelper(t, helperCommand(), opts)
	assert.Contains(t, tg.Log(), "helper stderr: listening on "+tg.Addr(), "ready only after the line")
	assert.FileExists(t, tg.Dir()+"/pid")
}

func TestReadySignalsThatNeverComeTimeOut(t *testing.T) {
	for name, set := range map[string]func(*ExecOptions){
		"line": func(o *ExecOptions) { o.Ready = regexp.MustCompile("never printed") },
		"file": func(o *ExecOptions) { o.ReadyFile = "{dir}/never" },
	} {
		t.Run(name, func(t *testing.T) {
			opts := helperOpts()
			opts.StartTimeout = 300 * time.Millisecond
			set(&opts)
			_, err := Exec(context.Background(), helperCommand(), opts)
			require.ErrorIs(t, err, ErrStartTimeout)
			assert.Regexp(t, `no line of its output matched "never printed"|the file .*/never did not appear`, err.Error())
		})
	}
}

// TestProbeReplacesTheBareDial: readiness and Alive go through the probe
// (the helper accepts and closes, so the probe only dials, and counts).
func TestProbeReplacesTheBareDial(t *testing.T) {
	var calls atomic.Int64
	var fail atomic.Bool
	errSilent := errors.New("no greeting")
	opts := helperOpts()
	opts.Probe = func(ctx context.Context, addr string) error {
		calls.Add(1)
		if fail.Load() {
			return errSilent
		}
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return c.Close()
	}
	tg := startHelper(t, helperCommand(), opts)
	started := calls.Load()
	assert.Positive(t, started, "readiness used the probe")
	require.NoError(t, tg.Alive(context.Background()))
	assert.Equal(t, started+1, calls.Load())
	fail.Store(true)
	err := tg.Alive(context.Background())
	require.ErrorIs(t, err, ErrUnreachable)
	assert.ErrorIs(t, err, errSilent)
}

func TestLineWatchJudgesWholeLines(t *testing.T) {
	w := newLineWatch(regexp.MustCompile(`^ready on \d+$`))
	_, _ = w.Write([]byte("starting\nready o"))
	select {
	case <-w.matched:
		t.Fatal("matched half a line")
	default:
	}
	_, _ = w.Write([]byte("n 8083\r\nmore\n"))
	select {
	case <-w.matched:
	default:
		t.Fatal("a whole matching line (CRLF) did not match")
	}
}

// Polls the server never sees (a refused dial) keep a short fixed step; a
// failed check the server answered backs off, so a slow starter is not
// hammered.
func TestPollStepIsShortOnlyWhileRefused(t *testing.T) {
	b := backoff{next: readyStep, max: readyBackoff}
	refused := &DownError{Addr: "a", Reason: ErrRefused}
	for range 5 {
		assert.Equal(t, readyStep, pollStep(refused, &b))
	}
	answered := &DownError{Addr: "a", Reason: ErrUnreachable, Err: errors.New("no greeting")}
	var got []time.Duration
	for range 7 {
		got = append(got, pollStep(answered, &b))
	}
	ms := time.Millisecond
	assert.Equal(t, []time.Duration{10 * ms, 20 * ms, 40 * ms, 80 * ms, 160 * ms, 200 * ms, 200 * ms}, got)
}

// BenchmarkRestartSlowStarter restarts a server that takes 300 ms before it
// listens: "overshoot-ms" is how long past its start delay chatspec took to
// see it ready (process start and stop included).
func BenchmarkRestartSlowStarter(b *testing.B) {
	const delay = 300 * time.Millisecond
	tg, err := Exec(context.Background(), helperCommand(), helperOpts(helperStartDelay+"="+delay.String()))
	require.NoError(b, err)
	b.Cleanup(func() { _ = tg.Close() })
	b.ResetTimer()
	for range b.N {
		require.NoError(b, tg.Restart(context.Background()))
	}
	per := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(per.Milliseconds()), "ms/restart")
	b.ReportMetric(float64((per - delay).Milliseconds()), "overshoot-ms")
}
