package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stuchain/cuepoint-companion/consent"
)

// TestEveryCategoryDeniedMeansZeroConnections runs the whole app — the window with its
// background sender, and the CLI's send — on a home with crash files and usage events,
// every category denied, and a Sentry DSN pointing at a listening local server: the server
// must see no connection at all.
func TestEveryCategoryDeniedMeansZeroConnections(t *testing.T) {
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("Xvfb is not installed; scripts/setup.sh installs it")
		}
		t.Skip("Xvfb not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	dsn := fmt.Sprintf("http://0123456789abcdef0123456789abcdef@%s/42", ln.Addr())

	tmp := t.TempDir()
	bin := filepath.Join(tmp, "cuepoint-companion")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	home := copyHome(t)
	data := filepath.Join(tmp, "data")
	env := append(os.Environ(), "LANG=en_US.UTF-8", "HOME="+tmp, "CUEPOINT_HOME="+home,
		"CUEPOINT_COMPANION_DATA_DIR="+data, "CUEPOINT_COMPANION_SENTRY_DSN="+dsn)
	cli := func(args ...string) int {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, _ := cmd.CombinedOutput()
		t.Logf("%v: %s", args, out)
		return cmd.ProcessState.ExitCode()
	}
	for _, info := range consent.Categories {
		if code := cli("consent", "set", string(info.Category), "off"); code != 0 {
			t.Fatalf("consent set %s off: exit %d", info.Category, code)
		}
	}
	if code := cli("crash", "send", "--all"); code != exitNoConsent {
		t.Fatalf("crash send --all with consent denied: exit %d", code)
	}

	display := startXvfb(t, xvfb)
	app := exec.Command(bin)
	app.Env = append(env, "DISPLAY="+display)
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(6 * time.Second) // the window loads crashes and the background sender runs
	app.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { app.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		app.Process.Kill()
		<-done
	}
	if n := accepted.Load(); n != 0 {
		t.Fatalf("%d connection(s) reached the server although every category was denied", n)
	}
}
