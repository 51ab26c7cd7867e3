package cuepoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Stores that hold one value per key (macOS preferences, the Windows registry) cannot
// replace a group in one step; setAllOrNothing reads the old values first, writes the new
// ones, and puts the old ones back when a write fails.

// kvValue is a typed value in such a store. kind is one of "string", "bool", "int",
// "float", "dword", "qword".
type kvValue struct {
	kind, text string
}

type kvGroup interface {
	get(key string) (kvValue, bool, error)
	set(key string, v kvValue) error
	del(key string) error
}

func setAllOrNothing(where string, g kvGroup, values map[string]string, typed func(string) kvValue) error {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	type prev struct {
		v  kvValue
		ok bool
	}
	olds := make([]prev, len(keys))
	for i, k := range keys {
		v, ok, err := g.get(k)
		if err != nil {
			return fmt.Errorf("%s: %s cannot be read: %v; nothing was written", where, k, err)
		}
		olds[i] = prev{v, ok}
	}
	for i, k := range keys {
		nv := typed(values[k])
		if olds[i].ok && olds[i].v == nv {
			continue
		}
		if err := g.set(k, nv); err != nil {
			var undoErrs []string
			for j := i - 1; j >= 0; j-- {
				var uerr error
				if olds[j].ok {
					uerr = g.set(keys[j], olds[j].v)
				} else {
					uerr = g.del(keys[j])
				}
				if uerr != nil {
					undoErrs = append(undoErrs, keys[j]+": "+uerr.Error())
				}
			}
			if len(undoErrs) > 0 {
				return fmt.Errorf("%s: %s cannot be written: %v; putting back the earlier values failed too (%s)",
					where, k, err, strings.Join(undoErrs, "; "))
			}
			return fmt.Errorf("%s: %s cannot be written: %v; the earlier values were put back", where, k, err)
		}
	}
	return nil
}

// unavailableSettings is a store this host cannot reach (the registry on Linux, ...).
type unavailableSettings struct {
	where, why string
}

func (u *unavailableSettings) Where() string { return u.where }

func (u *unavailableSettings) Get(string, string) (string, bool, error) {
	return "", false, fmt.Errorf("%s: %s", u.where, u.why)
}

func (u *unavailableSettings) Set(string, map[string]string) error {
	return fmt.Errorf("%s: %s; nothing was written", u.where, u.why)
}

// plistSettings is Qt's native store on macOS: the preferences domain whose file is path
// (~/Library/Preferences/com.stuchain.CuePoint.plist). Qt stores group/key as the
// preference "group.key" and booleans as plist booleans. It goes through the `defaults`
// tool (run), so cfprefsd, which caches preferences, sees every change; editing the file
// directly could be undone by that cache.
type plistSettings struct {
	path, domain string
	run          func(args ...string) (string, error)
}

func newPlistSettings(path, home string, run func(args ...string) (string, error)) *plistSettings {
	domain := strings.TrimSuffix(path, ".plist")
	if home != "" && filepath.Dir(path) == filepath.Join(home, "Library", "Preferences") {
		domain = filepath.Base(domain) // the usual place: name the domain, as Qt does
	}
	return &plistSettings{path: path, domain: domain, run: run}
}

func (p *plistSettings) Where() string { return p.path }

func (p *plistSettings) Get(group, key string) (string, bool, error) {
	if err := checkSettingValues(group, map[string]string{key: ""}); err != nil {
		return "", false, fmt.Errorf("%s: %v", p.path, err)
	}
	v, ok, err := (&plistGroup{p, group}).get(key)
	if err != nil {
		return "", false, fmt.Errorf("%s: %v", p.path, err)
	}
	return v.text, ok, nil
}

func (p *plistSettings) Set(group string, values map[string]string) error {
	if err := checkSettingValues(group, values); err != nil {
		return fmt.Errorf("%s: %v; nothing was written", p.path, err)
	}
	// Keep a backup of the file as it is on disk (cfprefsd may hold newer values in memory;
	// those are what the rollback below restores).
	if old, err := os.ReadFile(p.path); err == nil {
		perm := fs.FileMode(0o600)
		if st, err := os.Stat(p.path); err == nil {
			perm = st.Mode().Perm()
		}
		if err := writeTempAndRename(p.path+".bak", old, perm, nil); err != nil {
			return fmt.Errorf("%s: cannot keep a backup (%s.bak): %v; nothing was written", p.path, filepath.Base(p.path), err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: cannot be read: %s; nothing was written", p.path, plainErr(err))
	}
	return setAllOrNothing(p.path, &plistGroup{p, group}, values, func(s string) kvValue {
		if s == "true" || s == "false" {
			return kvValue{"bool", s}
		}
		return kvValue{"string", s}
	})
}

type plistGroup struct {
	p     *plistSettings
	group string
}

func (g *plistGroup) name(key string) string { return g.group + "." + key }

func (g *plistGroup) get(key string) (kvValue, bool, error) {
	out, err := g.p.run("read-type", g.p.domain, g.name(key))
	if err != nil {
		if strings.Contains(err.Error(), "does not exist") {
			return kvValue{}, false, nil
		}
		return kvValue{}, false, err
	}
	typ := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(out), "Type is"))
	var kind string
	switch typ {
	case "boolean":
		kind = "bool"
	case "string":
		kind = "string"
	case "integer":
		kind = "int"
	case "float":
		kind = "float"
	default:
		return kvValue{}, false, fmt.Errorf("%s is a %s, not a single value", g.name(key), typ)
	}
	out, err = g.p.run("read", g.p.domain, g.name(key))
	if err != nil {
		return kvValue{}, false, err
	}
	text := strings.TrimSuffix(out, "\n")
	if kind == "bool" {
		switch strings.TrimSpace(text) {
		case "1":
			text = "true"
		case "0":
			text = "false"
		default:
			return kvValue{}, false, fmt.Errorf("%s is a boolean that reads as %q", g.name(key), text)
		}
	}
	return kvValue{kind, text}, true, nil
}

func (g *plistGroup) set(key string, v kvValue) error {
	_, err := g.p.run("write", g.p.domain, g.name(key), "-"+v.kind, v.text)
	return err
}

func (g *plistGroup) del(key string) error {
	_, err := g.p.run("delete", g.p.domain, g.name(key))
	return err
}
