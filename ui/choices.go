package ui

import (
	"context"
	"fmt"

	"github.com/stuchain/cuepoint-companion/consent"
)

// The answers a person can give about a category, as the screens write them. Categories
// whose items can be looked at one by one (consent.Info.AskEachTime: crash reports) offer
// Always send / Ask each time / Never; the others Allow / Don't allow.
const (
	choiceUndecided = "Undecided"
	choiceAllow     = "Allow"
	choiceDeny      = "Don't allow"
	choiceAlways    = "Always send"
	choiceAsk       = "Ask each time"
	choiceNever     = "Never"
)

// consentChoices lists the answers offered for a category, in display order. withUndecided
// adds "Undecided" in front, for the screens where an answer can be taken back; the
// first-run screen offers only real answers and pre-selects none.
func consentChoices(info consent.Info, withUndecided bool) []string {
	var out []string
	if withUndecided {
		out = append(out, choiceUndecided)
	}
	if info.AskEachTime {
		return append(out, choiceAlways, choiceAsk, choiceNever)
	}
	return append(out, choiceAllow, choiceDeny)
}

// stateFor is the state a choice records.
func stateFor(choice string) (consent.State, bool) {
	switch choice {
	case choiceAllow, choiceAlways:
		return consent.Granted, true
	case choiceAsk:
		return consent.Ask, true
	case choiceDeny, choiceNever:
		return consent.Denied, true
	case choiceUndecided:
		return consent.Undecided, true
	}
	return "", false
}

// choiceFor is the choice that shows a recorded decision. A grant (or "ask each time")
// for an older version of the category shows as Undecided: it no longer lets anything out.
// A refusal stays a refusal whatever the version.
func choiceFor(d consent.Decision) string {
	info, ok := consent.Lookup(d.Category)
	current := ok && d.Version == info.Version
	switch {
	case d.State == consent.Denied:
		return stateChoice(info, consent.Denied)
	case !current:
		return choiceUndecided
	case d.State == consent.Granted, d.State == consent.Ask && info.AskEachTime:
		return stateChoice(info, d.State)
	}
	return choiceUndecided
}

// stateChoice names a state in the words of the category's choices, for the history.
func stateChoice(info consent.Info, s consent.State) string {
	switch s {
	case consent.Granted:
		if info.AskEachTime {
			return choiceAlways
		}
		return choiceAllow
	case consent.Ask:
		return choiceAsk
	case consent.Denied:
		if info.AskEachTime {
			return choiceNever
		}
		return choiceDeny
	case consent.Undecided, "":
		return choiceUndecided
	}
	return string(s)
}

// sourceName says where a decision was made, for the history's "From" column.
func sourceName(s consent.Source) string {
	switch s {
	case consent.FromGUI:
		return "window"
	case consent.FromCLI:
		return "command line"
	case consent.FromCuePoint:
		return "CuePoint"
	case consent.FromErasure:
		return "erasure"
	case "":
		return "unknown"
	}
	return string(s)
}

// sourcePhrase ends a sentence about a decision with where it was made.
func sourcePhrase(s consent.Source) string {
	switch s {
	case consent.FromGUI:
		return " in this app"
	case consent.FromCLI:
		return " from the command line"
	case consent.FromCuePoint:
		return " inside CuePoint"
	case consent.FromErasure:
		return " when you erased your data"
	}
	return ""
}

// versionText is the history's "Version" column: the category's version the answer was
// about and, when recorded, the privacy notice's.
func versionText(d consent.Decision) string {
	if d.PolicyVersion > 0 {
		return fmt.Sprintf("v%d · notice v%d", d.Version, d.PolicyVersion)
	}
	return fmt.Sprintf("v%d", d.Version)
}

// saveDecision records a choice made in the window, off the UI goroutine, and hands the
// decision as now recorded (or the error) to done on the UI goroutine.
func saveDecision(e *env, c consent.Category, state consent.State, done func(consent.Decision, error)) {
	b := e.b
	call(e, loadTimeout, func(context.Context) (consent.Decision, error) {
		if err := b.SetDecision(c, state, consent.FromGUI); err != nil {
			return consent.Decision{}, err
		}
		return b.Decision(c)
	}, done)
}
