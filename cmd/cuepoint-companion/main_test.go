package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stuchain/cuepoint-companion/internal/sentrytest"
)

const fixtureHome = "../../testdata/home-linux"

type cli struct {
	t   *testing.T
	env map[string]string
}

// newCLI runs the command against a copy of the fixture home: consent decisions are
// mirrored into CuePoint's own switches, which must not change the repository's files.
func newCLI(t *testing.T) *cli {
	return &cli{t: t, env: map[string]string{"CUEPOINT_HOME": copyHome(t), "CUEPOINT_COMPANION_DATA_DIR": t.TempDir()}}
}

func copyHome(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "home")
	if err := os.CopyFS(dst, os.DirFS(fixtureHome)); err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(dst, func(p string, d os.DirEntry, err error) error {
		if err == nil {
			mode := os.FileMode(0o644)
			if d.IsDir() {
				mode = 0o755
			}
			os.Chmod(p, mode)
		}
		return err
	})
	return dst
}

func (c *cli) run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb, func(k string) string { return c.env[k] })
	return code, out.String(), errb.String()
}

func TestCrashListOnTheFixtureHome(t *testing.T) {
	c := newCLI(t)
	code, out, errOut := c.run("crash", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"f3a7b538e3318257", "af1dcb1dd2c13a0e", "2 groups, 3 reports", "KeyError: 'results'"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = c.run("crash", "list", "--json")
	var got struct {
		Groups []struct {
			ID    string
			Count int
		}
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || len(got.Groups) != 2 || got.Groups[1].Count != 2 {
		t.Fatalf("json: exit %d %s", code, out)
	}
}

func TestFlagsMayComeBeforeOrAfterTheCommand(t *testing.T) {
	c := newCLI(t)
	c.env = map[string]string{}
	data := t.TempDir()
	for _, args := range [][]string{
		{"--cuepoint-home", fixtureHome, "--data-dir", data, "crash", "list", "--json"},
		{"crash", "list", "--json", "--cuepoint-home=" + fixtureHome, "--data-dir", data},
	} {
		code, out, errOut := c.run(args...)
		if code != 0 || !strings.Contains(out, "f3a7b538e3318257") {
			t.Errorf("%v: exit %d %s %s", args, code, out, errOut)
		}
	}
}

func TestSendNeedsConsentThenDeliversToSentry(t *testing.T) {
	srv := sentrytest.New()
	defer srv.Close()
	c := newCLI(t)
	c.env["SENTRY_DSN"] = srv.DSN() // the conventional variable works too

	code, _, errOut := c.run("crash", "send", "--all")
	if code != exitNoConsent || !strings.Contains(errOut, "consent set crash-reports on") {
		t.Fatalf("without consent: exit %d, %s", code, errOut)
	}
	if srv.Requests() != 0 {
		t.Fatal("server contacted without consent")
	}
	if code, _, errOut := c.run("consent", "set", "crash-reports", "on"); code != 0 {
		t.Fatalf("consent set: %d %s", code, errOut)
	}
	code, out, errOut := c.run("crash", "send", "--all")
	if code != 0 || !strings.Contains(out, "3 sent to Sentry at 127.0.0.1") {
		t.Fatalf("send: exit %d\n%s\n%s", code, out, errOut)
	}
	if len(srv.Envelopes()) != 3 {
		t.Fatalf("server got %d", len(srv.Envelopes()))
	}
	code, out, _ = c.run("crash", "send", "f3a7b538e3318257")
	if code != 0 || !strings.Contains(out, "2 already sent") || len(srv.Envelopes()) != 3 {
		t.Fatalf("resend: %d %s", code, out)
	}
	code, out, _ = c.run("ledger", "list", "--json")
	var ledger []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &ledger) != nil || len(ledger) != 3 {
		t.Fatalf("ledger: %s", out)
	}
	code, out, _ = c.run("consent", "show", "--json")
	if code != 0 || !strings.Contains(out, `"state": "granted"`) || !strings.Contains(out, `"source": "cli"`) {
		t.Fatalf("consent show: %s", out)
	}
}

func TestDefaultSinkIsAFolderOfEnvelopes(t *testing.T) {
	c := newCLI(t)
	c.run("consent", "set", "crash-reports", "on")
	code, out, errOut := c.run("crash", "send", "af1dcb1dd2c13a0e")
	if code != 0 {
		t.Fatalf("exit %d %s", code, errOut)
	}
	files, _ := filepath.Glob(filepath.Join(c.env["CUEPOINT_COMPANION_DATA_DIR"], "outgoing", "*.envelope"))
	if len(files) != 1 || !strings.Contains(out, "1 sent to folder") {
		t.Fatalf("%v %s", files, out)
	}
	b, _ := os.ReadFile(files[0])
	if bytes.Contains(bytes.ToLower(b), []byte("alice")) {
		t.Fatal("envelope file contains the user's name")
	}
}

func TestCrashShowPrintsTheExactEnvelope(t *testing.T) {
	c := newCLI(t)
	code, out, errOut := c.run("crash", "show", "crash-20261122-080355")
	if code != 0 || !strings.HasPrefix(out, `{"event_id":`) || !strings.Contains(errOut, "exactly what would be sent") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestBadInputsGiveClearMessagesAndCodes(t *testing.T) {
	cases := []struct {
		args    []string
		env     map[string]string
		code    int
		message string
	}{
		{[]string{"crash", "list", "--sentry-dsn", "not a dsn"}, nil, exitUsage, "does not parse"},
		{[]string{"crash", "list"}, map[string]string{"CUEPOINT_COMPANION_SENTRY_DSN": "https://host/1"}, exitUsage, "does not parse"},
		{[]string{"frobnicate"}, nil, exitUsage, "unknown command"},
		{[]string{"crash", "send"}, nil, exitUsage, "needs one or more IDs or --all"},
		{[]string{"crash", "send", "deadbeefdeadbeef"}, map[string]string{}, exitFailure, "no CuePoint crash with ID"},
		{[]string{"consent", "set", "crash-reports", "maybe"}, nil, exitUsage, "not on, off"},
		{[]string{"consent", "set", "telemetry", "on"}, nil, exitUsage, "known: crash-reports"},
		{[]string{"crash", "list", "--cuepoint-home", "/nonexistent/home"}, nil, exitUsage, "is not a folder"},
	}
	for _, tc := range cases {
		c := newCLI(t)
		for k, v := range tc.env {
			c.env[k] = v
		}
		code, _, errOut := c.run(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.message) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", tc.args, code, tc.code, errOut, tc.message)
		}
	}
}

func TestSecondProcessGetsBusyNotAHang(t *testing.T) {
	c := newCLI(t)
	a, err := openAgent(config{DataDir: c.env["CUEPOINT_COMPANION_DATA_DIR"], CuePointHome: fixtureHome}, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	code, _, errOut := c.run("outbox", "list")
	if code != exitBusy || !strings.Contains(errOut, "in use by another process") {
		t.Fatalf("exit %d %s", code, errOut)
	}
}

func TestHelpIsNotAnError(t *testing.T) {
	c := newCLI(t)
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"crash", "list", "--help"}} {
		code, out, errOut := c.run(args...)
		if code != 0 || !strings.Contains(out, "Commands:") || errOut != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	code, _, errOut := c.run("crash", "list", "--bogus")
	if code != exitUsage || strings.Count(errOut, "bogus") != 1 || !strings.Contains(errOut, "cuepoint-companion help") {
		t.Errorf("bad flag: exit %d, %q", code, errOut)
	}
}

func TestDismissedCrashIsSkippedBySendAll(t *testing.T) {
	c := newCLI(t)
	c.run("consent", "set", "crash-reports", "on")
	code, out, _ := c.run("crash", "dismiss", "af1dcb1dd2c13a0e")
	if code != 0 || !strings.Contains(out, "will not be sent") {
		t.Fatalf("dismiss: %d %q", code, out)
	}
	code, out, _ = c.run("crash", "send", "--all")
	if code != 0 || !strings.Contains(out, "2 sent") {
		t.Fatalf("send --all sent the dismissed crash too: %q", out)
	}
	code, out, _ = c.run("crash", "send", "af1dcb1dd2c13a0e") // by its ID: the user insists
	if code != 0 || !strings.Contains(out, "1 sent") {
		t.Fatalf("explicit send: %q", out)
	}
}

func TestCrashShowShowsEveryEnvelopeTheGroupSends(t *testing.T) {
	c := newCLI(t)
	code, out, errOut := c.run("crash", "show", "f3a7b538e3318257")
	if code != 0 || strings.Count(out, `{"event_id":`) != 2 || !strings.Contains(errOut, "2 envelope(s)") {
		t.Fatalf("exit %d, %d envelopes, %q", code, strings.Count(out, `{"event_id":`), errOut)
	}
}

func TestScrubCommand(t *testing.T) {
	c := newCLI(t)
	f := filepath.Join(t.TempDir(), "log.txt")
	os.WriteFile(f, []byte("2026-11-20 10:15:02 [ERROR   ] cuepoint: mail alice.dj@example.com from 192.168.1.23 at /home/alice/x\n"), 0o600)
	code, out, errOut := c.run("scrub", f)
	if code != 0 || strings.Contains(strings.ToLower(out), "alice") || strings.Contains(out, "192.168.1.23") || !strings.Contains(out, "2026-11-20 10:15:02 [ERROR   ] cuepoint: mail") {
		t.Fatalf("exit %d %q %q", code, out, errOut)
	}
	if code, _, errOut := c.run("scrub", "/nonexistent/file"); code != exitFailure || !strings.Contains(errOut, "cannot read /nonexistent/file") {
		t.Fatalf("missing file: %d %q", code, errOut)
	}
}

func TestDataExportAndErase(t *testing.T) {
	c := newCLI(t)
	c.run("consent", "set", "crash-reports", "on")
	c.run("crash", "send", "af1dcb1dd2c13a0e")
	code, out, _ := c.run("data", "export")
	var x struct {
		Consent        []map[string]any
		ConsentHistory []map[string]any `json:"consent_history"`
		Ledger         []map[string]any
	}
	if code != 0 || json.Unmarshal([]byte(out), &x) != nil || len(x.Ledger) != 1 || len(x.ConsentHistory) != 1 || len(x.Consent) != 6 {
		t.Fatalf("export: exit %d %s", code, out)
	}
	if x.Ledger[0]["payload"] == "" {
		t.Error("export lacks the exact bytes that left")
	}
	code, out, _ = c.run("data", "erase")
	if code != 0 || !strings.Contains(out, "would delete: 0 queued item(s), 1 record(s) of sends") || !strings.Contains(out, "--yes") {
		t.Fatalf("erase plan: %q", out)
	}
	if _, out, _ := c.run("ledger", "list"); strings.Contains(out, "Nothing has left") {
		t.Fatal("erase without --yes deleted something")
	}
	code, out, _ = c.run("data", "erase", "--yes")
	if code != 0 || !strings.Contains(out, "Erased") {
		t.Fatalf("erase: %q", out)
	}
	_, out, _ = c.run("ledger", "list")
	if !strings.Contains(out, "Nothing has left") {
		t.Fatalf("ledger after erase: %q", out)
	}
	files, _ := filepath.Glob(filepath.Join(c.env["CUEPOINT_COMPANION_DATA_DIR"], "outgoing", "*.envelope"))
	if len(files) != 0 {
		t.Fatalf("outgoing files survive erasure: %v", files)
	}
	_, out, _ = c.run("data", "export")
	if !strings.Contains(out, `"erasures": [`) || !strings.Contains(out, `"ledger_entries": 1`) {
		t.Fatalf("no record of the erasure: %s", out)
	}
	if code, _, _ := c.run("crash", "send", "--all"); code != exitNoConsent {
		t.Fatalf("consent survived erasure: exit %d", code)
	}
}

func TestLedgerShowPrintsTheExactBytes(t *testing.T) {
	c := newCLI(t)
	c.run("consent", "set", "crash-reports", "on")
	c.run("crash", "send", "af1dcb1dd2c13a0e")
	files, _ := filepath.Glob(filepath.Join(c.env["CUEPOINT_COMPANION_DATA_DIR"], "outgoing", "*.envelope"))
	if len(files) != 1 {
		t.Fatal(files)
	}
	sent, _ := os.ReadFile(files[0])
	id := strings.TrimSuffix(filepath.Base(files[0]), ".envelope")
	code, out, _ := c.run("ledger", "show", id)
	if code != 0 || out != string(sent) {
		t.Fatalf("ledger show differs from what left (exit %d)", code)
	}
}

func TestNoDisplayIsAMessageNotAPanic(t *testing.T) {
	c := newCLI(t)
	c.env["DISPLAY"], c.env["WAYLAND_DISPLAY"] = "", ""
	code, _, errOut := c.run()
	if code != exitFailure || !strings.Contains(errOut, "no display") || !strings.Contains(errOut, "crash list") {
		t.Fatalf("exit %d %q", code, errOut)
	}
}

// Decisions are mirrored into CuePoint's own switches, changing only those keys; a change
// made inside CuePoint afterwards is reported, not overwritten.
func TestConsentIsMirroredIntoCuePointsSwitches(t *testing.T) {
	c := newCLI(t)
	home := c.env["CUEPOINT_HOME"]
	yamlPath := filepath.Join(home, ".cuepoint", "config.yaml")
	iniPath := filepath.Join(home, ".config", "StuChain", "CuePoint.conf")
	yamlBefore, _ := os.ReadFile(yamlPath)
	iniBefore, _ := os.ReadFile(iniPath)

	if code, _, errOut := c.run("consent", "set", "usage-statistics", "off"); code != 0 {
		t.Fatalf("set: %d %s", code, errOut)
	}
	if code, _, errOut := c.run("consent", "set", "crash-reports", "ask"); code != 0 {
		t.Fatalf("set: %d %s", code, errOut)
	}
	yamlAfter, _ := os.ReadFile(yamlPath)
	iniAfter, _ := os.ReadFile(iniPath)
	if want := strings.Replace(string(yamlBefore), "telemetry:\n  enabled: true", "telemetry:\n  enabled: false", 1); string(yamlAfter) != want {
		t.Errorf("config.yaml changed more than telemetry.enabled:\n%s", yamlAfter)
	}
	if want := "[error_reporting]\nconsented=false\nenabled=false\nfirst_run_prompt_shown=true\n"; string(iniAfter) != want {
		t.Errorf("CuePoint.conf = %q (was %q)", iniAfter, iniBefore)
	}
	if _, err := os.Stat(yamlPath + ".bak"); err != nil {
		t.Errorf("no backup of config.yaml: %v", err)
	}
	// The user turns telemetry back on inside CuePoint.
	os.WriteFile(yamlPath, yamlBefore, 0o644)
	code, out, _ := c.run("consent", "show")
	if code != 0 || !strings.Contains(out, "changed inside CuePoint") || !strings.Contains(out, "telemetry.enabled") {
		t.Fatalf("conflict not shown: %s", out)
	}
	if b, _ := os.ReadFile(yamlPath); string(b) != string(yamlBefore) {
		t.Fatal("the change made inside CuePoint was overwritten")
	}
}

// A CuePoint file that cannot be parsed is never written; the decision stands, the user is
// told, and the write is retried once the file is fixed.
func TestUnparseableSwitchFileIsLeftAloneAndRetried(t *testing.T) {
	c := newCLI(t)
	yamlPath := filepath.Join(c.env["CUEPOINT_HOME"], ".cuepoint", "config.yaml")
	good, _ := os.ReadFile(yamlPath)
	broken := append(append([]byte(nil), good...), "telemetry: [\n"...)
	os.WriteFile(yamlPath, broken, 0o644)
	code, out, errOut := c.run("consent", "set", "usage-statistics", "off")
	if code != 0 || !strings.Contains(out, "usage-statistics: denied") || !strings.Contains(errOut, "not updated") {
		t.Fatalf("exit %d %q %q", code, out, errOut)
	}
	if b, _ := os.ReadFile(yamlPath); string(b) != string(broken) {
		t.Fatal("an unparseable file was written")
	}
	_, out, _ = c.run("consent", "show")
	if !strings.Contains(out, "not updated") {
		t.Fatalf("pending write not shown: %s", out)
	}
	os.WriteFile(yamlPath, good, 0o644) // the user fixes the file
	_, out, _ = c.run("consent", "show")
	if strings.Contains(out, "not updated") {
		t.Fatalf("still pending after the fix: %s", out)
	}
	if b, _ := os.ReadFile(yamlPath); !strings.Contains(string(b), "telemetry:\n  enabled: false") {
		t.Fatalf("retry did not write the switch:\n%s", b)
	}
}

func TestExportToAFileWithFlagsAnywhere(t *testing.T) {
	c := newCLI(t)
	out := filepath.Join(t.TempDir(), "export.json")
	code, stdout, errOut := c.run("data", "export", "-o", out, "--data-dir", c.env["CUEPOINT_COMPANION_DATA_DIR"])
	if code != 0 || !strings.Contains(stdout, out) {
		t.Fatalf("exit %d %q %q", code, stdout, errOut)
	}
	if b, err := os.ReadFile(out); err != nil || !strings.Contains(string(b), `"consent"`) {
		t.Fatalf("export file: %v", err)
	}
	if code, _, errOut := c.run("data", "export", "stray"); code != exitUsage || !strings.Contains(errOut, "takes no arguments") {
		t.Fatalf("stray argument: %d %q", code, errOut)
	}
}

func TestWhereListsLocationsWithoutTouchingTheDataFile(t *testing.T) {
	c := newCLI(t)
	code, out, _ := c.run("where")
	if code != 0 || !strings.Contains(out, "crash files") || !strings.Contains(out, "found") || !strings.Contains(out, "CuePoint process:") {
		t.Fatalf("exit %d %s", code, out)
	}
	if _, err := os.Stat(filepath.Join(c.env["CUEPOINT_COMPANION_DATA_DIR"], "companion.db")); err == nil {
		t.Fatal("where created the data file")
	}
}

func TestCrashInspect(t *testing.T) {
	c := newCLI(t)
	dir := filepath.Join(fixtureHome, ".local/share/StuChain/CuePoint/CuePoint/Logs/crashes")
	var fps []string
	for _, f := range []string{"crash-20261120-101502.json", "crash-20261120-101502.log"} {
		code, out, errOut := c.run("crash", "inspect", "--json", filepath.Join(dir, f))
		var ins struct {
			Fingerprint []string
			Partial     bool
			Event       map[string]any
		}
		if code != 0 || json.Unmarshal([]byte(out), &ins) != nil || ins.Event["release"] != nil && ins.Event["release"] != "cuepoint@1.0.3" {
			t.Fatalf("%s: exit %d %q %q", f, code, out, errOut)
		}
		if strings.Contains(strings.ToLower(out), "alice") || strings.Contains(out, "192.168.1.23") {
			t.Errorf("%s: inspect output not scrubbed", f)
		}
		fps = append(fps, strings.Join(ins.Fingerprint, "|"))
		if ins.Partial != strings.HasSuffix(f, ".log") {
			t.Errorf("%s: partial = %v; only the .log half alone lacks the version and system facts", f, ins.Partial)
		}
	}
	if fps[0] != fps[1] || !strings.HasPrefix(fps[0], "cuepoint-crash|requests.exceptions.ReadTimeout|KeyError|") {
		t.Errorf("the two halves of one crash give different fingerprints: %q", fps)
	}
	// A traceback pasted from a bug report, with a user's Windows path in it.
	pasted := filepath.Join(t.TempDir(), "pasted.txt")
	os.WriteFile(pasted, []byte("Traceback (most recent call last):\n"+
		"  File \"C:\\Users\\bob\\AppData\\Local\\Temp\\_MEI123456\\cuepoint\\core\\matcher.py\", line 1422, in best_beatport_match\n"+
		"    candidates = self._collect_candidates(track, queries)\n"+
		"  File \"C:\\Users\\bob\\AppData\\Local\\Temp\\_MEI123456\\cuepoint\\core\\matcher.py\", line 980, in _collect_candidates\n"+
		"    results.extend(parse_results(html))\n"+
		"  File \"C:\\Users\\bob\\AppData\\Local\\Temp\\_MEI123456\\cuepoint\\data\\beatport.py\", line 1187, in parse_results\n"+
		"    return [r[\"track\"] for r in payload[\"results\"]]\n"+
		"KeyError: 'results'\n"), 0o600)
	code, out, errOut := c.run("crash", "inspect", pasted)
	if code != 0 || !strings.HasPrefix(out, "# fingerprint: cuepoint-crash | KeyError | cuepoint.core.matcher.best_beatport_match") || strings.Contains(strings.ToLower(out), "bob") {
		t.Fatalf("pasted: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := c.run("crash", "inspect", filepath.Join(fixtureHome, ".cuepoint", "config.yaml")); code != exitFailure || !strings.Contains(errOut, "no Python traceback") {
		t.Fatalf("not a crash: exit %d %q", code, errOut)
	}
}
