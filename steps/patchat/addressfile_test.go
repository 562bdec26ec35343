package patchat_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chatspec/chatspec/dialects"
	"github.com/chatspec/chatspec/results"
	"github.com/chatspec/chatspec/target"
	wire "github.com/chatspec/chatspec/wire/patchat"
	"github.com/stretchr/testify/require"
)

// TestDialectNamesTheAddressFile: a server started in {dir} (--exec-in-dir)
// writes state/address.txt relative to its working directory; the dialect's
// address_file finds it there, and the default name (address.txt) reports
// that it is absent.
func TestDialectNamesTheAddressFile(t *testing.T) {
	t.Parallel()
	command := fmt.Sprintf("mkdir state && exec '%s' -- {addr} state", os.Args[0])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tg, err := target.Exec(ctx, command, target.ExecOptions{Env: []string{helperEnv + "=1"}, InDir: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = tg.Close() })
	port := tg.Addr()[strings.LastIndexByte(tg.Addr(), ':')+1:]

	b, err := dialects.Get("reference")
	require.NoError(t, err)
	named, err := wire.Parse([]byte("address_file: state/address.txt\n"+string(b)), "named.yaml")
	require.NoError(t, err)
	row := reqRow(t, run(t, tg, named, "@PAT-4.2-1", false), "PAT-4.2-1")
	require.Equal(t, results.Info, row.Outcome, row.Message)
	require.Contains(t, strings.Join(row.Notes, "\n"), "names its port "+port)

	row = reqRow(t, run(t, tg, dialect(t, "reference"), "@PAT-4.2-1", false), "PAT-4.2-1")
	require.Equal(t, results.Untestable, row.Outcome)
	require.Contains(t, row.Message, "no address.txt in the server's directory")
}
