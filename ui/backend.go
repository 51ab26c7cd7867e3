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
	// PreviewCrashGroup returns exactly the bytes that sending the group's newest report
	// would put on the wire, and where they would go.
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

	// Changes delivers a value whenever crashes, outbox, ledger or consent changed; the
	// screens then refresh. It is closed when the backend shuts down.
	Changes() <-chan struct{}
}
