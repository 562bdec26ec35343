package patchat_test

import (
	"bufio"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	stpatchat "github.com/chatspec/chatspec/steps/patchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fragile is a Pat Chat server in the reference's wording that notes how
// each client left: with "exit", or silently (which kills real servers).
func fragile(t *testing.T, greet bool) (addr string, left chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	left = make(chan string, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				if !greet {
					_, _ = c.Read(make([]byte, 1))
					return
				}
				_, _ = c.Write([]byte("HELLO pat chat\n"))
				line, err := bufio.NewReader(c).ReadString('\n')
				if err != nil {
					left <- "silently"
					return
				}
				_, _ = c.Write([]byte("BYE\n"))
				left <- strings.TrimSpace(line)
			}()
		}
	}()
	return ln.Addr().String(), left
}

func TestProbeReadsTheGreetingAndSaysGoodbye(t *testing.T) {
	t.Parallel()
	addr, left := fragile(t, true)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	require.NoError(t, stpatchat.Probe(dialect(t, "reference"))(ctx, addr))
	assert.Equal(t, "exit", <-left, "the probe leaves the way the dialect says, never silently")
}

// TestProbeTellsADroppedConnectionFromSilence: closing before the greeting
// is dying; saying nothing at all is alive (failing, for the scenarios).
func TestProbeTellsADroppedConnectionFromSilence(t *testing.T) {
	t.Parallel()
	addr, _ := fragile(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	assert.NoError(t, stpatchat.Probe(dialect(t, "reference"))(ctx, addr), "silent but open")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	assert.ErrorIs(t, stpatchat.Probe(dialect(t, "reference"))(ctx, ln.Addr().String()), stpatchat.ErrProbeDropped)
}
