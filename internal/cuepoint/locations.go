package cuepoint

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Locations are the places CuePoint uses for one user on one OS.
//
// CuePoint computes its folders from Qt's standard locations; because Qt's application name
// is set only after logging starts, the same folder appears in two variants, and both are
// listed.
type Locations struct {
	OS   string // runtime.GOOS value the paths were computed for
	Home string

	EarlyLogDir string // root logger: cuepoint.log (+ .1–.5)
	AppLogDir   string // later app dir: crash files and CuePoint's own bundles
	CrashDirs   []string

	DotDir      string // ~/.cuepoint
	ConfigYAML  string
	ServiceLog  string // ~/.cuepoint/logs/cuepoint.log
	EventsJSONL string
	ErrorCache  string

	// Qt settings. On Linux INI files; on macOS plist files; on Windows registry keys
	// (written as HKCU\... strings, not paths).
	ErrorReportingSettings string
	PrivacySettings        string

	OutputDir string
}

// Env is how Locate reads environment variables (os.Getenv in production).
type Env func(string) string

// Locate returns CuePoint's locations for the current OS. home, when not empty, is the
// --cuepoint-home override: it is taken as the user's home folder and every location is
// derived from it alone (XDG and %LOCALAPPDATA% variables are then ignored, so a test or an
// odd install sees exactly that tree).
func Locate(home string, env Env) (Locations, error) {
	override := home != ""
	if !override {
		h, err := os.UserHomeDir()
		if err != nil {
			return Locations{}, err
		}
		home = h
	}
	if override || env == nil {
		env = func(string) string { return "" }
	}
	return LocationsFor(runtime.GOOS, home, env), nil
}

// LocationsFor computes the locations for goos and a home folder. It is pure, so every OS's
// layout can be tested on any OS.
func LocationsFor(goos, home string, env Env) Locations {
	if env == nil {
		env = func(string) string { return "" }
	}
	join := filepath.Join
	if goos == "windows" && runtime.GOOS != "windows" {
		join = func(p ...string) string { return strings.Join(p, `\`) }
	}
	l := Locations{OS: goos, Home: home}
	var dataRoot string
	switch goos {
	case "darwin":
		dataRoot = join(home, "Library", "Application Support")
		l.ErrorReportingSettings = join(home, "Library", "Preferences", "com.stuchain.CuePoint.plist")
		l.PrivacySettings = join(home, "Library", "Preferences", "com.cuepoint.CuePoint.plist")
	case "windows":
		dataRoot = env("LOCALAPPDATA")
		if dataRoot == "" {
			dataRoot = join(home, "AppData", "Local")
		}
		l.ErrorReportingSettings = `HKCU\Software\StuChain\CuePoint`
		l.PrivacySettings = `HKCU\Software\CuePoint\CuePoint`
	default: // linux and other unixes: XDG
		dataRoot = env("XDG_DATA_HOME")
		if dataRoot == "" {
			dataRoot = join(home, ".local", "share")
		}
		configRoot := env("XDG_CONFIG_HOME")
		if configRoot == "" {
			configRoot = join(home, ".config")
		}
		l.ErrorReportingSettings = join(configRoot, "StuChain", "CuePoint.conf")
		l.PrivacySettings = join(configRoot, "CuePoint", "CuePoint.conf")
	}
	l.EarlyLogDir = join(dataRoot, "CuePoint", "Logs")
	l.AppLogDir = join(dataRoot, "StuChain", "CuePoint", "CuePoint", "Logs")
	l.CrashDirs = []string{join(l.AppLogDir, "crashes"), join(l.EarlyLogDir, "crashes")}
	l.DotDir = join(home, ".cuepoint")
	l.ConfigYAML = join(l.DotDir, "config.yaml")
	l.ServiceLog = join(l.DotDir, "logs", "cuepoint.log")
	l.EventsJSONL = join(l.DotDir, "telemetry", "events.jsonl")
	l.ErrorCache = join(l.DotDir, "error_cache.json")
	l.OutputDir = join(home, "Documents", "CuePoint_Output")
	return l
}

// Place is one named location and whether it exists on this machine.
type Place struct {
	Label  string `json:"label"`
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
}

// Places lists every location with whether it exists (registry keys are reported as not
// checked: Exists is false).
func (l Locations) Places() []Place {
	items := []struct{ label, path string }{
		{"early logs", l.EarlyLogDir},
		{"app logs", l.AppLogDir},
	}
	for _, d := range l.CrashDirs {
		items = append(items, struct{ label, path string }{"crash files", d})
	}
	items = append(items, []struct{ label, path string }{
		{"settings folder", l.DotDir},
		{"config", l.ConfigYAML},
		{"service log", l.ServiceLog},
		{"usage events", l.EventsJSONL},
		{"error-reporting switches", l.ErrorReportingSettings},
		{"privacy switches", l.PrivacySettings},
		{"outputs", l.OutputDir},
	}...)
	out := make([]Place, 0, len(items))
	for _, it := range items {
		_, err := os.Stat(it.path)
		out = append(out, Place{Label: it.label, Path: it.path, Exists: err == nil})
	}
	return out
}
