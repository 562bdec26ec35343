package patchat

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/chatspec/chatspec/fuzz"
)

// A small declared capacity bounds the many-connections cases.
func TestCapacityBoundsConnections(t *testing.T) {
	t.Parallel()
	p, err := Default()
	require.NoError(t, err)
	small := p.WithCapacity(5)
	most, mostSmall := 0, 0
	for i := range 400 {
		most = max(most, len(fuzz.GenerateCase(p, 1, i).Conns))
		mostSmall = max(mostSmall, len(fuzz.GenerateCase(small, 1, i).Conns))
	}
	assert.Greater(t, most, 10, "without a capacity, some case opens many connections")
	assert.LessOrEqual(t, mostSmall, 4, "capacity 5 less the probe's two")
}
