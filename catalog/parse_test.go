package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseGoodCatalogue(t *testing.T) {
	data := "# comment\n\nCOP-3.5-10\tSHOULD\t-\t-\tIds are hard to guess.\r\nPAT-3-1\tMUST\texec\t-\tListens.\nPAT-7-1\tINFO\t-\tnot visible\tHashes.\n"
	reqs, err := parse([]byte(data))
	require.NoError(t, err)
	require.Len(t, reqs, 3)
	assert.Equal(t, Requirement{ID: "COP-3.5-10", Protocol: ChatOS, Section: "3.5", Level: Should, Text: "Ids are hard to guess."}, reqs[0])
	assert.Equal(t, NeedsExec, reqs[1].Needs)
	assert.Equal(t, "not visible", reqs[2].Untestable)
}

func TestParseRejectsMalformedLines(t *testing.T) {
	cases := map[string]string{
		"too few fields":  "COP-2.1-1\tMUST\t-\tText\n",
		"too many fields": "COP-2.1-1\tMUST\t-\t-\tText\textra\n",
		"bad ID":          "COP-2.1\tMUST\t-\t-\tText\n",
		"bad prefix":      "IRC-2.1-1\tMUST\t-\t-\tText\n",
		"bad level":       "COP-2.1-1\tMAY\t-\t-\tText\n",
		"bad needs":       "COP-2.1-1\tMUST\troot\t-\tText\n",
		"empty text":      "COP-2.1-1\tMUST\t-\t-\t \n",
		"duplicate":       "COP-2.1-1\tMUST\t-\t-\tA\nCOP-2.1-1\tMUST\t-\t-\tB\n",
		"empty":           "# nothing\n",
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parse([]byte(data))
			assert.ErrorIs(t, err, ErrMalformedCatalog)
		})
	}
}

func TestParseErrorNamesLine(t *testing.T) {
	_, err := parse([]byte("# c\nCOP-2.1-1\tMUST\t-\t-\tA\nCOP-2.1-2\tOFTEN\t-\t-\tB\n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line 3")
	assert.Contains(t, err.Error(), "COP-2.1-2")
}

func TestMustLoadPanicsOnMalformedCatalogue(t *testing.T) {
	assert.PanicsWithValue(t,
		`catalog: embedded requirements.tsv: malformed requirement catalogue: line 1: bad requirement ID "COP-x"`,
		func() { mustLoad([]byte("COP-x\tMUST\t-\t-\tText\n")) })
	assert.NotPanics(t, func() { mustLoad(requirementsTSV) })
}
