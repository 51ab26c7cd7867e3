package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent/scrub"
)

// scrubCmd prints FILE (or standard input) cleaned the way everything sent is cleaned.
// It needs no data file, so it works while the app runs.
func scrubCmd(args []string, c *config, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("scrub", c, getenv, stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	in := stdin
	switch fs.NArg() {
	case 0:
	case 1:
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return fmt.Errorf("cannot read %s: %w", fs.Arg(0), err)
		}
		defer f.Close()
		in = f
	default:
		return &usageError{"scrub takes at most one file (or reads standard input)"}
	}
	const limit = 256 << 20
	b, err := io.ReadAll(io.LimitReader(in, limit+1))
	if err != nil {
		return fmt.Errorf("reading the text: %w", err)
	}
	if len(b) > limit {
		return fmt.Errorf("the text is larger than %d MB: split it (e.g. with `split -l 1000000`) and scrub the parts; nothing was printed", limit>>20)
	}
	_, err = io.WriteString(stdout, scrub.New(identity(*c)).String(string(b)))
	return err
}

// dataCmd is "data export [-o FILE]" and "data erase [--yes]".
func dataCmd(sub string, args []string, c *config, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("data "+sub, c, getenv, stderr)
	out := fs.String("o", "", "write the export to FILE instead of standard output")
	yes := fs.Bool("yes", false, "really erase (without it, erase only shows what it would delete)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if sub != "export" && sub != "erase" {
		return &usageError{fmt.Sprintf("unknown subcommand %q: use data export or data erase", sub)}
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("unexpected %q: data %s takes no arguments (write the export with -o FILE)", fs.Arg(0), sub)}
	}
	a, err := openAgent(*c, getenv)
	if err != nil {
		return err
	}
	defer release(a)
	ctx := context.Background()
	if sub == "export" {
		b, err := a.ExportData(ctx)
		if err != nil {
			return err
		}
		if *out == "" {
			_, err = stdout.Write(append(b, '\n'))
			return err
		}
		if err := os.WriteFile(*out, append(b, '\n'), 0o600); err != nil {
			return fmt.Errorf("cannot write the export: %w", err)
		}
		fmt.Fprintf(stdout, "Everything the companion stores about you was written to %s (%d bytes).\n", *out, len(b)+1)
		return nil
	}
	plan, err := a.ErasePlan(ctx)
	if err != nil {
		return err
	}
	describe := func(r agent.EraseReport) string {
		return fmt.Sprintf("%d queued item(s), %d record(s) of sends, %d consent decision(s) and %d history entries, %d crash state(s), %d file(s) in the outgoing folder",
			r.OutboxItems, r.LedgerEntries, r.ConsentDecisions, r.ConsentHistory, r.CrashStates, r.OutgoingFiles)
	}
	if !*yes {
		fmt.Fprintf(stdout, "data erase would delete: %s.\nA record that an erasure happened (time and these counts) stays. Run `cuepoint-companion data erase --yes` to do it.\n", describe(plan))
		return nil
	}
	r, err := a.EraseData(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Erased %s. Every consent category is undecided again: the companion sends nothing until you decide. CuePoint's own switches were left as they are (see `cuepoint-companion consent show`).\n", describe(r))
	return nil
}
