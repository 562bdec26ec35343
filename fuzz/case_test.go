package fuzz

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBuilderAlignOrdersAcrossConnections(t *testing.T) {
	b := NewBuilder("p")
	a, c := b.Conn(), b.Conn()
	b.Send(a, Step{Data: []byte("1")})
	b.Send(a, Step{Data: []byte("2")})
	b.Align()
	b.Send(c, Step{Data: []byte("3")})
	got := b.Case()
	assert.Equal(t, 3, got.Rounds(), "c's step runs in round 2, after both of a's")
	assert.Equal(t, []byte("3"), got.Conns[c].Steps[2].Data)
	assert.Equal(t, 3, got.Size())
	assert.Equal(t, 5, got.StepCount())
}

func TestCloneIsDeep(t *testing.T) {
	c := sampleFinding().Case
	d := c.Clone()
	d.Conns[0].Steps[0].Data[0] = 'Z'
	d.Conns[1].Steps[0].Fill.Conn = 9
	assert.NotEqual(t, byte('Z'), c.Conns[0].Steps[0].Data[0])
	assert.Equal(t, 0, c.Conns[1].Steps[0].Fill.Conn)
	assert.False(t, c.Equal(d))
}

func TestCaseRandDependsOnlyOnSeedAndIndex(t *testing.T) {
	assert.Equal(t, CaseRand(5, 3).Uint64(), CaseRand(5, 3).Uint64())
	assert.NotEqual(t, CaseRand(5, 3).Uint64(), CaseRand(5, 4).Uint64())
	assert.NotEqual(t, CaseRand(5, 3).Uint64(), CaseRand(6, 3).Uint64())
}

func TestClassifyProbe(t *testing.T) {
	assert.Nil(t, ClassifyProbe(nil))
	for err, kind := range map[error]Kind{
		ErrProbeRefused: KindCrash, ErrProbeClosed: KindCrash, ErrProbeTimeout: KindHang, ErrProbeReply: KindProtocol,
	} {
		v := ClassifyProbe(fmt.Errorf("%w: stage", err))
		assert.Equal(t, kind, v.Kind, err.Error())
		assert.Equal(t, OracleProbe, v.Oracle)
	}
	assert.ErrorIs(t, ProbeNetError("x", errors.New("weird")), ErrProbeClosed)
}

func TestParseKind(t *testing.T) {
	for _, k := range Kinds {
		got, err := ParseKind(string(k))
		assert.NoError(t, err)
		assert.Equal(t, k, got)
	}
	_, err := ParseKind("boom")
	assert.ErrorIs(t, err, ErrUnknownKind)
}
