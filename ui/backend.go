package ui

import (
	"context"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent"
)

// Backend is everything the screens may ask of the rest of the app. Screens never open the
// store, read CuePoint's files or call HTTP themselves. Calls may block on disk or network:
// screens make them off the UI goroutine and apply results with fyne.Do.
type Backend interface {
	// CrashGroups lists CuePoint's crashes, grouped, newest group first, plus the files
	// that could not be read (shown, not fatal).
	CrashGroups(ctx context.Context) ([]agent.CrashGroup, []agent.Problem, error)
	// PreviewCrashGroup returns exactly the envelopes sending the group would put on the
	// wire (one per report not sent yet), and where they would go.
	PreviewCrashGroup(ctx context.Context, groupID string) (agent.Preview, error)
	// SendCrashGroup queues every unsent report of the group and tries to deliver it now.
	// It fails with an error wrapping consent.ErrNotGranted when crash reports are not allowed.
	SendCrashGroup(ctx context.Context, groupID string) (agent.SendResult, error)
	// DismissCrashGroup records "Don't send" for every report of the group.
	DismissCrashGroup(ctx context.Context, groupID string) error

	Decision(c consent.Category) (consent.Decision, error)
	SetDecision(c consent.Category, s consent.State, from consent.Source) error

	OutboxItems(ctx context.Context) ([]agent.OutboxItem, error)
	Ledger(ctx context.Context) ([]agent.LedgerEntry, error)

	// ConsentHistory is every decision ever recorded, oldest first (the proof of consent).
	ConsentHistory() ([]consent.Decision, error)
	// Examples gives, per category, a real example of what it would send, taken from the
	// user's own CuePoint files and scrubbed; a category with nothing to show is missing.
	Examples(ctx context.Context) (map[consent.Category]string, error)
	// ExportData is one JSON document of everything the companion stores about the user.
	ExportData(ctx context.Context) ([]byte, error)
	// ErasePlan says what EraseData would delete, for the confirmation dialog.
	ErasePlan(ctx context.Context) (agent.EraseReport, error)
	// EraseData deletes the outbox, ledger, consent history and decisions and the files
	// waiting in the outgoing folder; a record that an erasure happened stays.
	EraseData(ctx context.Context) (agent.EraseReport, error)
	// Scrub cleans any text (a log to paste into a public issue) the way everything sent is.
	Scrub(text string) string
	// SwitchConflicts lists CuePoint's own switches the user changed inside CuePoint since
	// the companion last wrote them; Resolve adopts CuePoint's value (adopt) or rewrites it.
	SwitchConflicts(ctx context.Context) ([]agent.SwitchConflict, error)
	ResolveSwitchConflict(ctx context.Context, c consent.Category, adopt bool) error

	// Changes delivers a value whenever crashes, outbox, ledger or consent changed; the
	// screens then refresh. It is closed when the backend shuts down.
	Changes() <-chan struct{}
}
