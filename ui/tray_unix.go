//go:build linux || freebsd || openbsd || netbsd

package ui

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/godbus/dbus/v5"
)

// trayAvailable reports whether a StatusNotifierItem host listens on the session bus.
// Fyne's tray needs one; without it (GNOME without the AppIndicator extension, a bare X
// server) the icon is silently invisible, and hiding the window on close would leave an
// app the user cannot reach.
func trayAvailable() bool {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		// Without this variable dbus would try the systemd socket, then autolaunch a bus.
		if _, err := os.Stat(fmt.Sprintf("/run/user/%d/bus", os.Getuid())); err != nil {
			return false
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	conn, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
	if err != nil {
		return false
	}
	defer conn.Close()
	var has bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0,
		"org.kde.StatusNotifierWatcher").Store(&has)
	return err == nil && has
}
