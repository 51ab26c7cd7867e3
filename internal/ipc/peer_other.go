//go:build !linux

package ipc

import (
	"net"
	"os"
)

// checkPeer relies on the socket's 0600 mode in a 0700 folder where peer credentials are
// not read.
func checkPeer(net.Conn) error { return nil }

func umask(m int) int { return m }

func checkOwner(string, os.FileInfo) error { return nil }
