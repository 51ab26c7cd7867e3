package cuepoint

import (
	"fmt"
	"sync"
)

// FakeQtSettings is an in-memory QtSettings for tests (of this package and others). It is
// safe for concurrent use. The zero value is not usable; call NewFakeQtSettings.
type FakeQtSettings struct {
	mu     sync.Mutex
	groups map[string]map[string]string
	getErr error
	setErr error
	sets   int
	where  string
}

// NewFakeQtSettings returns an empty in-memory store.
func NewFakeQtSettings() *FakeQtSettings {
	return &FakeQtSettings{groups: map[string]map[string]string{}, where: "in-memory Qt settings"}
}

// Where names the fake in messages.
func (f *FakeQtSettings) Where() string { return f.where }

// Get returns a stored value; the error set with Fail when there is one.
func (f *FakeQtSettings) Get(group, key string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.getErr != nil {
		return "", false, f.getErr
	}
	v, ok := f.groups[group][key]
	return v, ok, nil
}

// Set stores every value, or none when a failure was set with Fail or a name or value is
// one the real stores refuse.
func (f *FakeQtSettings) Set(group string, values map[string]string) error {
	if err := checkSettingValues(group, values); err != nil {
		return fmt.Errorf("%s: %v; nothing was written", f.where, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.setErr != nil {
		return f.setErr
	}
	g := f.groups[group]
	if g == nil {
		g = map[string]string{}
		f.groups[group] = g
	}
	for k, v := range values {
		g[k] = v
	}
	f.sets++
	return nil
}

// Put stores one value without counting it as a Set: a change made "inside CuePoint".
func (f *FakeQtSettings) Put(group, key, value string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.groups[group] == nil {
		f.groups[group] = map[string]string{}
	}
	f.groups[group][key] = value
}

// Delete removes one value.
func (f *FakeQtSettings) Delete(group, key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.groups[group], key)
}

// Values returns a copy of a group's values.
func (f *FakeQtSettings) Values(group string) map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]string, len(f.groups[group]))
	for k, v := range f.groups[group] {
		out[k] = v
	}
	return out
}

// Sets counts the successful Set calls.
func (f *FakeQtSettings) Sets() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sets
}

// Fail makes every later Get return getErr and every later Set return setErr (nil for
// normal behaviour).
func (f *FakeQtSettings) Fail(getErr, setErr error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.getErr, f.setErr = getErr, setErr
}
