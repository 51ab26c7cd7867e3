package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/stuchain/cuepoint-companion/ui"
)

// runGUI opens the window; the agent delivers queued items in the background meanwhile.
func runGUI(c config, stdout io.Writer, getenv func(string) string) error {
	if err := checkDisplay(getenv); err != nil {
		return err
	}
	dataDir := c.DataDir
	if dataDir == "" {
		dataDir = defaultDataDir(getenv)
	}
	a, err := openAgent(c, getenv)
	if isBusy(err) { // a second start: bring the running window forward instead
		if code, ok := forward(dataDir, []string{raiseCommand}, stdout, io.Discard, getenv); ok && code == 0 {
			return nil
		}
	}
	if err != nil {
		return err
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); a.Run(ctx) }()
	setOwner(a, strings.TrimSpace(c.SentryDSN))
	raise := make(chan struct{}, 1)
	go func() {
		defer wg.Done()
		err := serveOthers(ctx, dataDir, func() {
			select {
			case raise <- struct{}{}:
			default:
			}
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "cuepoint-companion: other commands cannot reach this window while it runs:", err)
		}
	}()
	home := c.CuePointHome
	if home == "" {
		home = a.Locations().Home
	}
	err = ui.Run(a, ui.Options{CuePointHome: home, DataDir: filepath.Clean(dataDir), Destination: a.Destination(), Notices: a.Notices(), Raise: raise})
	cancel()
	wg.Wait()
	setOwner(nil, "")
	return err
}

// checkDisplay fails early, with a message, where a window cannot open (GLFW would panic).
func checkDisplay(getenv func(string) string) error {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
			return errors.New("no display to open the window on (DISPLAY is not set): run it in your desktop session, " +
				"or use the commands without a window, e.g. `cuepoint-companion crash list` (see `cuepoint-companion help`)")
		}
	}
	return nil
}
