//go:build !(linux || freebsd || openbsd || netbsd)

package ui

// trayAvailable is true where the system always has a tray (Windows' notification area,
// the macOS menu bar).
func trayAvailable() bool { return true }
