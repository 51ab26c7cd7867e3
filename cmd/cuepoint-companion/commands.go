package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent"
	"github.com/stuchain/cuepoint-companion/internal/cuepoint"
	"github.com/stuchain/cuepoint-companion/internal/store"
)

// Exit codes. Scripts may rely on them.
const (
	exitOK        = 0
	exitFailure   = 1 // something went wrong; the message says what
	exitUsage     = 2 // bad command line or setting
	exitNoConsent = 3 // the user has not allowed this kind of data to leave
	exitPending   = 4 // queued durably but not delivered yet (offline, rate-limited)
	exitBusy      = 5 // another companion holds the data file
)

const helpText = `CuePoint Companion %s

Usage:
  cuepoint-companion [settings]                 open the window
  cuepoint-companion COMMAND [settings] [args]

Commands:
  crash list [--json]            CuePoint's crashes, grouped (ID = CuePoint's report_id)
  crash show ID                  exactly what sending ID would put on the wire
  crash send ID|--all [--json]   queue and send crash reports (needs crash-reports consent)
  crash dismiss ID               "Don't send" for a crash group
  crash inspect FILE|- [--json]  the scrubbed event any crash text (CuePoint .json/.log, a
                                 pasted traceback) would become, with its fingerprint
  outbox list [--json]           what waits to be sent
  ledger list [--json]           what left this machine
  consent show [--json]          your decisions and their history
  consent set CATEGORY on|off|ask|undecided   (ask = approve each item; crash-reports only)
  ledger show ITEM               the exact bytes of one send (kept 30 days)
  scrub [FILE]                   print FILE (or stdin) with personal data removed
  data export [-o FILE]          everything the companion stores about you, as JSON
  data erase [--yes]             delete it (shows what first; a record of the erasure stays)
  where [--json]                 where CuePoint's files are on this machine
  version                        print the version

Settings (each also read from the environment):
  --sentry-dsn DSN       CUEPOINT_COMPANION_SENTRY_DSN or SENTRY_DSN
  --data-dir DIR         CUEPOINT_COMPANION_DATA_DIR
  --cuepoint-home DIR    CUEPOINT_HOME: treat DIR as the CuePoint user's home

Exit codes: 0 ok, 1 failure, 2 usage, 3 consent not given, 4 queued but not yet delivered,
5 data file in use by another companion.
`

// run is the whole program behind main; it returns the exit code.
func run(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var c config
	words, flags := splitArgs(args)
	cmd, rest := "", flags
	if len(words) > 0 {
		cmd = words[0]
		// The subcommand word stays first; flags follow; the remaining words (IDs, values)
		// come after "--" so that flags and words may be given in any order.
		if len(words) > 1 {
			rest = append([]string{words[1]}, flags...)
			rest = append(append(rest, "--"), words[2:]...)
		}
	}
	inspect := cmd == "crash" && len(words) > 1 && words[1] == "inspect" // reads a file, not the store
	if o, _ := ownerAgent(); o == nil && storeCommands[cmd] && !inspect && !hasHelpFlag(flags) {
		// The window may own the data file: ask it first (no wait for the file lock).
		if code, ok := forward(dataDirOf(args, getenv), args, stdout, stderr, getenv); ok {
			return code
		}
	}
	err := dispatch(cmd, rest, &c, stdout, stderr, getenv)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, helpText, version)
		return exitOK
	}
	return report(err, stderr)
}

// splitArgs separates words (command, subcommand, IDs) from flags, keeping each value
// flag with its value, so settings may come before or after the command.
func splitArgs(args []string) (words, flags []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(words, args[i+1:]...), flags
		case strings.HasPrefix(a, "-") && len(a) > 1:
			flags = append(flags, a)
			if isValueFlag(a) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			words = append(words, a)
		}
	}
	return words, flags
}

func isValueFlag(a string) bool {
	if strings.Contains(a, "=") {
		return false
	}
	switch strings.TrimLeft(a, "-") {
	case "sentry-dsn", "data-dir", "cuepoint-home", "o":
		return true
	}
	return false
}

func report(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errSilent):
		return exitFailure
	case errors.As(err, &ue):
		fmt.Fprintln(stderr, "cuepoint-companion:", err)
		return exitUsage
	case errors.Is(err, consent.ErrNotGranted):
		fmt.Fprintln(stderr, "cuepoint-companion:", err)
		return exitNoConsent
	case errors.Is(err, errPending):
		fmt.Fprintln(stderr, "cuepoint-companion:", err)
		return exitPending
	case errors.Is(err, store.ErrLocked):
		fmt.Fprintln(stderr, "cuepoint-companion:", err)
		return exitBusy
	default:
		fmt.Fprintln(stderr, "cuepoint-companion:", err)
		return exitFailure
	}
}

var errPending = errors.New("not delivered yet")

func dispatch(cmd string, args []string, c *config, stdout, stderr io.Writer, getenv func(string) string) error {
	sub := ""
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		sub = args[0]
	}
	switch cmd {
	case "", "gui":
		fs := newFlagSet("cuepoint-companion", c, getenv, stderr)
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		return runGUI(*c, stdout, getenv)
	case "help", "-h", "--help":
		fmt.Fprintf(stdout, helpText, version)
		return nil
	case "version":
		fmt.Fprintln(stdout, "cuepoint-companion", version)
		return nil
	case "crash":
		return crashCmd(sub, tail(args), c, stdout, stderr, getenv)
	case "outbox":
		return withAgent(sub, "list", tail(args), c, stderr, getenv, func(a *agent.Agent, fs *flag.FlagSet, asJSON bool) error {
			items, err := a.OutboxItems(context.Background())
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(stdout, items)
			}
			if len(items) == 0 {
				fmt.Fprintln(stdout, "Nothing waiting to be sent.")
				return nil
			}
			tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tCATEGORY\tBYTES\tQUEUED\tATTEMPTS\tNEXT TRY\tSUMMARY")
			for _, it := range items {
				next := "now"
				if !it.NextAttempt.IsZero() {
					next = it.NextAttempt.Local().Format(time.DateTime)
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%d\t%s\t%s\n", it.ID, it.Category, it.Bytes, it.CreatedAt.Local().Format(time.DateTime), it.Attempts, next, it.Summary)
				if it.LastError != "" {
					fmt.Fprintf(tw, "\t\t\t\t\tlast error:\t%s\n", it.LastError)
				}
			}
			return tw.Flush()
		})
	case "ledger":
		if sub == "show" {
			return ledgerShow(tail(args), c, stdout, stderr, getenv)
		}
		return withAgent(sub, "list", tail(args), c, stderr, getenv, func(a *agent.Agent, fs *flag.FlagSet, asJSON bool) error {
			entries, err := a.Ledger(context.Background())
			if err != nil {
				return err
			}
			for i := range entries {
				entries[i].Payload = nil // `ledger show ITEM` prints the bytes
			}
			if asJSON {
				return writeJSON(stdout, orEmpty(entries))
			}
			if len(entries) == 0 {
				fmt.Fprintln(stdout, "Nothing has left this machine.")
				return nil
			}
			tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "TIME\tOUTCOME\tCATEGORY\tBYTES\tITEM\tDESTINATION")
			for _, e := range entries {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", e.At.Local().Format(time.DateTime), e.Outcome, e.Category, e.Bytes, e.ItemID, e.Destination)
				if e.Detail != "" {
					fmt.Fprintf(tw, "\t\t\t\t\t%s\n", e.Detail)
				}
			}
			return tw.Flush()
		})
	case "consent":
		return consentCmd(sub, tail(args), c, stdout, stderr, getenv)
	case "scrub":
		files := tail(args) // flags, "--", more words
		if sub != "" {
			files = append(files, sub) // the first word after "scrub" is the file
		}
		return scrubCmd(files, c, os.Stdin, stdout, stderr, getenv)
	case "data":
		return dataCmd(sub, tail(args), c, stdout, stderr, getenv)
	case "where":
		fs := newFlagSet("where", c, getenv, stderr)
		asJSON := fs.Bool("json", false, "print JSON")
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		// Only CuePoint's files are looked at: the companion's data file is not opened
		// (nor created), so this works while the app runs.
		locs, err := cuepoint.Locate(c.CuePointHome, getenv)
		if err != nil {
			return fmt.Errorf("cannot find your home folder (%v); pass --cuepoint-home", err)
		}
		places := locs.Places()
		procs, perr := cuepoint.FindProcesses(context.Background())
		if *asJSON {
			return writeJSON(stdout, struct {
				Places    []cuepoint.Place   `json:"places"`
				Processes []cuepoint.Process `json:"processes"`
			}{places, orEmpty(procs)})
		}
		switch {
		case perr != nil:
			fmt.Fprintln(stdout, "CuePoint process: could not list processes:", perr)
		case len(procs) == 0:
			fmt.Fprintln(stdout, "CuePoint process: not running")
		default:
			for _, p := range procs {
				fmt.Fprintf(stdout, "CuePoint process: running (%s, pid %d)\n", p.Name, p.PID)
			}
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		for _, p := range places {
			mark := "missing"
			if p.Exists {
				mark = "found"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Label, mark, p.Path)
		}
		return tw.Flush()
	default:
		return &usageError{fmt.Sprintf("unknown command %q; run `cuepoint-companion help`", cmd)}
	}
}

func tail(args []string) []string {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[1:]
	}
	return args
}

// withAgent runs a one-verb command (e.g. "outbox list") with --json and the settings.
func withAgent(sub, want string, args []string, c *config, stderr io.Writer, getenv func(string) string, fn func(*agent.Agent, *flag.FlagSet, bool) error) error {
	if sub != want {
		return &usageError{fmt.Sprintf("unknown subcommand %q; did you mean %q?", sub, want)}
	}
	fs := newFlagSet(want, c, getenv, stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := openAgent(*c, getenv)
	if err != nil {
		return err
	}
	defer release(a)
	for _, n := range a.Notices() {
		fmt.Fprintln(stderr, "note:", n)
	}
	return fn(a, fs, *asJSON)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// interruptible is a context that ends on Ctrl-C.
func interruptible() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt)
}

// ledgerShow prints the exact bytes of one send.
func ledgerShow(args []string, c *config, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("ledger show", c, getenv, stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &usageError{"ledger show needs one ITEM ID (see `cuepoint-companion ledger list`)"}
	}
	a, err := openAgent(*c, getenv)
	if err != nil {
		return err
	}
	defer release(a)
	entries, err := a.Ledger(context.Background())
	if err != nil {
		return err
	}
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.ItemID != fs.Arg(0) {
			continue
		}
		if e.Payload == nil {
			return fmt.Errorf("the bytes of %s are no longer kept (they are kept %d days; it left on %s)", e.ItemID, agent.PayloadDays, e.At.Local().Format(time.DateTime))
		}
		fmt.Fprintf(stderr, "%s: %d bytes to %s on %s:\n", e.Outcome, e.Bytes, e.Destination, e.At.Local().Format(time.DateTime))
		_, err := stdout.Write(e.Payload)
		return err
	}
	return fmt.Errorf("no send with item ID %q in the ledger; see `cuepoint-companion ledger list`", fs.Arg(0))
}

func hasHelpFlag(flags []string) bool {
	for _, f := range flags {
		if f == "-h" || f == "--help" || f == "-help" {
			return true
		}
	}
	return false
}
