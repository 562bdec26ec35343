package target

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRefusedKnowsThisSystemsErrors(t *testing.T) {
	for _, errno := range refusedErrnos {
		err := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", errno)}
		assert.True(t, Refused(err), "%v", errno)
		assert.True(t, Refused(fmt.Errorf("probe: %w", err)), "wrapped %v", errno)
	}
	assert.False(t, Refused(io.EOF))
	assert.False(t, Refused(context.DeadlineExceeded))
	assert.False(t, Refused(errors.New("connection refused"))) // words are not the error
	assert.False(t, Refused(nil))
}

func TestRefusedOnADialToAClosedPort(t *testing.T) {
	port, err := FreePort()
	require.NoError(t, err)
	_, err = net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	require.Error(t, err)
	assert.True(t, Refused(err), "%v", err)
}
