package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequirementFields(t *testing.T) {
	r, ok := Lookup("COP-3.5-6")
	require.True(t, ok)
	assert.Equal(t, ChatOS, r.Protocol)
	assert.Equal(t, "3.5", r.Section)
	assert.Equal(t, Must, r.Level)
	assert.NotEmpty(t, r.Text)

	r, ok = Lookup("PAT-R-2")
	require.True(t, ok)
	assert.Equal(t, PatChat, r.Protocol)
	assert.Equal(t, "R", r.Section)

	r, _ = Lookup("PAT-1-3")
	assert.Equal(t, "1", r.Section)
	r, _ = Lookup("PAT-3-4")
	assert.Equal(t, Info, r.Level, "MAY is recorded as INFO")

	_, ok = Lookup("COP-9.9-9")
	assert.False(t, ok)
}

func TestNeedsAndUntestable(t *testing.T) {
	for _, id := range []string{"PAT-3-1", "PAT-4.2-1", "PAT-4.4-3"} {
		r, _ := Lookup(id)
		assert.Equal(t, NeedsExec, r.Needs, id)
	}
	r, _ := Lookup("PAT-7-1")
	assert.NotEmpty(t, r.Untestable)
	r, _ = Lookup("PAT-3-7")
	assert.Empty(t, r.Untestable, "PAT-3-7 can be observed")
	for _, r := range All() {
		if r.Needs != "" {
			assert.Empty(t, r.Untestable, "%s: needs exec yet untestable", r.ID)
		}
	}
}

func TestAllIsSorted(t *testing.T) {
	reqs := All()
	require.NotEmpty(t, reqs)
	for i := 1; i < len(reqs); i++ {
		assert.Negative(t, compareRequirements(reqs[i-1], reqs[i]), "%s before %s", reqs[i-1].ID, reqs[i].ID)
	}
	assert.Equal(t, "COP-2.1-1", reqs[0].ID)
	idx := map[string]int{}
	for i, r := range reqs {
		idx[r.ID] = i
	}
	assert.Less(t, idx["COP-3.5-9"], idx["COP-3.5-10"])
	assert.Less(t, idx["COP-6.1-1"], idx["COP-R-1"])
	assert.Less(t, idx["COP-R-5"], idx["PAT-1-1"])
	assert.Less(t, idx["PAT-7-1"], idx["PAT-R-1"])

	reqs[0].ID = "changed"
	assert.Equal(t, "COP-2.1-1", All()[0].ID, "All returns a copy")
}

func TestForProtocol(t *testing.T) {
	cop, pat := ForProtocol(ChatOS), ForProtocol(PatChat)
	assert.Len(t, cop, 44)
	assert.Len(t, pat, 33)
	for _, r := range cop {
		assert.Equal(t, ChatOS, r.Protocol)
	}
	for _, r := range pat {
		assert.Equal(t, PatChat, r.Protocol)
	}
	assert.Empty(t, ForProtocol("irc"))
}

func TestCompareSection(t *testing.T) {
	ordered := []string{"1", "2", "2.1", "2.2", "2.10", "3", "3.1", "10", "R"}
	for i := 0; i < len(ordered); i++ {
		assert.Zero(t, CompareSection(ordered[i], ordered[i]))
		for j := i + 1; j < len(ordered); j++ {
			assert.Equal(t, -1, CompareSection(ordered[i], ordered[j]), "%s < %s", ordered[i], ordered[j])
			assert.Equal(t, 1, CompareSection(ordered[j], ordered[i]), "%s > %s", ordered[j], ordered[i])
		}
	}
	assert.Equal(t, -1, CompareSection("99999999999999999999999", "100000000000000000000000"), "no overflow")
}

func TestCompareID(t *testing.T) {
	ordered := []string{"COP-2.1-1", "COP-3.5-1", "COP-3.5-2", "COP-3.5-10", "COP-3.5-11", "COP-4-1", "COP-R-1", "PAT-1-1"}
	for i := 0; i < len(ordered); i++ {
		assert.Zero(t, CompareID(ordered[i], ordered[i]))
		for j := i + 1; j < len(ordered); j++ {
			assert.Equal(t, -1, CompareID(ordered[i], ordered[j]), "%s < %s", ordered[i], ordered[j])
			assert.Equal(t, 1, CompareID(ordered[j], ordered[i]), "%s > %s", ordered[j], ordered[i])
		}
	}
	assert.Equal(t, -1, CompareID("COP-1", "COP-1-1"), "a prefix sorts first")
}

func TestStronger(t *testing.T) {
	assert.True(t, Stronger(Must, Should))
	assert.True(t, Stronger(Should, Info))
	assert.False(t, Stronger(Info, Must))
	assert.False(t, Stronger(Must, Must))
	assert.False(t, Level("MAY").Valid())
}

func TestDocumentsAndDigest(t *testing.T) {
	for _, p := range []string{ChatOS, PatChat} {
		d, ok := Documents[p]
		if !ok || len(d.SHA256) != 64 || d.Title == "" {
			t.Errorf("Documents[%q] = %+v", p, d)
		}
	}
	if len(Digest()) != 64 {
		t.Errorf("Digest() = %q", Digest())
	}
}
