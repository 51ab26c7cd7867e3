package ipc

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func serve(t *testing.T, path string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, path, func(_ context.Context, r Request) Response {
			return Response{Code: 7, Stdout: strings.Join(r.Args, " "), Stderr: r.Env["K"]}
		})
	}()
	for i := 0; i < 200; i++ {
		if c, err := net.Dial("unix", path); err == nil {
			c.Close()
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}
}

func TestRoundTripAndCleanup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run", "s.sock")
	stop := serve(t, path)
	resp, err := Call(context.Background(), path, Request{Args: []string{"crash", "list"}, Env: map[string]string{"K": "v"}})
	if err != nil || resp.Code != 7 || resp.Stdout != "crash list" || resp.Stderr != "v" {
		t.Fatalf("%+v %v", resp, err)
	}
	if st, _ := os.Stat(filepath.Dir(path)); st.Mode().Perm() != 0o700 {
		t.Errorf("runtime folder mode %v", st.Mode().Perm())
	}
	stop()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("socket left behind: %v", err)
	}
	if _, err := Call(context.Background(), path, Request{}); err == nil {
		t.Error("Call to nobody succeeded")
	}
}

func TestStaleSocketIsReplacedLiveOneIsNot(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run", "s.sock")
	os.Mkdir(filepath.Dir(path), 0o700)
	ln, err := net.Listen("unix", path) // a killed owner leaves its socket file behind
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	stop := serve(t, path)
	defer stop()
	if _, err := Call(context.Background(), path, Request{}); err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	err = Serve(context.Background(), path, func(context.Context, Request) Response { return Response{} })
	if err == nil || !strings.Contains(err.Error(), "already listens") {
		t.Fatalf("a second owner: %v", err)
	}
}

// A folder someone else could write into (made first by another user, or left open) could
// hold a fake owner: neither side uses it.
func TestOpenFolderIsRefused(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	os.Mkdir(dir, 0o777)
	os.Chmod(dir, 0o777)
	path := filepath.Join(dir, "s.sock")
	err := Serve(context.Background(), path, func(context.Context, Request) Response { return Response{} })
	if err == nil || !strings.Contains(err.Error(), "open to other users") {
		t.Fatalf("Serve in an open folder: %v", err)
	}
	if _, err := Call(context.Background(), path, Request{}); err == nil || !strings.Contains(err.Error(), "open to other users") {
		t.Fatalf("Call into an open folder: %v", err)
	}
}
