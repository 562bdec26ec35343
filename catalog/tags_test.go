package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTagsStrongestLevel(t *testing.T) {
	tags, err := ParseTags([]string{"@COP-3.6-2", "@COP-3.6-1", "@slow", "COP-3.6-1"})
	require.NoError(t, err)
	assert.Equal(t, []string{"COP-3.6-2", "COP-3.6-1"}, tags.IDs)
	assert.Equal(t, Must, tags.Level)
	assert.Equal(t, []string{"slow"}, tags.Extra)
}

func TestParseTagsExplicitLevel(t *testing.T) {
	_, err := ParseTags([]string{"@COP-3.5-6", "@info"})
	assert.ErrorIs(t, err, ErrLevelMismatch, "a tag cannot weaken a MUST: the level is the catalogue's alone")
	_, err = ParseTags([]string{"@COP-3.3-1", "@should"})
	assert.ErrorIs(t, err, ErrLevelMismatch)

	tags, err := ParseTags([]string{"PAT-6.3-2", "@SHOULD", "@should"})
	require.NoError(t, err)
	assert.Equal(t, Should, tags.Level)
	assert.Empty(t, tags.Extra)
}

func TestParseTagsShouldOnly(t *testing.T) {
	tags, err := ParseTags([]string{"@COP-R-3"})
	require.NoError(t, err)
	assert.Equal(t, Should, tags.Level)
}

func TestParseTagsUnknownID(t *testing.T) {
	_, err := ParseTags([]string{"@COP-3.5-6", "@COP-3.5-99"})
	require.ErrorIs(t, err, ErrUnknownRequirement)
	assert.Contains(t, err.Error(), "COP-3.5-99")

	_, err = ParseTags([]string{"@PAT-typo"})
	assert.ErrorIs(t, err, ErrUnknownRequirement)
}

func TestParseTagsNoID(t *testing.T) {
	_, err := ParseTags([]string{"@must", "@slow"})
	assert.ErrorIs(t, err, ErrNoRequirement)
	_, err = ParseTags(nil)
	assert.ErrorIs(t, err, ErrNoRequirement)
}

func TestParseTagsConflictingLevels(t *testing.T) {
	_, err := ParseTags([]string{"@COP-3.5-6", "@must", "@info"})
	assert.ErrorIs(t, err, ErrConflictingLevel)
}
