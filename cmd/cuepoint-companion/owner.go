package main

import (
	"bytes"
	"context"
	"errors"
	"io"
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
// when none answers (then the caller reports the file as busy).
func forward(dataDir string, args []string, stdout, stderr io.Writer, getenv func(string) string) (code int, ok bool) {
	env := map[string]string{}
	for _, k := range forwardedEnv {
		if v := getenv(k); v != "" {
			env[k] = v
		}
	}
	ctx, cancel := interruptible()
	defer cancel()
	resp, err := ipc.Call(ctx, ipc.SocketPath(dataDir), ipc.Request{Args: args, Env: env})
	if err != nil {
		return 0, false
	}
	io.WriteString(stdout, resp.Stdout)
	io.WriteString(stderr, resp.Stderr)
	return resp.Code, true
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
