package fuzz

import (
	"testing"
)

// FuzzParseFinding: any text either fails to parse with ErrBadFindingFile or
// parses to a finding whose file text parses back to the same case.
func FuzzParseFinding(f *testing.F) {
	f.Add(FormatFinding(sampleFinding()))
	f.Add([]byte(FileHeader + "\nkind: crash\nconn 0\nstep split\nrep 00 x 3\nend\n"))
	f.Add([]byte("chatspec-finding v1\n| stray\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseFinding(data)
		if err != nil {
			return
		}
		again, err := ParseFinding(FormatFinding(got))
		if err != nil {
			t.Fatalf("formatted finding does not parse: %v", err)
		}
		if !got.Case.Equal(again.Case) || got.Detail != again.Detail || got.Kind != again.Kind {
			t.Fatalf("round trip changed the finding")
		}
	})
}
