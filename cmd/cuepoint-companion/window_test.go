package main

import (
	"bufio"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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
	home := copyHome(t)
	env := append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8", "HOME="+tmp, "CUEPOINT_HOME="+home,
		"CUEPOINT_COMPANION_DATA_DIR="+filepath.Join(tmp, ".local", "share", "cuepoint-companion"))

	// A first start: the privacy questions come first.
	shoot(t, bin, env, "first-run.png")
	// Once decided, the window opens on CuePoint's crashes, newest selected.
	for _, args := range [][]string{{"consent", "set", "crash-reports", "ask"}, {"consent", "set", "usage-statistics", "off"},
		{"consent", "set", "error-events", "off"}, {"consent", "set", "performance-reports", "off"},
		{"consent", "set", "screenshots", "off"}, {"consent", "set", "diagnostics", "off"}} {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v %s", args, err, out)
		}
	}
	shoot(t, bin, env, "screenshot.png")
}

// shoot starts the app, waits until its window has painted, saves an X-level screenshot of
// the window's area (to the temp folder, and to docs/ with UPDATE_SCREENSHOT=1), and stops
// the app.
func shoot(t *testing.T, bin string, env []string, name string) {
	t.Helper()
	app := exec.Command(bin)
	app.Env = env
	logPath := filepath.Join(t.TempDir(), "app.log")
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
			time.Sleep(2 * time.Second) // let the screen load its data and paint
			if img, err = screenshot.CaptureRect(image.Rect(0, 0, 1280, 800)); err == nil {
				shot = img
			}
			break
		}
	}
	if shot == nil {
		log, _ := os.ReadFile(logPath)
		t.Fatalf("the window never painted anything within 60 s\napp log:\n%s", log)
	}
	cropped := crop(shot)
	out := filepath.Join(os.TempDir(), "cuepoint-companion-"+name)
	writePNG(t, out, cropped)
	fmt.Printf("real-window screenshot saved to %s (%d colours)\n", out, colours(shot))
	if os.Getenv("UPDATE_SCREENSHOT") != "" {
		writePNG(t, filepath.Join("..", "..", "docs", name), cropped)
	}
}

// crop cuts the screenshot to the painted area (the window; the rest of the screen is black).
func crop(img *image.RGBA) image.Image {
	b := img.Bounds()
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, b.Min.X, b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			i := img.PixOffset(x, y)
			if img.Pix[i]|img.Pix[i+1]|img.Pix[i+2] != 0 {
				minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x+1), max(maxY, y+1)
			}
		}
	}
	if minX >= maxX || minY >= maxY {
		return img
	}
	return img.SubImage(image.Rect(minX, minY, maxX, maxY))
}

// startXvfb starts a private X server on a display number it picks itself (-displayfd)
// and stops it with SIGTERM at cleanup, so it removes its lock and socket files.
func startXvfb(t *testing.T, xvfb string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		x.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { x.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			x.Process.Kill()
			<-done
		}
	})
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Fatal("Xvfb did not start (no display number)")
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start within 20 s")
	}
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
