package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent"
)

func consentCmd(sub string, args []string, c *config, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("consent "+sub, c, getenv, stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var cat consent.Category
	var state consent.State
	switch sub {
	case "show":
	case "set":
		if fs.NArg() != 2 {
			return &usageError{"usage: consent set CATEGORY on|off|ask|undecided (e.g. consent set crash-reports on); `ask` (approve each item) is for crash-reports"}
		}
		var err error
		if cat, err = consent.ParseCategory(fs.Arg(0)); err != nil {
			return &usageError{err.Error()}
		}
		switch strings.ToLower(fs.Arg(1)) {
		case "on", "yes", "true", "granted", "allow":
			state = consent.Granted
		case "off", "no", "false", "denied", "deny":
			state = consent.Denied
		case "ask", "ask-each-time":
			state = consent.Ask
		case "undecided":
			state = consent.Undecided
		default:
			return &usageError{fmt.Sprintf("%q is not on, off, ask or undecided", fs.Arg(1))}
		}
	default:
		return &usageError{fmt.Sprintf("unknown subcommand %q: use consent show or consent set", sub)}
	}
	a, err := openAgent(*c, getenv)
	if err != nil {
		return err
	}
	defer release(a)
	if sub == "set" {
		if err := a.SetDecision(cat, state, consent.FromCLI); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %s\n", cat, state)
		conflicts, _ := a.SwitchConflicts(context.Background())
		for _, k := range conflicts {
			if k.Category == cat && k.Failed != "" {
				fmt.Fprintf(stderr, "note: your choice is saved, but CuePoint's own switch was not updated: %s. Fix or move the file; the companion tries again each time it starts.\n", k.Failed)
			}
		}
		return nil
	}
	var decisions []consent.Decision
	for _, info := range consent.Categories {
		d, err := a.Decision(info.Category)
		if err != nil {
			return err
		}
		decisions = append(decisions, d)
	}
	history, err := a.ConsentHistory()
	if err != nil {
		return err
	}
	if *asJSON {
		conflicts, _ := a.SwitchConflicts(context.Background())
		return writeJSON(stdout, struct {
			Decisions []consent.Decision     `json:"decisions"`
			History   []consent.Decision     `json:"history"`
			Conflicts []agent.SwitchConflict `json:"conflicts"`
		}{decisions, orEmpty(history), orEmpty(conflicts)})
	}
	conflicts, err := a.SwitchConflicts(context.Background())
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CATEGORY\tDECISION\tSINCE\tFROM\tWHAT IT SENDS")
	for _, d := range decisions {
		info, _ := consent.Lookup(d.Category)
		since := "-"
		if !d.At.IsZero() {
			since = d.At.Local().Format(time.DateTime)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Category, d.State, since, orDash(string(d.Source)), info.Explain)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(history) > 0 {
		fmt.Fprintln(stdout, "\nHistory (oldest first):")
		hw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		for _, d := range history {
			fmt.Fprintf(hw, "  %s\t%s\t%s\tversion %d\tfrom %s\n", d.At.Local().Format(time.DateTime), d.Category, d.State, d.Version, d.Source)
		}
		if err := hw.Flush(); err != nil {
			return err
		}
	}
	for _, k := range conflicts {
		if k.Failed != "" {
			fmt.Fprintf(stdout, "\nCuePoint's own switch for %s was not updated to %s: %s. Fix or move the file; the companion tries again each time it starts.\n", k.Category, k.CompanionWants, k.Failed)
			continue
		}
		fmt.Fprintf(stdout, "\n%s was changed inside CuePoint to %s; the companion has %s for %s. Run `cuepoint-companion consent set %s on|off` to decide; until then CuePoint's setting stays.\n",
			k.Where, k.CuePointValue, k.CompanionWants, k.Category, k.Category)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
