package patchat

import "github.com/chatspec/chatspec/profile"

// WithProfile returns a copy of p for a server with the declared choices:
// cases never log in more users at once than its capacity (less the two
// the health probe needs), so a full server is not mistaken for a broken one.
func (p *Protocol) WithProfile(prof profile.Profile) *Protocol {
	c := *p
	c.maxUsers = max(1, prof.Capacity-2)
	return &c
}
