package cuepoint

// This file and the other switches*.go files are the only part of the package that writes:
// they mirror the companion's consent decisions into CuePoint's own switches. Every write
// keeps every other byte of the file, goes through a temp file + fsync + rename, keeps a
// <file>.bak of the previous content, and is refused when the file does not parse.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// Switches are CuePoint's own consent switches; nil = not set in the file.
type Switches struct {
	TelemetryEnabled        *bool // ~/.cuepoint/config.yaml telemetry.enabled
	ErrorReportingEnabled   *bool // Qt settings [error_reporting] enabled
	ErrorReportingConsented *bool // [error_reporting] consented
	FirstRunPromptShown     *bool // [error_reporting] first_run_prompt_shown
}

// QtSettings is CuePoint's Qt settings store for org StuChain: an INI file on Linux, a plist
// on macOS, the registry on Windows.
type QtSettings interface {
	// Get returns the value of key in group as text (booleans as "true"/"false"); ok is
	// false when the store, the group or the key does not exist.
	Get(group, key string) (value string, ok bool, err error)
	// Set writes every value of the group or none of them (all-or-nothing).
	Set(group string, values map[string]string) error
	// Where is the file path or registry key, for messages.
	Where() string
}

// The groups and keys CuePoint uses.
const (
	ErrorReportingGroup = "error_reporting"
	keyEnabled          = "enabled"
	keyConsented        = "consented"
	keyFirstRunPrompt   = "first_run_prompt_shown"
)

// ErrUnparseable is wrapped by every write that was refused because the file (or a value in
// it) could not be understood; nothing was written.
var ErrUnparseable = errors.New("not written: the file could not be understood")

// ErrChangedMeanwhile is wrapped when the file changed between reading it and replacing it
// (CuePoint or the user saved it meanwhile); nothing was written, reading again and retrying
// is safe.
var ErrChangedMeanwhile = errors.New("not written: the file changed while it was being edited")

// NewQtSettings returns the settings store CuePoint's error-reporting switches live in for
// l.OS: the INI file on Linux (and other unixes), the plist preferences domain on macOS
// (through the `defaults` tool, so cfprefsd's cache stays coherent; works only when running
// on macOS), the HKCU registry key on Windows (works only when running on Windows). On
// the wrong host the macOS and Windows stores return a clear error from every method.
func NewQtSettings(l Locations) QtSettings {
	switch l.OS {
	case "darwin":
		return newPlistSettings(l.ErrorReportingSettings, l.Home, defaultsRunner)
	case "windows":
		return newRegistrySettings(l.ErrorReportingSettings)
	default:
		return &iniSettings{path: l.ErrorReportingSettings}
	}
}

// ReadSwitches reads CuePoint's consent switches: telemetry.enabled from l.ConfigYAML and the
// [error_reporting] keys from qt (NewQtSettings(l) when qt is nil). A missing file or key is
// nil, not a problem; a file that does not parse, or a value that is not a boolean, is a
// Problem (which file, what is wrong) and leaves the switch nil.
func ReadSwitches(l Locations, qt QtSettings) (Switches, []Problem) {
	var s Switches
	var problems []Problem
	if l.ConfigYAML != "" {
		v, p := readTelemetryEnabled(l.ConfigYAML)
		s.TelemetryEnabled = v
		if p != nil {
			problems = append(problems, *p)
		}
	}
	if qt == nil {
		qt = NewQtSettings(l)
	}
	targets := []struct {
		key string
		dst **bool
	}{
		{keyEnabled, &s.ErrorReportingEnabled},
		{keyConsented, &s.ErrorReportingConsented},
		{keyFirstRunPrompt, &s.FirstRunPromptShown},
	}
	for _, t := range targets {
		v, ok, err := qt.Get(ErrorReportingGroup, t.key)
		if err != nil {
			// One unreadable store is one problem, not three.
			problems = append(problems, Problem{qt.Where(), trimWhere(err.Error(), qt.Where())})
			break
		}
		if !ok {
			continue
		}
		b, ok := parseQtBool(v)
		if !ok {
			problems = append(problems, Problem{qt.Where(), fmt.Sprintf(
				"[%s] %s is %q, not true or false; CuePoint treats it as its default", ErrorReportingGroup, t.key, v)})
			continue
		}
		*t.dst = &b
	}
	return s, problems
}

// WriteTelemetryEnabled sets telemetry.enabled in CuePoint's config.yaml at path, changing
// only the bytes of that value (or inserting the key / the section when it is missing).
// When the file does not exist it is left alone when turning telemetry off (CuePoint's
// default is off) and created with just that key when turning it on.
func WriteTelemetryEnabled(path string, on bool) error {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if !on {
			return nil
		}
		return replaceFile(path, nil, false, []byte("telemetry:\n  enabled: true\n"))
	}
	if err != nil {
		return fmt.Errorf("%s: cannot be read: %s; nothing was written", path, plainErr(err))
	}
	updated, err := setTelemetryEnabled(old, on)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if string(updated) == string(old) {
		return nil
	}
	return replaceFile(path, old, true, updated)
}

// WriteErrorReporting sets [error_reporting] enabled and consented, and
// first_run_prompt_shown=true (so CuePoint does not ask again), all at once.
func WriteErrorReporting(qt QtSettings, enabled, consented bool) error {
	return qt.Set(ErrorReportingGroup, map[string]string{
		keyEnabled:        strconv.FormatBool(enabled),
		keyConsented:      strconv.FormatBool(consented),
		keyFirstRunPrompt: "true",
	})
}

// parseQtBool reads a boolean the way Qt writes it ("true"/"false"); "1"/"0" (registry
// DWORDs, plist integers) are accepted too.
func parseQtBool(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// trimWhere drops a leading "<where>: " from an error text (the Problem names the file).
func trimWhere(msg, where string) string {
	return strings.TrimPrefix(msg, where+": ")
}

// simpleSettingText reports whether s can be written into any Qt store without escaping.
func simpleSettingText(s string, allowEmpty bool) bool {
	if s == "" {
		return allowEmpty
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune("_-.:@+", r):
		default:
			return false
		}
	}
	return true
}

// checkSettingValues refuses keys and values this package would have to escape.
func checkSettingValues(group string, values map[string]string) error {
	if !simpleSettingText(group, false) || strings.Contains(group, ".") {
		return fmt.Errorf("group name %q is not supported (letters, digits, _ and - only)", group)
	}
	for k, v := range values {
		if !simpleSettingText(k, false) || strings.Contains(k, ".") {
			return fmt.Errorf("key name %q is not supported (letters, digits, _ and - only)", k)
		}
		if !simpleSettingText(v, true) {
			return fmt.Errorf("value %q for %s would need Qt escaping, which is not supported", v, k)
		}
	}
	return nil
}
