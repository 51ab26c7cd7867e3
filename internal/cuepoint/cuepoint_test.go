package cuepoint

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const fixtureHome = "../../testdata/home-linux"

func fixtureCrashDir() string {
	return filepath.Join(fixtureHome, ".local/share/StuChain/CuePoint/CuePoint/Logs/crashes")
}

func TestLocationsForEveryOS(t *testing.T) {
	cases := []struct {
		goos, home string
		env        map[string]string
		want       map[string]string // field -> path
	}{
		{"linux", "/home/bob", nil, map[string]string{
			"early":  "/home/bob/.local/share/CuePoint/Logs",
			"app":    "/home/bob/.local/share/StuChain/CuePoint/CuePoint/Logs",
			"crash0": "/home/bob/.local/share/StuChain/CuePoint/CuePoint/Logs/crashes",
			"crash1": "/home/bob/.local/share/CuePoint/Logs/crashes",
			"config": "/home/bob/.cuepoint/config.yaml",
			"svc":    "/home/bob/.cuepoint/logs/cuepoint.log",
			"events": "/home/bob/.cuepoint/telemetry/events.jsonl",
			"errrep": "/home/bob/.config/StuChain/CuePoint.conf",
			"priv":   "/home/bob/.config/CuePoint/CuePoint.conf",
			"out":    "/home/bob/Documents/CuePoint_Output",
		}},
		{"linux", "/home/bob", map[string]string{"XDG_DATA_HOME": "/data", "XDG_CONFIG_HOME": "/cfg"}, map[string]string{
			"early":  "/data/CuePoint/Logs",
			"app":    "/data/StuChain/CuePoint/CuePoint/Logs",
			"errrep": "/cfg/StuChain/CuePoint.conf",
			"config": "/home/bob/.cuepoint/config.yaml",
		}},
		{"darwin", "/Users/bob", nil, map[string]string{
			"early":  "/Users/bob/Library/Application Support/CuePoint/Logs",
			"app":    "/Users/bob/Library/Application Support/StuChain/CuePoint/CuePoint/Logs",
			"errrep": "/Users/bob/Library/Preferences/com.stuchain.CuePoint.plist",
			"priv":   "/Users/bob/Library/Preferences/com.cuepoint.CuePoint.plist",
			"config": "/Users/bob/.cuepoint/config.yaml",
		}},
		{"windows", `C:\Users\bob`, nil, map[string]string{
			"early":  `C:\Users\bob\AppData\Local\CuePoint\Logs`,
			"app":    `C:\Users\bob\AppData\Local\StuChain\CuePoint\CuePoint\Logs`,
			"crash0": `C:\Users\bob\AppData\Local\StuChain\CuePoint\CuePoint\Logs\crashes`,
			"config": `C:\Users\bob\.cuepoint\config.yaml`,
			"errrep": `HKCU\Software\StuChain\CuePoint`,
			"priv":   `HKCU\Software\CuePoint\CuePoint`,
		}},
		{"windows", `C:\Users\bob`, map[string]string{"LOCALAPPDATA": `D:\Local`}, map[string]string{
			"early": `D:\Local\CuePoint\Logs`,
		}},
	}
	for _, c := range cases {
		l := LocationsFor(c.goos, c.home, func(k string) string { return c.env[k] })
		got := map[string]string{"early": l.EarlyLogDir, "app": l.AppLogDir, "crash0": l.CrashDirs[0], "crash1": l.CrashDirs[1],
			"config": l.ConfigYAML, "svc": l.ServiceLog, "events": l.EventsJSONL, "errrep": l.ErrorReportingSettings,
			"priv": l.PrivacySettings, "out": l.OutputDir}
		for k, want := range c.want {
			if got[k] != want {
				t.Errorf("%s %v: %s = %q, want %q", c.goos, c.env, k, got[k], want)
			}
		}
	}
}

func TestLocateOverrideIgnoresXDG(t *testing.T) {
	l, err := Locate("/tmp/h", func(string) string { return "/elsewhere" })
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(l.EarlyLogDir, "/tmp/h/") {
		t.Fatalf("override not honoured: %s", l.EarlyLogDir)
	}
}

func TestFixtureHomeGivesThreeCrashesInTwoGroups(t *testing.T) {
	l, _ := Locate(fixtureHome, nil)
	crashes, problems := ReadCrashes(l.CrashDirs, time.UTC)
	if len(problems) != 0 {
		t.Fatalf("problems on a good fixture: %v", problems)
	}
	if len(crashes) != 3 {
		t.Fatalf("got %d crashes, want 3", len(crashes))
	}
	groups := map[string]int{}
	for _, c := range crashes {
		groups[c.ReportID]++
		if c.Partial {
			t.Errorf("%s marked partial", c.Name)
		}
		if c.App.Version != "1.0.3" || c.App.BuildNumber != "412" {
			t.Errorf("%s app = %+v", c.Name, c.App)
		}
		if c.Home != "/home/alice" {
			t.Errorf("%s home = %q", c.Name, c.Home)
		}
		if ReportID(c.Exception.Type, c.Exception.Traceback) != c.ReportID {
			t.Errorf("%s: computed report id differs from CuePoint's %s", c.Name, c.ReportID)
		}
	}
	if groups["f3a7b538e3318257"] != 2 || groups["af1dcb1dd2c13a0e"] != 1 {
		t.Fatalf("groups = %v", groups)
	}
	if got := crashes[0].Time; !got.Equal(time.Date(2026, 11, 20, 10, 15, 2, 250113000, time.UTC)) {
		t.Errorf("first crash time %v", got)
	}
}

// copyCrash copies one fixture pair into dir, letting mutate change the bytes of each half.
func copyCrash(t *testing.T, dir, stem string, mutate func(ext string, b []byte) []byte) {
	t.Helper()
	for _, ext := range []string{".json", ".log"} {
		b, err := os.ReadFile(filepath.Join(fixtureCrashDir(), stem+ext))
		if err != nil {
			t.Fatal(err)
		}
		if mutate != nil {
			b = mutate(ext, b)
		}
		if b == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, stem+ext), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBadCrashFiles(t *testing.T) {
	const stem = "crash-20261120-101502"
	cases := []struct {
		name      string
		mutate    func(ext string, b []byte) []byte
		wantCrash bool
		problem   string // substring of the problem message; "" = no problem
	}{
		{"json missing", func(ext string, b []byte) []byte {
			if ext == ".json" {
				return nil
			}
			return b
		}, true, ""},
		{"log missing", func(ext string, b []byte) []byte {
			if ext == ".log" {
				return nil
			}
			return b
		}, true, ""},
		{"json truncated", func(ext string, b []byte) []byte {
			if ext == ".json" {
				return b[:len(b)/2]
			}
			return b
		}, true, "cut off after"},
		{"json empty", func(ext string, b []byte) []byte {
			if ext == ".json" {
				return []byte{}
			}
			return b
		}, true, "is empty"},
		{"json not json", func(ext string, b []byte) []byte {
			if ext == ".json" {
				return []byte("<html>oops</html>")
			}
			return b
		}, true, "not a CuePoint crash JSON"},
		{"log not utf-8", func(ext string, b []byte) []byte {
			if ext == ".log" {
				return append([]byte("\xff\xfe"), b...)
			}
			return nil
		}, true, ""},
		{"both broken", func(ext string, b []byte) []byte {
			if ext == ".json" {
				return b[:100]
			}
			return []byte("garbage\n")
		}, false, "skipped until a readable half exists"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			copyCrash(t, dir, stem, c.mutate)
			copyCrash(t, dir, "crash-20261122-080355", nil) // an intact neighbour is still read
			crashes, problems := ReadCrashes([]string{dir}, time.UTC)
			var got *Crash
			for i := range crashes {
				if crashes[i].Name == stem {
					got = &crashes[i]
				}
			}
			if (got != nil) != c.wantCrash {
				t.Fatalf("crash read = %v, want %v (problems %v)", got != nil, c.wantCrash, problems)
			}
			if len(crashes) != map[bool]int{true: 2, false: 1}[c.wantCrash] {
				t.Fatalf("neighbour lost: %d crashes", len(crashes))
			}
			if c.problem == "" && len(problems) > 0 {
				t.Fatalf("unexpected problems %v", problems)
			}
			if c.problem != "" {
				if len(problems) == 0 || !strings.Contains(problems[len(problems)-1].Message, c.problem) {
					t.Fatalf("problems %v, want one containing %q", problems, c.problem)
				}
				if !strings.HasPrefix(problems[0].File, dir) {
					t.Errorf("problem does not name the file: %v", problems[0])
				}
			}
			if got == nil {
				return
			}
			if got.ReportID != "f3a7b538e3318257" {
				t.Errorf("report id %q: the half that was read must group with its repeats", got.ReportID)
			}
			if got.Exception.Type != "KeyError" || !strings.Contains(got.Exception.Traceback, "line 1187, in parse_results") {
				t.Errorf("exception %+v", got.Exception)
			}
			if !got.Partial {
				t.Errorf("a pair with a missing or broken half is not marked partial")
			}
		})
	}
}

func TestUnreadableFolderIsAProblemNotAFailure(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "crashes")
	os.WriteFile(notDir, []byte("x"), 0o600)
	good := t.TempDir()
	copyCrash(t, good, "crash-20261122-080355", nil)
	crashes, problems := ReadCrashes([]string{notDir, good, filepath.Join(dir, "missing")}, time.UTC)
	if len(crashes) != 1 {
		t.Fatalf("got %d crashes", len(crashes))
	}
	if len(problems) != 1 || problems[0].File != notDir || !strings.Contains(problems[0].Message, "cannot be read") {
		t.Fatalf("problems = %v", problems)
	}
}

func TestParseLogLine(t *testing.T) {
	cases := []struct {
		line string
		want LogLine
		ok   bool
	}{
		{"2026-11-20 10:14:58 [INFO    ] cuepoint.utils.logger: CuePoint Starting run_id=- version=1.0.3 os=Linux 6.8.0-49-generic",
			LogLine{Time: time.Date(2026, 11, 20, 10, 14, 58, 0, time.UTC), Level: "INFO", Logger: "cuepoint.utils.logger", Message: "CuePoint Starting"}, true},
		{"2026-11-20 10:15:02,250 - cuepoint - ERROR - Unhandled exception in worker thread run_id=a1b2c3d4e5f6 version=1.0.3 os=Linux 6.8.0-49-generic - /tmp/_MEIx8Qz1a/cuepoint/utils/crash_handler.py:201",
			LogLine{Time: time.Date(2026, 11, 20, 10, 15, 2, 250e6, time.UTC), Level: "ERROR", Logger: "cuepoint", Message: "Unhandled exception in worker thread", RunID: "a1b2c3d4e5f6", Source: "/tmp/_MEIx8Qz1a/cuepoint/utils/crash_handler.py:201"}, true},
		{"    continuation of a message", LogLine{}, false},
		{"", LogLine{}, false},
	}
	for _, c := range cases {
		got, ok := ParseLogLine(c.line, time.UTC)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseLogLine(%q) = %+v, %v; want %+v, %v", c.line, got, ok, c.want, c.ok)
		}
	}
}

func FuzzParseCrashLog(f *testing.F) {
	b, _ := os.ReadFile(filepath.Join(fixtureCrashDir(), "crash-20261120-101502.log"))
	f.Add(string(b))
	f.Add("Traceback:\n")
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = parseCrashLog(s)
		_, _ = ParseLogLine(s, time.UTC)
	})
}

func TestFindProcessesSeesARunningCuePoint(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep binary")
	}
	fake := filepath.Join(t.TempDir(), "CuePoint")
	b, _ := os.ReadFile(sleep)
	if err := os.WriteFile(fake, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(fake, "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	procs, err := FindProcesses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range procs {
		found = found || p.PID == int32(cmd.Process.Pid)
	}
	if !found {
		t.Fatalf("CuePoint (pid %d) not found in %v", cmd.Process.Pid, procs)
	}
}

func TestIsCuePoint(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want bool
	}{
		{"CuePoint", nil, true},
		{"CuePoint.exe", nil, true},
		{"python3.13", []string{"python3.13", "/home/dev/cuepoint/main.py", "--xml", "x"}, true},
		{"python3", []string{"python3", "other.py"}, false},
		{"bash", []string{"bash", "cuepoint/main.py"}, false},
	}
	for _, c := range cases {
		if got := isCuePoint(c.name, func() []string { return c.args }); got != c.want {
			t.Errorf("%s %v: %v", c.name, c.args, got)
		}
	}
}

func TestLooselyTypedCrashJSONIsStillRead(t *testing.T) {
	dir := t.TempDir()
	copyCrash(t, dir, "crash-20261122-080355", func(ext string, b []byte) []byte {
		if ext != ".json" {
			return nil
		}
		s := strings.Replace(string(b), `"build_number": "412"`, `"build_number": 412`, 1)
		s = strings.Replace(s, `"context": {`, `"context_old": {`, 1)
		return append([]byte("\xef\xbb\xbf"), s...) // with a BOM
	})
	crashes, problems := ReadCrashes([]string{dir}, time.UTC)
	if len(problems) != 0 || len(crashes) != 1 || crashes[0].App.BuildNumber != "412" || crashes[0].ReportID != "af1dcb1dd2c13a0e" {
		t.Fatalf("%+v %v", crashes, problems)
	}
	os.WriteFile(filepath.Join(dir, "crash-20261122-080355.json"), []byte(`[1,2]`), 0o600)
	_, problems = ReadCrashes([]string{dir}, time.UTC)
	if len(problems) != 1 || !strings.Contains(problems[0].Message, "holds a JSON list") {
		t.Fatalf("%v", problems)
	}
}
