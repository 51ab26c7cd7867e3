//go:build unix

package cuepoint

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestFIFOAndDevicesAreSkippedNotWaitedOn(t *testing.T) {
	dir := t.TempDir()
	copyCrash(t, dir, "crash-20261122-080355", nil)
	if err := syscall.Mkfifo(filepath.Join(dir, "crash-20260101-000000.json"), 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	os.Symlink("/dev/zero", filepath.Join(dir, "crash-20260101-000001.log"))
	done := make(chan struct{})
	var crashes []Crash
	var problems []Problem
	go func() { crashes, problems = ReadCrashes([]string{dir}, time.UTC); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading a folder with a FIFO in it hangs")
	}
	if len(crashes) != 1 || len(problems) != 2 || !strings.Contains(problems[0].Message, "not a regular file") {
		t.Fatalf("crashes %d, problems %v", len(crashes), problems)
	}
}
