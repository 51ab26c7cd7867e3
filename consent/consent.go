// Package consent owns what the user has agreed may leave the machine.
//
// A Category names one kind of data (crash reports, usage statistics, ...). Each has a
// Decision: undecided until the user says otherwise (nothing is pre-ticked), then granted
// or denied, stamped with the category's version, the time and where it was made (GUI or
// CLI). The Gate answers "may an item of this category go to a network sink?" and is
// checked by the agent before anything is queued and again before anything is sent, so a
// decision taken in the UI cannot be bypassed by another code path.
//
// Decisions live in the companion's bbolt file (bucket "consent"); every change is also
// appended to an append-only history (bucket "consent_history"). Package scrub, beside
// this one, removes personal data from everything that is sent.
package consent

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Category is one kind of data the user decides about.
type Category string

// The categories known to this version. Only crash reports are wired so far; the others
// arrive with the screens that produce them.
const (
	CrashReports Category = "crash-reports"
)

// Info describes a category to a person and carries its version: a change of what the
// category sends bumps Version, and only then is the user asked again.
type Info struct {
	Category Category
	Version  int
	Title    string
	Explain  string // one plain sentence: what is sent, where to, why
}

// Categories lists every category in display order.
var Categories = []Info{{
	Category: CrashReports,
	Version:  1,
	Title:    "Crash reports",
	Explain: "When CuePoint crashes it writes a crash file; with this on, the companion sends " +
		"the error, the code locations and the last log lines — with your name, home folder, " +
		"emails, IP addresses and tokens removed — to the CuePoint maintainers.",
}}

// Lookup returns the Info of a category, and false when the category is unknown.
func Lookup(c Category) (Info, bool) {
	for _, i := range Categories {
		if i.Category == c {
			return i, true
		}
	}
	return Info{}, false
}

// ParseCategory turns user input ("crash-reports", "crash_reports", "Crash Reports") into a
// Category, with an error that lists the valid names.
func ParseCategory(s string) (Category, error) {
	norm := strings.ToLower(strings.NewReplacer("_", "-", " ", "-").Replace(strings.TrimSpace(s)))
	if _, ok := Lookup(Category(norm)); ok {
		return Category(norm), nil
	}
	names := make([]string, 0, len(Categories))
	for _, i := range Categories {
		names = append(names, string(i.Category))
	}
	return "", fmt.Errorf("unknown consent category %q; known: %s", s, strings.Join(names, ", "))
}

// State is the user's answer for one category.
type State string

const (
	Undecided State = "undecided"
	Granted   State = "granted"
	Denied    State = "denied"
)

// Source says where a decision was made.
type Source string

const (
	FromGUI Source = "gui"
	FromCLI Source = "cli"
)

// Decision is the recorded answer for one category.
type Decision struct {
	Category Category  `json:"category"`
	State    State     `json:"state"`
	Version  int       `json:"version"` // the category version the user answered
	At       time.Time `json:"at"`
	Source   Source    `json:"source"`
}

// Allows reports whether this decision lets data of its category leave the machine under
// the current version of the category. A grant given for an older version does not count:
// what is sent changed since the user agreed.
func (d Decision) Allows() bool {
	info, ok := Lookup(d.Category)
	return ok && d.State == Granted && d.Version == info.Version
}

// ErrNotGranted is returned (wrapped) when an item's category may not leave the machine.
var ErrNotGranted = errors.New("consent not granted")
