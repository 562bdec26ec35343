package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTranslateTags(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"@COP-3.5-6":          "@COP-3.5-6",
		"@must and not @long": "@must && ~@long",
		"@a or @b":            "@a,@b",
		"@a or @b and not @c": "@a,@b && ~@c",
		"@a,@b && ~@c":        "@a,@b && ~@c",
		"COP-2.1-1":           "@COP-2.1-1",
		"not @serial":         "~@serial",
	} {
		got, err := TranslateTags(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
}

func TestTranslateTagsRefusesWhatGodogMisreads(t *testing.T) {
	for _, in := range []string{"(@a or @b)", "@a,", "@a and", "@a @b", "not", "@a or or @b", "@a&@b"} {
		_, err := TranslateTags(in)
		assert.ErrorIs(t, err, ErrBadTags, in)
	}
}

func TestSectionTags(t *testing.T) {
	got, err := SectionTags("3.5, 4,R")
	require.NoError(t, err)
	assert.Equal(t, "@section-3.5,@section-4,@section-R", got)
	_, err = SectionTags("three")
	assert.ErrorIs(t, err, ErrBadTags)
}

func TestAndDistributesOverAlternatives(t *testing.T) {
	assert.Equal(t, "@a && ~@c,@b && ~@c", And("@a,@b", "~@c"))
	assert.Equal(t, "@a && @x,@a && @y,@b && @x,@b && @y", And("@a,@b", "", "@x,@y"))
	assert.Equal(t, "~@serial", And("", "~@serial"))
	assert.Equal(t, "", And("", ""))
}
