//go:build windows

package cuepoint

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/sys/windows/registry"
)

// registrySettings is Qt's native store on Windows: group/key is the value key under the
// subkey <where>\group (HKCU\Software\StuChain\CuePoint\error_reporting). Qt writes
// booleans as REG_SZ "true"/"false"; integers it may have written as REG_DWORD/REG_QWORD
// are read too.
type registrySettings struct {
	where, subkey string
	err           error
}

func newRegistrySettings(where string) QtSettings {
	s := &registrySettings{where: where}
	const prefix = `HKCU\`
	if !strings.HasPrefix(strings.ToUpper(where), prefix) {
		s.err = errors.New(`only keys under HKCU\ are supported`)
	} else {
		s.subkey = where[len(prefix):]
	}
	return s
}

func (s *registrySettings) Where() string { return s.where }

func (s *registrySettings) Get(group, key string) (string, bool, error) {
	if s.err != nil {
		return "", false, fmt.Errorf("%s: %v", s.where, s.err)
	}
	if err := checkSettingValues(group, map[string]string{key: ""}); err != nil {
		return "", false, fmt.Errorf("%s: %v", s.where, err)
	}
	k, err := registry.OpenKey(registry.CURRENT_USER, s.subkey+`\`+group, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf(`%s\%s: cannot be opened: %v`, s.where, group, err)
	}
	defer k.Close()
	v, ok, err := (&regGroup{k}).get(key)
	if err != nil {
		return "", false, fmt.Errorf(`%s\%s: %v`, s.where, group, err)
	}
	return v.text, ok, nil
}

func (s *registrySettings) Set(group string, values map[string]string) error {
	if s.err != nil {
		return fmt.Errorf("%s: %v; nothing was written", s.where, s.err)
	}
	if err := checkSettingValues(group, values); err != nil {
		return fmt.Errorf("%s: %v; nothing was written", s.where, err)
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, s.subkey+`\`+group, registry.QUERY_VALUE|registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf(`%s\%s: cannot be opened for writing: %v; nothing was written`, s.where, group, err)
	}
	defer k.Close()
	return setAllOrNothing(s.where+`\`+group, &regGroup{k}, values, func(v string) kvValue {
		return kvValue{"string", v}
	})
}

type regGroup struct{ k registry.Key }

func (g *regGroup) get(name string) (kvValue, bool, error) {
	_, typ, err := g.k.GetValue(name, nil)
	if errors.Is(err, registry.ErrNotExist) {
		return kvValue{}, false, nil
	}
	if err != nil {
		return kvValue{}, false, err
	}
	switch typ {
	case registry.SZ, registry.EXPAND_SZ:
		v, _, err := g.k.GetStringValue(name)
		if err != nil {
			return kvValue{}, false, err
		}
		return kvValue{"string", v}, true, nil
	case registry.DWORD, registry.QWORD:
		v, _, err := g.k.GetIntegerValue(name)
		if err != nil {
			return kvValue{}, false, err
		}
		kind := "dword"
		if typ == registry.QWORD {
			kind = "qword"
		}
		return kvValue{kind, strconv.FormatUint(v, 10)}, true, nil
	}
	return kvValue{}, false, fmt.Errorf("%s is a registry value of type %d, not text or a number", name, typ)
}

func (g *regGroup) set(name string, v kvValue) error {
	switch v.kind {
	case "dword":
		n, err := strconv.ParseUint(v.text, 10, 32)
		if err != nil {
			return err
		}
		return g.k.SetDWordValue(name, uint32(n))
	case "qword":
		n, err := strconv.ParseUint(v.text, 10, 64)
		if err != nil {
			return err
		}
		return g.k.SetQWordValue(name, n)
	}
	return g.k.SetStringValue(name, v.text)
}

func (g *regGroup) del(name string) error { return g.k.DeleteValue(name) }
