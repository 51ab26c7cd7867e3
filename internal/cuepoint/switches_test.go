package cuepoint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestReadSwitchesOnFixtureHome(t *testing.T) {
	l := LocationsFor("linux", fixtureHome, nil)
	s, problems := ReadSwitches(l, nil)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	for name, v := range map[string]*bool{
		"TelemetryEnabled": s.TelemetryEnabled, "ErrorReportingEnabled": s.ErrorReportingEnabled,
		"ErrorReportingConsented": s.ErrorReportingConsented, "FirstRunPromptShown": s.FirstRunPromptShown,
	} {
		if v == nil || !*v {
			t.Errorf("%s = %s, want true", name, fmtBoolPtr(v))
		}
	}
}

func TestReadSwitchesMissingFilesAreNil(t *testing.T) {
	l := LocationsFor("linux", t.TempDir(), nil)
	s, problems := ReadSwitches(l, nil)
	if len(problems) > 0 || s != (Switches{}) {
		t.Errorf("got %+v, %v; want all nil, no problems", s, problems)
	}
}

func TestReadSwitchesReportsFilesThatDoNotParse(t *testing.T) {
	home := t.TempDir()
	l := LocationsFor("linux", home, nil)
	for p, content := range map[string]string{
		l.ConfigYAML:             "telemetry:\n  enabled: [true\n",
		l.ErrorReportingSettings: "[error_reporting]\nenabled true\n",
	} {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	s, problems := ReadSwitches(l, nil)
	if s != (Switches{}) {
		t.Errorf("switches %+v, want all nil", s)
	}
	if len(problems) != 2 {
		t.Fatalf("problems %v, want one per file", problems)
	}
	if problems[0].File != l.ConfigYAML || !strings.Contains(problems[0].Message, "not valid YAML") {
		t.Errorf("YAML problem = %v", problems[0])
	}
	if problems[1].File != l.ErrorReportingSettings || !strings.Contains(problems[1].Message, "line 2") ||
		strings.Contains(problems[1].Message, l.ErrorReportingSettings) {
		t.Errorf("INI problem = %v", problems[1])
	}
}

func TestReadSwitchesWithFakeQtSettings(t *testing.T) {
	l := LocationsFor("linux", t.TempDir(), nil)
	qt := NewFakeQtSettings()
	qt.Put(ErrorReportingGroup, "enabled", "false")
	qt.Put(ErrorReportingGroup, "consented", "maybe")
	qt.Put(ErrorReportingGroup, "first_run_prompt_shown", "1")
	s, problems := ReadSwitches(l, qt)
	if s.ErrorReportingEnabled == nil || *s.ErrorReportingEnabled || s.ErrorReportingConsented != nil ||
		s.FirstRunPromptShown == nil || !*s.FirstRunPromptShown || s.TelemetryEnabled != nil {
		t.Errorf("switches %+v", s)
	}
	if len(problems) != 1 || problems[0].File != qt.Where() || !strings.Contains(problems[0].Message, `consented is "maybe"`) {
		t.Errorf("problems %v", problems)
	}

	qt.Fail(errors.New("store is locked"), nil)
	_, problems = ReadSwitches(l, qt)
	if len(problems) != 1 || !strings.Contains(problems[0].Message, "store is locked") {
		t.Errorf("an unreadable store should be one problem, got %v", problems)
	}
}

func TestWriteErrorReportingWithFake(t *testing.T) {
	qt := NewFakeQtSettings()
	if err := WriteErrorReporting(qt, true, false); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"enabled": "true", "consented": "false", "first_run_prompt_shown": "true"}
	if got := qt.Values(ErrorReportingGroup); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored %v, want %v", got, want)
	}
	qt.Fail(nil, errors.New("disk full"))
	if err := WriteErrorReporting(qt, false, false); err == nil || qt.Values(ErrorReportingGroup)["enabled"] != "true" {
		t.Errorf("a failing Set must store nothing (err %v)", err)
	}
	if qt.Sets() != 1 {
		t.Errorf("Sets = %d", qt.Sets())
	}
}

func TestFakeQtSettingsIsSafeForConcurrentUse(t *testing.T) {
	qt := NewFakeQtSettings()
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_ = WriteErrorReporting(qt, i%2 == 0, true)
			_, _ = ReadSwitches(Locations{}, qt)
			qt.Put(ErrorReportingGroup, "x", "y")
			_ = qt.Values(ErrorReportingGroup)
		}(i)
	}
	wg.Wait()
	if qt.Sets() != 8 {
		t.Errorf("Sets = %d", qt.Sets())
	}
}

func TestNewQtSettingsPerOS(t *testing.T) {
	home := t.TempDir()
	if _, ok := NewQtSettings(LocationsFor("linux", home, nil)).(*iniSettings); !ok {
		t.Error("linux should use the INI file")
	}
	win := NewQtSettings(LocationsFor("windows", home, nil))
	if win.Where() != `HKCU\Software\StuChain\CuePoint` {
		t.Errorf("windows Where = %q", win.Where())
	}
	mac := NewQtSettings(LocationsFor("darwin", home, nil))
	if p, ok := mac.(*plistSettings); !ok || p.domain != "com.stuchain.CuePoint" {
		t.Errorf("darwin store = %#v", mac)
	}
	if goos := hostOS(); goos != "windows" {
		_, _, err := win.Get(ErrorReportingGroup, "enabled")
		if err == nil || !strings.Contains(err.Error(), "only on Windows") {
			t.Errorf("registry on %s: %v", goos, err)
		}
		if err := WriteErrorReporting(win, true, true); err == nil || !strings.Contains(err.Error(), "only on Windows") {
			t.Errorf("registry write on %s: %v", goos, err)
		}
	}
	if goos := hostOS(); goos != "darwin" {
		_, _, err := mac.Get(ErrorReportingGroup, "enabled")
		if err == nil || !strings.Contains(err.Error(), "only on macOS") {
			t.Errorf("plist on %s: %v", goos, err)
		}
		if err := WriteErrorReporting(mac, true, true); err == nil || !strings.Contains(err.Error(), "only on macOS") {
			t.Errorf("plist write on %s: %v", goos, err)
		}
	}
}

// fakeDefaults imitates /usr/bin/defaults for one domain.
type fakeDefaults struct {
	mu        sync.Mutex
	values    map[string]kvValue
	failWrite string // key whose write fails
	calls     []string
}

func (d *fakeDefaults) run(args ...string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.calls = append(d.calls, strings.Join(args, " "))
	notExist := fmt.Errorf("defaults: The domain/default pair of (%s, %s) does not exist", args[1], args[len(args)-1])
	switch args[0] {
	case "read-type":
		v, ok := d.values[args[2]]
		if !ok {
			return "", notExist
		}
		return "Type is " + map[string]string{"bool": "boolean", "string": "string", "int": "integer", "float": "float"}[v.kind] + "\n", nil
	case "read":
		v, ok := d.values[args[2]]
		if !ok {
			return "", notExist
		}
		if v.kind == "bool" {
			return map[string]string{"true": "1\n", "false": "0\n"}[v.text], nil
		}
		return v.text + "\n", nil
	case "write":
		if args[2] == d.failWrite {
			return "", errors.New("defaults write: Could not write domain")
		}
		d.values[args[2]] = kvValue{strings.TrimPrefix(args[3], "-"), args[4]}
		return "", nil
	case "delete":
		delete(d.values, args[2])
		return "", nil
	}
	return "", errors.New("unknown command")
}

func TestPlistSettingsThroughDefaults(t *testing.T) {
	home := t.TempDir()
	l := LocationsFor("darwin", home, nil)
	plist := l.ErrorReportingSettings
	if err := os.MkdirAll(filepath.Dir(plist), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plist, []byte("bplist00-old"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := &fakeDefaults{values: map[string]kvValue{
		"error_reporting.enabled": {"bool", "true"},
		"error_reporting.other":   {"int", "3"},
	}}
	qt := newPlistSettings(plist, home, d.run)

	s, problems := ReadSwitches(l, qt)
	if len(problems) > 0 || s.ErrorReportingEnabled == nil || !*s.ErrorReportingEnabled || s.ErrorReportingConsented != nil {
		t.Fatalf("read %+v %v", s, problems)
	}
	if err := WriteErrorReporting(qt, false, true); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]kvValue{
		"error_reporting.enabled":                {"bool", "false"},
		"error_reporting.consented":              {"bool", "true"},
		"error_reporting.first_run_prompt_shown": {"bool", "true"},
		"error_reporting.other":                  {"int", "3"},
	} {
		if d.values[k] != want {
			t.Errorf("%s = %v, want %v", k, d.values[k], want)
		}
	}
	if !strings.Contains(strings.Join(d.calls, "\n"), "write com.stuchain.CuePoint error_reporting.enabled -bool false") {
		t.Errorf("calls:\n%s", strings.Join(d.calls, "\n"))
	}
	if readString(t, plist+".bak") != "bplist00-old" {
		t.Error("no backup of the plist")
	}

	// A failing write puts the earlier ones back: all or nothing.
	before := map[string]kvValue{}
	for k, v := range d.values {
		before[k] = v
	}
	d.failWrite = "error_reporting.first_run_prompt_shown"
	delete(d.values, "error_reporting.first_run_prompt_shown")
	delete(before, "error_reporting.first_run_prompt_shown")
	err := WriteErrorReporting(qt, true, false)
	if err == nil || !strings.Contains(err.Error(), "put back") {
		t.Fatalf("err = %v", err)
	}
	if fmt.Sprint(d.values) != fmt.Sprint(before) {
		t.Errorf("after a failed write %v, want %v", d.values, before)
	}
}

func TestPlistDomainOutsideTheUsualFolderIsThePath(t *testing.T) {
	p := newPlistSettings("/tmp/x/com.stuchain.CuePoint.plist", "/Users/alice", nil)
	if p.domain != "/tmp/x/com.stuchain.CuePoint" {
		t.Errorf("domain = %q", p.domain)
	}
}

// fakeKV fails the write of one key.
type fakeKV struct {
	values map[string]kvValue
	fail   string
}

func (f *fakeKV) get(k string) (kvValue, bool, error) { v, ok := f.values[k]; return v, ok, nil }
func (f *fakeKV) set(k string, v kvValue) error {
	if k == f.fail {
		return errors.New("access denied")
	}
	f.values[k] = v
	return nil
}
func (f *fakeKV) del(k string) error { delete(f.values, k); return nil }

func TestSetAllOrNothingRollsBack(t *testing.T) {
	kv := &fakeKV{values: map[string]kvValue{"a": {"dword", "1"}}, fail: "c"}
	err := setAllOrNothing("store", kv, map[string]string{"a": "true", "b": "true", "c": "true"},
		func(s string) kvValue { return kvValue{"string", s} })
	if err == nil || !strings.Contains(err.Error(), "c cannot be written") {
		t.Fatalf("err = %v", err)
	}
	if fmt.Sprint(kv.values) != fmt.Sprint(map[string]kvValue{"a": {"dword", "1"}}) {
		t.Errorf("not rolled back: %v", kv.values)
	}
}

func TestReplaceFileRefusesWhenTheFileChangedMeanwhile(t *testing.T) {
	p := writeTemp(t, "config.yaml", "telemetry:\n  enabled: true\n")
	err := replaceFile(p, []byte("what we read earlier\n"), true, []byte("new\n"))
	if !errors.Is(err, ErrChangedMeanwhile) {
		t.Fatalf("err = %v", err)
	}
	if readString(t, p) != "telemetry:\n  enabled: true\n" {
		t.Error("the file was replaced")
	}
	assertNoTempFiles(t, filepath.Dir(p))

	// A file that appeared after we saw it missing is not overwritten either.
	err = replaceFile(p, nil, false, []byte("new\n"))
	if !errors.Is(err, ErrChangedMeanwhile) {
		t.Fatalf("err = %v", err)
	}
}

func TestReplaceFileRefusesNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	if err := replaceFile(dir, nil, true, []byte("x")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("err = %v", err)
	}
}

func hostOS() string { return runtime.GOOS }
