//go:build !darwin

package cuepoint

import "errors"

// defaultsRunner: macOS preferences exist only on macOS.
func defaultsRunner(...string) (string, error) {
	return "", errors.New("macOS preferences can be read and written only on macOS")
}
