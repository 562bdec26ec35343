package catalog

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Errors returned by ParseTags.
var (
	// ErrUnknownRequirement: a tag looks like a requirement ID but is not in the catalogue.
	ErrUnknownRequirement = errors.New("unknown requirement")
	// ErrNoRequirement: a scenario carries no requirement ID at all.
	ErrNoRequirement = errors.New("scenario has no requirement tag")
	// ErrConflictingLevel: a scenario carries two different level tags.
	ErrConflictingLevel = errors.New("conflicting level tags")
	// ErrLevelMismatch: a level tag differs from the catalogue's level of the
	// scenario's requirements; a level is the catalogue's alone, so a tag
	// can only repeat it.
	ErrLevelMismatch = errors.New("level tag differs from the catalogue")
)

// Tags is what a scenario's tags say about it.
type Tags struct {
	IDs   []string // requirement IDs, in tag order, without '@', duplicates removed
	Level Level    // the strongest catalogue level of IDs (a level tag must agree)
	Extra []string // every other tag, without '@', in tag order
}

// levelTags are the tags that set a scenario's level explicitly
// (compared case-insensitively; @may is the document's word for INFO).
var levelTags = map[string]Level{"must": Must, "should": Should, "info": Info, "may": Info}

// ParseTags reads a scenario's tags, with or without a leading '@'. A tag that
// starts with "COP-" or "PAT-" must be a catalogue ID: anything else is an
// ErrUnknownRequirement naming the tag, so a typo can never drop a check.
func ParseTags(tags []string) (Tags, error) {
	var t Tags
	var explicit Level
	for _, raw := range tags {
		tag := strings.TrimPrefix(strings.TrimSpace(raw), "@")
		if isRequirementTag(tag) {
			if err := t.addID(tag); err != nil {
				return Tags{}, err
			}
			continue
		}
		if lvl, ok := levelTags[strings.ToLower(tag)]; ok {
			if explicit != "" && explicit != lvl {
				return Tags{}, fmt.Errorf("%w: @%s and @%s", ErrConflictingLevel, strings.ToLower(string(explicit)), strings.ToLower(tag))
			}
			explicit = lvl
			continue
		}
		t.Extra = append(t.Extra, tag)
	}
	if len(t.IDs) == 0 {
		return Tags{}, fmt.Errorf("%w (tags: %s)", ErrNoRequirement, strings.Join(tags, " "))
	}
	t.Level = strongest(t.IDs)
	if explicit != "" && explicit != t.Level {
		return Tags{}, fmt.Errorf("%w: @%s on %s, which the catalogue makes %s",
			ErrLevelMismatch, strings.ToLower(string(explicit)), strings.Join(t.IDs, " "), t.Level)
	}
	return t, nil
}

// isRequirementTag reports whether a tag claims to be a requirement ID.
func isRequirementTag(tag string) bool {
	return strings.HasPrefix(tag, "COP-") || strings.HasPrefix(tag, "PAT-")
}

// addID records a requirement ID once, refusing IDs the catalogue lacks.
func (t *Tags) addID(id string) error {
	if _, ok := Lookup(id); !ok {
		return fmt.Errorf("%w: @%s", ErrUnknownRequirement, id)
	}
	if !slices.Contains(t.IDs, id) {
		t.IDs = append(t.IDs, id)
	}
	return nil
}

// strongest returns the highest level among catalogue IDs.
func strongest(ids []string) Level {
	best := Info
	for _, id := range ids {
		if r, _ := Lookup(id); Stronger(r.Level, best) {
			best = r.Level
		}
	}
	return best
}
