// Package ipc lets a second companion process reach the one that owns the data file: bbolt
// locks the file for one process, so the running app serves requests on a local socket
// and a CLI command started meanwhile sends its command line there instead of opening the
// file — the way a daemon's CLI talks to its daemon.
//
// The socket lives in the user's runtime folder (XDG_RUNTIME_DIR, else a 0700 folder of
// the user's in the temp dir), is created 0600, and on Linux every connection's peer
// credentials are checked: another local user cannot connect. One request per connection:
// a JSON line in, a JSON line out. Windows named pipes are not implemented yet; there Serve
// and Call return ErrUnsupported and the CLI reports the file as busy.
package ipc

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"
)

// Request is a command line to run in the owner, with the caller's settings.
type Request struct {
	Args []string          `json:"args"`
	Env  map[string]string `json:"env,omitempty"` // the caller's CUEPOINT_* and SENTRY_DSN variables
}

// Response is what the command printed and its exit code.
type Response struct {
	Code   int    `json:"code"`
	Stdout string `json:"stdout"`
	Stderr string `json:"stderr"`
}

// ErrUnsupported: no local socket on this OS (yet).
var ErrUnsupported = errors.New("talking to the running companion is not supported on this OS yet")

// SocketPath is where the owner of dataDir listens: one socket per data folder.
func SocketPath(dataDir string) string {
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		abs = dataDir
	}
	sum := sha256.Sum256([]byte(abs))
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "cuepoint-companion-"+strconv.Itoa(os.Getuid()))
	}
	return filepath.Join(dir, "cpc-"+hex.EncodeToString(sum[:6])+".sock")
}

// Serve listens on path until ctx ends, running handle for each request (concurrently).
// A stale socket left by a killed owner is replaced; a live one is an error.
func Serve(ctx context.Context, path string, handle func(context.Context, Request) Response) error {
	if runtime.GOOS == "windows" {
		return ErrUnsupported
	}
	if err := privateDir(filepath.Dir(path)); err != nil {
		return err
	}
	if c, err := net.DialTimeout("unix", path, 200*time.Millisecond); err == nil {
		c.Close()
		return fmt.Errorf("another companion already listens on %s", path)
	}
	os.Remove(path) // stale
	old := umask(0o177)
	ln, err := net.Listen("unix", path)
	umask(old)
	if err != nil {
		return err
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return err
	}
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	// In-flight requests are not waited for: the owner is quitting, and what they queued
	// is already durable in the outbox.
	defer os.Remove(path)
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		go func() {
			defer conn.Close()
			serveConn(ctx, conn, handle)
		}()
	}
}

func serveConn(ctx context.Context, conn net.Conn, handle func(context.Context, Request) Response) {
	if err := checkPeer(conn); err != nil {
		json.NewEncoder(conn).Encode(Response{Code: 1, Stderr: "refused: " + err.Error() + "\n"})
		return
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	var req Request
	if err := json.NewDecoder(bufio.NewReader(conn)).Decode(&req); err != nil {
		json.NewEncoder(conn).Encode(Response{Code: 2, Stderr: "bad request: " + err.Error() + "\n"})
		return
	}
	conn.SetReadDeadline(time.Time{})
	json.NewEncoder(conn).Encode(handle(ctx, req))
}

// Call sends req to the owner at path and waits for its answer or ctx's end.
func Call(ctx context.Context, path string, req Request) (Response, error) {
	if runtime.GOOS == "windows" {
		return Response{}, ErrUnsupported
	}
	if err := checkDir(filepath.Dir(path)); err != nil {
		return Response{}, err
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return Response{}, err
	}
	defer conn.Close()
	if err := checkPeer(conn); err != nil { // the answer must come from this user's own process
		return Response{}, fmt.Errorf("refusing the process behind %s: %w", path, err)
	}
	go func() {
		<-ctx.Done()
		conn.SetDeadline(time.Now())
	}()
	if err := json.NewEncoder(conn).Encode(req); err != nil {
		return Response{}, err
	}
	var resp Response
	if err := json.NewDecoder(bufio.NewReader(conn)).Decode(&resp); err != nil {
		return Response{}, fmt.Errorf("no answer from the running companion: %w", err)
	}
	return resp, nil
}

// privateDir makes sure dir exists, is a real folder (not a link), belongs to this user
// and is closed to others: a folder another user made first could hold a fake socket.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return checkDir(dir)
}

func checkDir(dir string) error {
	st, err := os.Lstat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a folder", dir)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("%s is open to other users (mode %v); remove it or run `chmod 700 %s`", dir, st.Mode().Perm(), dir)
	}
	return checkOwner(dir, st)
}
