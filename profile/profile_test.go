package profile

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseOverridesDefaults(t *testing.T) {
	p, err := Parse([]byte("max-nick: 16\nidle-timeout: 2s\nanswer-order: reversed\n"), "p.yaml")
	require.NoError(t, err)
	assert.Equal(t, 16, p.MaxNick)
	assert.Equal(t, 2*time.Second, p.IdleTimeout)
	assert.Equal(t, OrderReversed, p.AnswerOrder)
	assert.Equal(t, 100, p.Capacity)
}

func TestParseEmptyIsDefault(t *testing.T) {
	p, err := Parse(nil, "empty")
	require.NoError(t, err)
	assert.Equal(t, Default(), p)
}

func TestParseRejectsTyposAndBadValues(t *testing.T) {
	for _, src := range []string{"max-nik: 3\n", "answer-order: sideways\n", "max-nick: 0\n", "idle-timeout: soon\n"} {
		_, err := Parse([]byte(src), "p.yaml")
		assert.ErrorIs(t, err, ErrBadProfile, src)
	}
}

func TestOptionsNameEveryKeyOfTheFile(t *testing.T) {
	p, err := Parse([]byte("max-nick: 16\nanswer-order: reversed\n"), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"max-nick": "16", "idle-timeout": "5m0s", "answer-order": "reversed", "capacity": "100", "long-wait": "10s"}
	got := p.Options()
	if len(got) != len(want) {
		t.Fatalf("Options() = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Options()[%q] = %q, want %q", k, got[k], v)
		}
	}
}
