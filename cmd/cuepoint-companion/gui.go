package main

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"

	"github.com/stuchain/cuepoint-companion/ui"
)

// runGUI opens the window; the agent delivers queued items in the background meanwhile.
func runGUI(c config, getenv func(string) string) error {
	if err := checkDisplay(getenv); err != nil {
		return err
	}
	a, err := openAgent(c, getenv)
	if err != nil {
		return err
	}
	defer a.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.Run(ctx) }()
	dataDir := c.DataDir
	if dataDir == "" {
		dataDir = defaultDataDir(getenv)
	}
	home := c.CuePointHome
	if home == "" {
		home = a.Locations().Home
	}
	err = ui.Run(a, ui.Options{CuePointHome: home, DataDir: filepath.Clean(dataDir), Destination: a.Destination(), Notices: a.Notices()})
	cancel()
	<-done
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
