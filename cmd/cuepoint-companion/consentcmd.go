package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/stuchain/cuepoint-companion/consent"
)

func consentCmd(sub string, args []string, c *config, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("consent "+sub, c, getenv, stderr)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return &usageError{err.Error()}
	}
	var cat consent.Category
	var state consent.State
	switch sub {
	case "show":
	case "set":
		if fs.NArg() != 2 {
			return &usageError{"usage: consent set CATEGORY on|off|undecided (e.g. consent set crash-reports on)"}
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
		case "undecided", "ask":
			state = consent.Undecided
		default:
			return &usageError{fmt.Sprintf("%q is not on, off or undecided", fs.Arg(1))}
		}
	default:
		return &usageError{fmt.Sprintf("unknown subcommand %q: use consent show or consent set", sub)}
	}
	a, err := openAgent(*c, getenv)
	if err != nil {
		return err
	}
	defer a.Close()
	if sub == "set" {
		if err := a.SetDecision(cat, state, consent.FromCLI); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %s\n", cat, state)
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
		return writeJSON(stdout, struct {
			Decisions []consent.Decision `json:"decisions"`
			History   []consent.Decision `json:"history"`
		}{decisions, orEmpty(history)})
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
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
