package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/kbinani/screenshot"
)

// TestRealWindow starts the real app in a real X server (its own Xvfb), against the fixture
// home, and takes an X-level screenshot (Fyne's own canvas capture is blank under Xvfb).
// The PNG is kept in the test's output folder and its path printed; UPDATE_SCREENSHOT=1
// also copies it to docs/screenshot.png for the README.
func TestRealWindow(t *testing.T) {
	xvfb, err := exec.LookPath("Xvfb")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("Xvfb is not installed; scripts/setup.sh installs it")
		}
		t.Skip("Xvfb not installed (run scripts/setup.sh)")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "cuepoint-companion")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

	display := startXvfb(t, xvfb)
	t.Setenv("DISPLAY", display)

	app := exec.Command(bin, "--cuepoint-home", fixtureHome, "--data-dir", filepath.Join(tmp, "data"))
	app.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8", "HOME="+tmp)
	logPath := filepath.Join(tmp, "app.log")
	logFile, _ := os.Create(logPath)
	app.Stdout, app.Stderr = logFile, logFile
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	defer func() {
		app.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			app.Process.Kill()
			<-exited
		}
	}()

	var shot *image.RGBA
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			log, _ := os.ReadFile(logPath)
			t.Fatalf("app exited early: %v\n%s", err, log)
		case <-time.After(time.Second):
		}
		img, err := screenshot.CaptureRect(image.Rect(0, 0, 1280, 800))
		if err == nil && colours(img) > 16 {
			shot = img
			time.Sleep(2 * time.Second) // let the crash list load and paint
			if img, err := screenshot.CaptureRect(image.Rect(0, 0, 1280, 800)); err == nil {
				shot = img
			}
			break
		}
	}
	if shot == nil {
		log, _ := os.ReadFile(logPath)
		t.Fatalf("the window never painted anything within 60 s\napp log:\n%s", log)
	}
	out := filepath.Join(os.TempDir(), "cuepoint-companion-window.png")
	writePNG(t, out, shot)
	fmt.Printf("real-window screenshot saved to %s (%d colours)\n", out, colours(shot))
	if os.Getenv("UPDATE_SCREENSHOT") != "" {
		writePNG(t, filepath.Join("..", "..", "docs", "screenshot.png"), shot)
	}
}

func startXvfb(t *testing.T, xvfb string) string {
	t.Helper()
	for n := 90; n < 140; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
			continue
		}
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X%d-lock", n)); err == nil {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		x := exec.Command(xvfb, display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		if err := x.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Process.Kill(); x.Wait() })
		for i := 0; i < 100; i++ {
			if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); err == nil {
				return display
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("Xvfb on %s did not start", display)
	}
	t.Fatal("no free X display number")
	return ""
}

// colours counts distinct colours (capped): a blank or single-colour screen has 1.
func colours(img *image.RGBA) int {
	seen := map[uint32]bool{}
	for i := 0; i+3 < len(img.Pix) && len(seen) < 1000; i += 4 * 7 {
		seen[uint32(img.Pix[i])<<16|uint32(img.Pix[i+1])<<8|uint32(img.Pix[i+2])] = true
	}
	return len(seen)
}

func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
