package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stuchain/cuepoint-companion/agent"
)

func crashCmd(sub string, args []string, c *config, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("crash "+sub, c, getenv, stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	all := false
	if sub == "send" {
		fs.BoolVar(&all, "all", false, "send every crash report not sent yet")
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	ids := fs.Args()
	switch sub {
	case "inspect":
		if len(ids) != 1 {
			return &usageError{"crash inspect needs one FILE (a crash .json or .log, or a pasted traceback; - reads standard input)"}
		}
		return inspectCmd(ids[0], *asJSON, c, stdout)
	case "list":
	case "show", "dismiss":
		if len(ids) != 1 {
			return &usageError{fmt.Sprintf("crash %s needs one ID (see `cuepoint-companion crash list`)", sub)}
		}
	case "send":
		if all == (len(ids) > 0) {
			return &usageError{"crash send needs one or more IDs or --all (see `cuepoint-companion crash list`)"}
		}
	case "":
		return &usageError{"crash needs a subcommand: crash list, show, send, dismiss or inspect"}
	default:
		return &usageError{fmt.Sprintf("unknown subcommand %q: use crash list, show, send or dismiss", sub)}
	}
	a, err := openAgent(*c, getenv)
	if err != nil {
		return err
	}
	defer release(a)
	for _, n := range a.Notices() {
		fmt.Fprintln(stderr, "note:", n)
	}
	ctx, cancel := interruptible()
	defer cancel()

	switch sub {
	case "list":
		groups, problems, err := a.CrashGroups(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(stdout, struct {
				Groups   []agent.CrashGroup `json:"groups"`
				Problems []agent.Problem    `json:"problems"`
			}{orEmpty(groups), orEmpty(problems)})
		}
		for _, p := range problems {
			fmt.Fprintln(stderr, "warning:", p.Error())
		}
		if len(groups) == 0 {
			fmt.Fprintf(stdout, "No CuePoint crashes found (looked in %v).\n", a.Locations().CrashDirs)
			return nil
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tCOUNT\tFIRST\tLAST\tSTATUS\tERROR")
		for _, g := range groups {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s: %s\n", g.ID, g.Count, g.First.Format(time.DateTime), g.Last.Format(time.DateTime), g.Status.Text(), g.Type, g.Message)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "\n%d groups, %d reports. Destination: %s\n", len(groups), countReports(groups), a.Destination())
		return nil
	case "show":
		p, err := a.PreviewCrashGroup(ctx, ids[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "This is exactly what would be sent to %s: %d envelope(s), each its own request; sent_at is added when sending.\n", p.Destination, len(p.Items))
		for _, it := range p.Items {
			if len(p.Items) > 1 {
				fmt.Fprintf(stderr, "--- %s (%d bytes)\n", it.Name, len(it.Payload))
			}
			if _, err := stdout.Write(it.Payload); err != nil {
				return err
			}
		}
		return nil
	case "dismiss":
		if err := a.DismissCrashGroup(ctx, ids[0]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s will not be sent (crash send --all skips it; `crash send %s` still sends it).\n", ids[0], ids[0])
		return nil
	}

	// send
	var total agent.SendResult
	var sendErr error
	if all {
		total, sendErr = a.SendAllCrashes(ctx)
	} else {
		var msgs []string
		for _, id := range ids {
			r, err := a.SendCrashGroup(ctx, id)
			total.Queued += r.Queued
			total.Sent += r.Sent
			total.AlreadySent += r.AlreadySent
			total.Pending = r.Pending
			total.Dropped = append(total.Dropped, r.Dropped...)
			if err != nil {
				sendErr = err
				break
			}
			msgs = append(msgs, id+": "+r.Message)
		}
		total.Message = strings.Join(msgs, "\n")
		if len(ids) == 1 && len(msgs) == 1 {
			total.Message = strings.TrimPrefix(msgs[0], ids[0]+": ")
		}
	}
	if sendErr != nil {
		return sendErr
	}
	if *asJSON {
		if err := writeJSON(stdout, total); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(stdout, total.Message)
	}
	if len(total.Dropped) > 0 {
		return fmt.Errorf("%d report(s) were refused by the destination and not kept: %s", len(total.Dropped), total.Dropped[0])
	}
	if total.Pending > 0 {
		return fmt.Errorf("%w: %d item(s) stay in the outbox and are retried by the app (see `cuepoint-companion outbox list`)", errPending, total.Pending)
	}
	return nil
}

func countReports(gs []agent.CrashGroup) int {
	n := 0
	for _, g := range gs {
		n += g.Count
	}
	return n
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// inspectCmd prints the scrubbed event any crash text would become, with its fingerprint:
// support staff triage what users paste. It needs no data file.
func inspectCmd(name string, asJSON bool, c *config, stdout io.Writer) error {
	var b []byte
	var err error
	if name == "-" {
		b, err = io.ReadAll(io.LimitReader(os.Stdin, 16<<20))
		name = "standard input"
	} else {
		b, err = os.ReadFile(name)
	}
	if err != nil {
		return fmt.Errorf("cannot read %s: %w", name, err)
	}
	ins, err := agent.Inspect(name, b, identity(*c), version)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(stdout, ins)
	}
	partial := "no"
	if ins.Partial {
		partial = "yes (best effort: part of the text could not be understood)"
	}
	fmt.Fprintf(stdout, "# fingerprint: %s\n# partial: %s\n", strings.Join(ins.Fingerprint, " | "), partial)
	_, err = stdout.Write(append(ins.Event, '\n'))
	return err
}
