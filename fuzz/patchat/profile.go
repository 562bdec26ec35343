package patchat

// WithCapacity returns a copy of p for a server that serves capacity users
// at once (the profile's capacity): cases never log in more users at once
// than that, less the two the health probe needs, so a full server is not
// mistaken for a broken one.
func (p *Protocol) WithCapacity(capacity int) *Protocol {
	c := *p
	c.maxUsers = max(1, capacity-2)
	return &c
}
