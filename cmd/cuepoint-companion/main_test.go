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

func newCLI(t *testing.T) *cli {
	return &cli{t: t, env: map[string]string{"CUEPOINT_HOME": fixtureHome, "CUEPOINT_COMPANION_DATA_DIR": t.TempDir()}}
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
