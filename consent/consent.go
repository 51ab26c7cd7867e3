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

// PolicyVersion is the version of the privacy notice (assets/privacy.md). It is recorded
// with every decision; bump it when the notice's text changes.
const PolicyVersion = 1

// Category is one kind of data the user decides about.
type Category string

// The categories, each opt-in: nothing is sent for a category until the user grants it.
const (
	CrashReports       Category = "crash-reports"
	ErrorEvents        Category = "error-events"
	UsageStatistics    Category = "usage-statistics"
	PerformanceReports Category = "performance-reports"
	Screenshots        Category = "screenshots"
	Diagnostics        Category = "diagnostics"
)

// Info describes a category to a person and carries its version: a change of what the
// category sends bumps Version, and only then is a user who decided asked again.
type Info struct {
	Category Category
	Version  int
	Title    string
	Explain  string // one plain sentence: what is sent, where to, why
	// AskEachTime is offered (besides always and never) for categories whose items the
	// user can look at one by one before they go.
	AskEachTime bool
}

// Categories lists every category in display order.
var Categories = []Info{{
	Category: CrashReports, Version: 1, Title: "Crash reports", AskEachTime: true,
	Explain: "When CuePoint crashes it writes a crash file; with this on, the companion sends " +
		"the error, the code locations and the last log lines — with your name, home folder, " +
		"emails, IP addresses and tokens removed — to the CuePoint maintainers.",
}, {
	Category: ErrorEvents, Version: 1, Title: "Error events from logs",
	Explain: "Errors CuePoint writes to its logs without crashing (a failed Beatport search, an " +
		"unreadable playlist) are sent as single scrubbed log lines, so recurring problems get noticed.",
}, {
	Category: UsageStatistics, Version: 1, Title: "Usage statistics",
	Explain: "CuePoint's own usage events (app started, run finished with how many tracks and the " +
		"match rate) are sent without file names or playlist names, to see which features are used.",
}, {
	Category: PerformanceReports, Version: 1, Title: "Performance reports",
	Explain: "Results of performance checks (startup time, seconds per track, memory) with your " +
		"CPU model, memory size and OS version, to find slow releases.",
}, {
	Category: Screenshots, Version: 1, Title: "Screenshots in feedback",
	Explain: "Screenshots you add to a feedback report, after you blacked out what you want hidden, " +
		"are uploaded with it.",
}, {
	Category: Diagnostics, Version: 1, Title: "Diagnostics with feedback",
	Explain: "A scrubbed diagnostic bundle (versions, settings without secrets, recent log lines) " +
		"is attached to your feedback so maintainers can reproduce the problem.",
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
	Granted   State = "granted" // "always send"
	Denied    State = "denied"  // "never"
	// Ask: send only what the user approves one by one ("ask each time"); only for
	// categories with AskEachTime.
	Ask State = "ask"
)

// Source says where a decision was made.
type Source string

const (
	FromGUI Source = "gui"
	FromCLI Source = "cli"
	// FromCuePoint: the user changed CuePoint's own switch and the companion adopted it.
	FromCuePoint Source = "cuepoint"
	// FromErasure: the user erased their data; every category went back to undecided.
	FromErasure Source = "erasure"
)

// Decision is the recorded answer for one category.
type Decision struct {
	Category      Category  `json:"category"`
	State         State     `json:"state"`
	Version       int       `json:"version"`        // the category version the user answered
	PolicyVersion int       `json:"policy_version"` // the privacy notice version shown then
	At            time.Time `json:"at"`
	Source        Source    `json:"source"`
}

// Allows reports whether this decision lets an item of its category leave the machine
// under the current version of the category. approved says the user approved this very
// item (pressed Send on it), which is what "ask each time" needs. A grant given for an
// older version does not count: what is sent changed since the user agreed.
func (d Decision) Allows(approved bool) bool {
	info, ok := Lookup(d.Category)
	if !ok || d.Version != info.Version {
		return false
	}
	return d.State == Granted || (d.State == Ask && approved && info.AskEachTime)
}

// NeedsPrompt says whether the user must be asked about the category: never asked, or
// asked about an older version of it. After any answer to the current version — "no"
// included — the user is not asked again.
func NeedsPrompt(d Decision) bool {
	info, ok := Lookup(d.Category)
	if !ok {
		return false
	}
	return d.State == Undecided || d.At.IsZero() || d.Version != info.Version
}

// ErrNotGranted is returned (wrapped) when an item's category may not leave the machine.
var ErrNotGranted = errors.New("consent not granted")
