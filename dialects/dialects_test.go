package dialects_test

import (
	"testing"

	"github.com/chatspec/chatspec/dialects"
	"github.com/chatspec/chatspec/wire/patchat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBundledDialectsAreValid(t *testing.T) {
	require.Equal(t, []string{"menu", "numbered", "reference"}, dialects.Names())
	for _, name := range dialects.Names() {
		b, err := dialects.Get(name)
		require.NoError(t, err)
		assert.Empty(t, patchat.Check(b, name+".yaml"), name)
		d, err := patchat.Parse(b, name+".yaml")
		require.NoError(t, err)
		assert.Equal(t, name, d.Name)
		assert.Equal(t, patchat.ScopeCurrent, d.ListUsersScope)
		assert.False(t, d.EchoOwnMessages)
	}
}

func TestDefaultIsReference(t *testing.T) {
	ref, err := dialects.Get("reference")
	require.NoError(t, err)
	assert.Equal(t, ref, dialects.Default())
}

func TestGetUnknown(t *testing.T) {
	for _, name := range []string{"nope", "../dialects/reference", "reference.yaml", ""} {
		_, err := dialects.Get(name)
		require.ErrorIs(t, err, dialects.ErrUnknown, name)
	}
}

func TestLoadTakesANameOrAPath(t *testing.T) {
	d, err := dialects.Load("menu")
	require.NoError(t, err)
	assert.Equal(t, "menu", d.Name)
	assert.Equal(t, "dialects/menu.yaml", d.Source)
	d, err = dialects.Load("")
	require.NoError(t, err)
	assert.Equal(t, "reference", d.Name)
	d, err = dialects.Load("reference.yaml") // a path: this package's directory
	require.NoError(t, err)
	assert.Equal(t, "reference.yaml", d.Source)
	_, err = dialects.Load("no-such.yaml")
	require.ErrorIs(t, err, dialects.ErrNotFound)
	assert.Contains(t, err.Error(), "menu")
}
