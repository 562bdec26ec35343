package chatos

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFaults(t *testing.T) {
	f, err := ParseFaults("duplicate-nick, SenderFromPacket,,one_read_one_frame")
	require.NoError(t, err)
	assert.Equal(t, Faults{DuplicateNick: true, SenderFromPacket: true, OneReadOneFrame: true}, f)
	assert.Equal(t, []string{"duplicate-nick", "sender-from-packet", "one-read-one-frame"}, f.Names())

	none, err := ParseFaults("")
	require.NoError(t, err)
	assert.Equal(t, Faults{}, none)

	_, err = ParseFaults("duplicate-nick,nope")
	assert.ErrorIs(t, err, ErrUnknownFault)
	assert.ErrorContains(t, err, `"nope"`)
}

// Every name parses, each to a different single switch, and every switch of
// Faults has a name.
func TestFaultNamesCoverEverySwitch(t *testing.T) {
	names := FaultNames()
	assert.Len(t, names, reflect.TypeOf(Faults{}).NumField())
	var all Faults
	for _, n := range names {
		f, err := ParseFaults(n)
		require.NoError(t, err, n)
		assert.Equal(t, []string{n}, f.Names())
		all, err = ParseFaults(n + "," + strings.Join(all.Names(), ","))
		require.NoError(t, err)
	}
	assert.Equal(t, names, all.Names())
	v := reflect.ValueOf(all)
	for i := range v.NumField() {
		assert.True(t, v.Field(i).Bool(), "switch %s has no name", v.Type().Field(i).Name)
	}
}

func TestConfigValidate(t *testing.T) {
	assert.NoError(t, DefaultConfig().Validate())
	assert.NoError(t, Config{}.Validate(), "zero fields take defaults")
	for name, cfg := range map[string]Config{
		"answer order": {AnswerOrder: "sideways"},
		"nick chars":   {NickChars: `a-\`},
		"negative":     {MaxConns: -1},
		"timeout":      {IdleTimeout: -time.Second},
		"string cap":   {MaxString: 100},
	} {
		assert.ErrorIs(t, cfg.Validate(), ErrInvalidConfig, name)
	}
}

func TestConfigDefaults(t *testing.T) {
	d := DefaultConfig()
	assert.Equal(t, 32, d.MaxNick)
	assert.Equal(t, 300*time.Second, d.IdleTimeout)
	assert.Equal(t, 512, d.MaxMessage)
	assert.Equal(t, AnswerRequest, d.AnswerOrder)
	assert.True(t, d.EchoPublic)
	z := Config{}.withDefaults()
	assert.Equal(t, d.QueueLen, z.QueueLen)
	assert.NotNil(t, z.Logger)
}
