package patchat_test

import (
	"testing"
	"fmt"

	refpat "github.com/chatspec/chatspec/reference/patchat"
	"github.com/chatspec/chatspec/target"
)

func TestDbg(t *testing.T) {
	tg := referenceTarget(t, refpat.Config{})
	remote, _ := target.Remote(tg.Addr())
	for _, tags := range []string{"@PAT-4.2-1", "@PAT-3-1", "@PAT-4.2-1,@PAT-3-1", "@PAT-3-1,@PAT-4.2-1"} {
		r := run(t, remote, dialect(t, "reference"), tags, false)
		fmt.Println(tags)
		for _, res := range r.Results { fmt.Println("  ", res.Reqs, res.Outcome, res.Location) }
	}
}
