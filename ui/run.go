package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/stuchain/cuepoint-companion/assets"
)

// AppID is the companion's application ID: Fyne keys its preferences and storage by it.
const AppID = "io.github.stuchain.cuepoint-companion"

// Run opens the companion's window and blocks until the user quits. With a system tray it
// adds a tray menu (Show, Quit) and closing the window only hides it; without one, closing
// the window quits. The theme follows the system. Run must be called from the main
// goroutine (Fyne's rule); it returns an error only when it cannot start.
func Run(b Backend, opts Options) error {
	if b == nil {
		return errors.New("ui: Run needs a Backend")
	}
	// Plain `go build` does not read FyneApp.toml: declare the fyneDo migration here (every
	// widget change from background work goes through fyne.Do).
	app.SetMetadata(fyne.AppMetadata{ID: AppID, Name: windowTitle, Icon: fyne.NewStaticResource("icon.png", assets.Icon),
		Migrations: map[string]bool{"fyneDo": true}})
	a := app.NewWithID(AppID)
	icon := fyne.NewStaticResource("icon.png", assets.Icon)
	a.SetIcon(icon)

	m := newMainWindow(a, b, opts, defaultThreading())
	w := m.win
	w.SetIcon(icon)
	desk, hasDesk := a.(desktop.App)
	if !hasDesk || !trayAvailable() {
		w.SetMaster() // no tray to come back from: closing the window quits
	} else {
		show := fyne.NewMenuItem("Show CuePoint Companion", func() {
			w.Show()
			w.RequestFocus()
		})
		quit := fyne.NewMenuItem("Quit", func() {
			m.saveWindowState()
			a.Quit()
		})
		quit.IsQuit = true // Fyne adds its own Quit unless the menu ends with one
		desk.SetSystemTrayMenu(fyne.NewMenu(windowTitle, show, quit))
		desk.SetSystemTrayIcon(icon)
		w.SetCloseIntercept(func() {
			m.saveWindowState()
			w.Hide()
		})
	}
	if opts.Raise != nil {
		go func() {
			for range opts.Raise {
				fyne.Do(func() {
					w.Show()
					w.RequestFocus()
				})
			}
		}()
	}
	if len(opts.Notices) > 0 {
		dialog.ShowInformation("Please note", strings.Join(opts.Notices, "\n\n"), w)
	}
	w.ShowAndRun()
	return nil
}
