package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stuchain/cuepoint-companion/consent"
	"github.com/stuchain/cuepoint-companion/internal/ipc"
)

// TestCommandsReachTheRunningApp: this test process plays the running window (it owns the
// data file and serves the socket); the real binary, started as another process, runs CLI
// commands that must work as if the app were not running, and a second start of the app
// brings the first window forward instead of failing.
func TestCommandsReachTheRunningApp(t *testing.T) {
	runDir := filepath.Join(t.TempDir(), "run")
	os.Mkdir(runDir, 0o700)
	t.Setenv("XDG_RUNTIME_DIR", runDir)
	c := newCLI(t)
	getenv := func(k string) string { return c.env[k] }
	a, err := openAgent(config{DataDir: c.env["CUEPOINT_COMPANION_DATA_DIR"], CuePointHome: c.env["CUEPOINT_HOME"]}, getenv)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	setOwner(a, "")
	defer setOwner(nil, "")
	ctx, cancel := context.WithCancel(context.Background())
	var raised atomic.Int32
	served := make(chan error, 1)
	go func() { served <- serveOthers(ctx, c.env["CUEPOINT_COMPANION_DATA_DIR"], func() { raised.Add(1) }) }()
	defer func() { cancel(); <-served }()
	sock := ipc.SocketPath(c.env["CUEPOINT_COMPANION_DATA_DIR"])
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st, err := os.Stat(sock); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("socket %s: %v %v", sock, st, err)
	}

	bin := filepath.Join(t.TempDir(), "cuepoint-companion")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cli := func(extra []string, args ...string) (int, string, string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8", "CUEPOINT_HOME="+c.env["CUEPOINT_HOME"], "CUEPOINT_COMPANION_DATA_DIR="+c.env["CUEPOINT_COMPANION_DATA_DIR"])
		cmd.Env = append(cmd.Env, extra...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		cmd.Run()
		return cmd.ProcessState.ExitCode(), out.String(), errb.String()
	}
	if code, out, errOut := cli(nil, "consent", "set", "crash-reports", "on"); code != 0 || !strings.Contains(out, "crash-reports: granted") {
		t.Fatalf("consent set while the app runs: %d %q %q", code, out, errOut)
	}
	if d, _ := a.Decision(consent.CrashReports); d.State != consent.Granted || d.Source != consent.FromCLI {
		t.Fatalf("the running app does not see the decision: %+v", d)
	}
	if code, out, errOut := cli(nil, "crash", "send", "--all"); code != 0 || !strings.Contains(out, "3 sent") {
		t.Fatalf("crash send while the app runs: %d %q %q", code, out, errOut)
	}
	if code, out, _ := cli(nil, "crash", "list"); code != 0 || !strings.Contains(out, "f3a7b538e3318257") || !strings.Contains(out, "sent") {
		t.Fatalf("crash list while the app runs: %d %q", code, out)
	}
	if code, out, _ := cli(nil, "ledger", "list", "--json"); code != 0 || strings.Count(out, `"outcome": "sent"`) != 3 {
		t.Fatalf("ledger while the app runs: %d %q", code, out)
	}
	// Relative paths are the caller's, not the window's.
	work := t.TempDir()
	cmd := exec.Command(bin, "data", "export", "-o", "export.json")
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "CUEPOINT_HOME="+c.env["CUEPOINT_HOME"], "CUEPOINT_COMPANION_DATA_DIR="+c.env["CUEPOINT_COMPANION_DATA_DIR"])
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("export: %v %s", err, out)
	}
	if _, err := os.Stat(filepath.Join(work, "export.json")); err != nil {
		t.Fatalf("relative -o path not resolved in the caller's folder: %v", err)
	}
	// The command's own settings apply, as they would without the window.
	empty := t.TempDir()
	if code, out, _ := cli(nil, "crash", "list", "--cuepoint-home", empty); code != 0 || !strings.Contains(out, "No CuePoint crashes found") {
		t.Fatalf("--cuepoint-home ignored while the app runs: %d %q", code, out)
	}

	code, out, errOut := cli([]string{"DISPLAY=:1999"}) // a second start of the app
	if code != 0 || !strings.Contains(out, "already running") || raised.Load() != 1 {
		t.Fatalf("second start: exit %d %q %q, raised %d", code, out, errOut, raised.Load())
	}
}
