package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/internal/ipc"
	"github.com/stuchain/cuepoint-companion/internal/store"
)

// The running window owns the data file. While it runs, a command started in another
// process sends its command line to it over a local socket (internal/ipc) and prints the
// answer: every command works the same whether the app is running or not.

// owner is this process's agent when this process serves others (the window).
var owner struct {
	sync.Mutex
	a   *agent.Agent
	dsn string
}

func setOwner(a *agent.Agent, dsn string) {
	owner.Lock()
	owner.a, owner.dsn = a, dsn
	owner.Unlock()
}

func ownerAgent() (*agent.Agent, string) {
	owner.Lock()
	defer owner.Unlock()
	return owner.a, owner.dsn
}

// release closes an agent the command opened itself; the owner's stays open.
func release(a *agent.Agent) {
	if o, _ := ownerAgent(); a != o {
		a.Close()
	}
}

// raiseCommand asks the running window to come to the front (a second start of the app).
const raiseCommand = "__raise"

// forwardedEnv are the variables that shape a command; they travel with it to the owner.
var forwardedEnv = []string{"CUEPOINT_HOME", "CUEPOINT_COMPANION_DATA_DIR", "CUEPOINT_COMPANION_SENTRY_DSN", "SENTRY_DSN",
	"XDG_DATA_HOME", "XDG_CONFIG_HOME", "LOCALAPPDATA"}

// forward runs args in the process that holds the data file, if one listens. ok is false
// when none answers (then the caller goes on alone, or reports the file as busy).
func forward(dataDir string, args []string, stdout, stderr io.Writer, getenv func(string) string) (code int, ok bool) {
	env := map[string]string{}
	for _, k := range forwardedEnv {
		if v := getenv(k); v != "" {
			if k == "CUEPOINT_HOME" || k == "CUEPOINT_COMPANION_DATA_DIR" {
				v = absPath(v)
			}
			env[k] = v
		}
	}
	ctx, cancel := interruptible()
	defer cancel()
	resp, err := ipc.Call(ctx, ipc.SocketPath(dataDir), ipc.Request{Args: absArgs(args), Env: env})
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "cuepoint-companion: interrupted; the running window finishes what it started (see `cuepoint-companion outbox list`)")
			return 130, true
		}
		return 0, false
	}
	io.WriteString(stdout, resp.Stdout)
	io.WriteString(stderr, resp.Stderr)
	return resp.Code, true
}

// absArgs makes the paths of a command line absolute: the window runs it in its own folder.
func absArgs(args []string) []string {
	out := append([]string(nil), args...)
	for i := 0; i < len(out); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(out[i], "-"), "=")
		if !strings.HasPrefix(out[i], "-") || !pathFlags[name] {
			continue
		}
		if hasValue {
			out[i] = out[i][:len(out[i])-len(value)] + absPath(value)
		} else if i+1 < len(out) {
			out[i+1] = absPath(out[i+1])
			i++
		}
	}
	return out
}

var pathFlags = map[string]bool{"o": true, "data-dir": true, "cuepoint-home": true}

func absPath(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// storeCommands need the data file, so they go to the running window when there is one.
var storeCommands = map[string]bool{"crash": true, "outbox": true, "ledger": true, "consent": true, "data": true}

// dataDirOf finds the data folder a command line names (flag, then environment, then the
// default), before its flags are parsed.
func dataDirOf(args []string, getenv func(string) string) string {
	for i, a := range args {
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == "data-dir" {
			if hasValue {
				return value
			}
			if i+1 < len(args) {
				return args[i+1]
			}
		}
	}
	if d := getenv("CUEPOINT_COMPANION_DATA_DIR"); d != "" {
		return d
	}
	return defaultDataDir(getenv)
}

// serveOthers answers forwarded commands until ctx ends; raise brings the window forward.
func serveOthers(ctx context.Context, dataDir string, raise func()) error {
	return ipc.Serve(ctx, ipc.SocketPath(dataDir), func(ctx context.Context, req ipc.Request) ipc.Response {
		if words, _ := splitArgs(req.Args); len(words) == 0 || words[0] == "gui" || words[0] == raiseCommand {
			raise()
			return ipc.Response{Stdout: "CuePoint Companion is already running; its window was brought forward.\n"}
		}
		var out, errb bytes.Buffer
		code := run(req.Args, &out, &errb, func(k string) string { return req.Env[k] })
		return ipc.Response{Code: code, Stdout: out.String(), Stderr: errb.String()}
	})
}

// isBusy reports whether err is the data file being held by another process.
func isBusy(err error) bool { return errors.Is(err, store.ErrLocked) }
