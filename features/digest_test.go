package features

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDigestNamesTheExactFiles(t *testing.T) {
	a := fstest.MapFS{"x.feature": {Data: []byte("Feature: x\n")}, "notes.txt": {Data: []byte("ignored")}}
	b := fstest.MapFS{"x.feature": {Data: []byte("Feature: y\n")}}
	c := fstest.MapFS{"y.feature": {Data: []byte("Feature: x\n")}}
	da, err := Digest(a)
	require.NoError(t, err)
	db, _ := Digest(b)
	dc, _ := Digest(c)
	delete(a, "notes.txt")
	da2, _ := Digest(a)
	assert.Equal(t, da, da2, "only .feature files count")
	assert.NotEqual(t, da, db, "content")
	assert.NotEqual(t, da, dc, "path")
	chatos, _ := Digest(ChatOS())
	patchat, _ := Digest(PatChat())
	assert.Len(t, chatos, 64)
	assert.NotEqual(t, chatos, patchat)
}
