package patchat

// track follows the current room: where login says the user landed, and
// the room of every accepted switch.
func (e *Engine) track(action string, vars Vars) {
	if room := vars[VarRoom]; room != "" && (action == ActionLogin || action == ActionSwitch) {
		e.SetCurrent(room)
	}
}

// Current is the room the engine believes current ({current} of say and
// broadcast): set by login's captured room, an accepted switch or SetCurrent.
func (e *Engine) Current() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.current
}

// SetCurrent tells the engine the current room, e.g. the Main Room after a
// login whose reply does not name it.
func (e *Engine) SetCurrent(room string) {
	e.mu.Lock()
	e.current = room
	e.mu.Unlock()
}

// Tables returns a copy of the tables the splits have filled so far.
func (e *Engine) Tables() map[string]map[string]string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]map[string]string, len(e.tables))
	for name, t := range e.tables {
		out[name] = make(map[string]string, len(t))
		for k, v := range t {
			out[name][k] = v
		}
	}
	return out
}

// values is what the placeholders of the next step are filled from.
func (e *Engine) values(vars Vars) values {
	return values{vars: vars, tables: e.Tables(), sep: e.d.RoomsSeparator}
}

// remember adds a split's table entries (a later listing overwrites).
func (e *Engine) remember(name string, entries map[string]string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.tables == nil {
		e.tables = map[string]map[string]string{}
	}
	if e.tables[name] == nil {
		e.tables[name] = map[string]string{}
	}
	for k, v := range entries {
		e.tables[name][k] = v
	}
}
