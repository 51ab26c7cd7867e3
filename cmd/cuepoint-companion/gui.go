package main

import (
	"context"
	"path/filepath"

	"github.com/stuchain/cuepoint-companion/ui"
)

// runGUI opens the window; the agent delivers queued items in the background meanwhile.
func runGUI(c config, getenv func(string) string) error {
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
