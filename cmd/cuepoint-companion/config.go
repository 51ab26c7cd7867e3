package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent/scrub"
	"github.com/stuchain/cuepoint-companion/internal/cuepoint"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// config is every setting, from flags with environment mirrors (flag wins).
type config struct {
	SentryDSN    string
	DataDir      string
	CuePointHome string
}

// usageError is a mistake in how the command was called: exit code 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// addGlobalFlags registers the settings on fs; defaults come from the environment.
func addGlobalFlags(fs *flag.FlagSet, c *config, getenv func(string) string) {
	dsn := getenv("CUEPOINT_COMPANION_SENTRY_DSN")
	if dsn == "" {
		dsn = getenv("SENTRY_DSN")
	}
	fs.StringVar(&c.SentryDSN, "sentry-dsn", dsn, "send crash reports to this Sentry DSN (env CUEPOINT_COMPANION_SENTRY_DSN or SENTRY_DSN); empty: write them as .envelope files into <data-dir>/outgoing")
	fs.StringVar(&c.DataDir, "data-dir", getenv("CUEPOINT_COMPANION_DATA_DIR"), "where the companion keeps its data (env CUEPOINT_COMPANION_DATA_DIR); default: "+defaultDataDir(getenv))
	fs.StringVar(&c.CuePointHome, "cuepoint-home", getenv("CUEPOINT_HOME"), "treat DIR as the CuePoint user's home folder (env CUEPOINT_HOME); default: your home")
}

// defaultDataDir is the OS's per-user data location.
func defaultDataDir(getenv func(string) string) string {
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "CuePoint Companion")
	case "windows":
		if d := getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "CuePoint Companion")
		}
		return filepath.Join(home, "AppData", "Local", "CuePoint Companion")
	default:
		if d := getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "cuepoint-companion")
		}
		return filepath.Join(home, ".local", "share", "cuepoint-companion")
	}
}

// newFlagSet makes a subcommand's flag set with the global settings on it, so they may
// come before or after the subcommand name.
func newFlagSet(name string, c *config, getenv func(string) string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by run, with a pointer to help
	addGlobalFlags(fs, c, getenv)
	return fs
}

// parseFlags parses a command's flags; -h/--help asks for the help text (exit 0), any
// other problem is a usage error that says where to look.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		return err
	default:
		return &usageError{err.Error() + "; run `cuepoint-companion help` for the commands and settings"}
	}
}

// identity is who lives on this machine: the scrubber removes them from everything.
func identity(c config) scrub.Identity {
	var id scrub.Identity
	if home, err := os.UserHomeDir(); err == nil {
		id.Homes = append(id.Homes, home)
		if b := filepath.Base(home); b != "root" && b != "/" {
			id.Users = append(id.Users, b)
		}
	}
	if u, err := user.Current(); err == nil {
		name := u.Username
		if i := strings.LastIndexAny(name, `\/`); i >= 0 { // DOMAIN\name on Windows
			name = name[i+1:]
		}
		if name != "" && name != "root" {
			id.Users = append(id.Users, name)
		}
	}
	if c.CuePointHome != "" {
		if abs, err := filepath.Abs(c.CuePointHome); err == nil {
			id.Homes = append(id.Homes, abs)
		}
	}
	return id
}

// openAgent builds the agent from the settings. Errors are for people.
func openAgent(c config, getenv func(string) string) (*agent.Agent, error) {
	locs, err := cuepoint.Locate(c.CuePointHome, getenv)
	if err != nil {
		return nil, fmt.Errorf("cannot find your home folder (%v); pass --cuepoint-home", err)
	}
	if c.CuePointHome != "" {
		if st, err := os.Stat(c.CuePointHome); err != nil || !st.IsDir() {
			return nil, &usageError{fmt.Sprintf("--cuepoint-home %s is not a folder; give the home folder CuePoint ran in", c.CuePointHome)}
		}
	}
	dataDir := c.DataDir
	if dataDir == "" {
		dataDir = defaultDataDir(getenv)
	}
	outgoing := filepath.Join(dataDir, "outgoing")
	var sink agent.Sink = &agent.FolderSink{Dir: outgoing}
	if c.SentryDSN != "" {
		s, err := agent.NewSentrySink(c.SentryDSN, version)
		if err != nil {
			return nil, &usageError{err.Error()}
		}
		sink = s
	}
	if o, _ := ownerAgent(); o != nil {
		// A command forwarded to the running window: its store, the command's settings.
		return o.WithSettings(agent.Settings{CuePoint: locs, Identity: identity(c), Sink: sink, OutgoingDir: outgoing, QtSettings: cuepoint.NewQtSettings(locs)}), nil
	}
	a, err := agent.Open(agent.Config{
		StorePath:   filepath.Join(dataDir, "companion.db"),
		CuePoint:    locs,
		Identity:    identity(c),
		Sink:        sink,
		Version:     version,
		OutgoingDir: outgoing,
		QtSettings:  cuepoint.NewQtSettings(locs),
	})
	if err != nil {
		return nil, fmt.Errorf("cannot open the companion's data in %s: %w", dataDir, err)
	}
	return a, nil
}

var errSilent = errors.New("already reported")
