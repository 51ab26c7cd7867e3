package agent

import (
	"time"

	"github.com/stuchain/cuepoint-companion/consent"
)

// Status is where a crash report (or group) stands on its way out.
type Status string

const (
	StatusNew       Status = "new"       // seen, nothing decided
	StatusQueued    Status = "queued"    // durable in the outbox, waiting for the sink
	StatusSent      Status = "sent"      // the sink confirmed it
	StatusDismissed Status = "dismissed" // the user chose "Don't send"
)

// Text says a status for a person; the window and the command line use the same words.
func (s Status) Text() string {
	switch s {
	case StatusNew:
		return "not sent"
	case StatusQueued:
		return "waiting in the Outbox"
	case StatusSent:
		return "sent"
	case StatusDismissed:
		return "not sending (your choice)"
	case "":
		return "unknown"
	}
	return string(s)
}

// CrashReport is one crash file pair as the user sees it.
type CrashReport struct {
	Name    string    `json:"name"` // file stem: crash-YYYYMMDD-HHMMSS
	Time    time.Time `json:"time"`
	EventID string    `json:"event_id"` // the Sentry event_id this report becomes; stable across resends
	Files   []string  `json:"files"`    // paths of the halves that exist
	Partial bool      `json:"partial"`  // one half missing or unreadable
	Status  Status    `json:"status"`
}

// CrashGroup is one crash as CuePoint recorded it, possibly many times: reports that share
// CuePoint's metadata.report_id.
type CrashGroup struct {
	ID          string        `json:"id"`      // CuePoint's report_id (16 hex)
	Type        string        `json:"type"`    // exception type, e.g. KeyError
	Message     string        `json:"message"` // scrubbed exception message
	Culprit     string        `json:"culprit"` // innermost in-app frame, e.g. cuepoint.data.beatport in parse_results
	Fingerprint []string      `json:"fingerprint"`
	Count       int           `json:"count"`
	First       time.Time     `json:"first"`
	Last        time.Time     `json:"last"`
	Version     string        `json:"version"` // CuePoint version of the latest report
	Status      Status        `json:"status"`  // the least advanced status of its reports
	Reports     []CrashReport `json:"reports"` // oldest first
}

// Problem is an input the agent could not (fully) use, said for a person: which file and
// what was wrong with it. The rest of the input is still processed.
type Problem struct {
	File    string `json:"file"`
	Message string `json:"message"`
}

func (p Problem) Error() string { return p.File + ": " + p.Message }

// Preview is exactly what would leave the machine: one envelope per report, each sent as
// its own request, in this order (Sentry stamps sent_at when sending).
type Preview struct {
	Destination string        `json:"destination"` // e.g. "Sentry at o1.ingest.sentry.io (project 42)" or "folder ~/.local/share/..."
	Items       []PreviewItem `json:"items"`
	Payload     []byte        `json:"-"` // the items' payloads one after the other, for display
}

// PreviewItem is one envelope of a Preview.
type PreviewItem struct {
	ItemID  string `json:"item_id"`
	Name    string `json:"name"` // the crash file it comes from
	Payload []byte `json:"-"`
}

// SendResult says what a send request did.
type SendResult struct {
	Queued      int `json:"queued"`       // newly made durable in the outbox
	Sent        int `json:"sent"`         // confirmed by the sink during this call
	AlreadySent int `json:"already_sent"` // sent before; nothing done
	Pending     int `json:"pending"`      // still in the outbox (sink unreachable, rate-limited ...)
	// Dropped holds why items were refused for good (they are in the ledger as dropped).
	Dropped []string `json:"dropped,omitempty"`
	// WaitReason is why pending items wait (the last retryable failure).
	WaitReason string `json:"wait_reason,omitempty"`
	Message    string `json:"message"` // one sentence for a person
}

// OutboxItem is the status of one queued item.
type OutboxItem struct {
	ID          string           `json:"id"`
	Category    consent.Category `json:"category"`
	Summary     string           `json:"summary"`
	Bytes       int              `json:"bytes"`
	CreatedAt   time.Time        `json:"created_at"`
	Attempts    int              `json:"attempts"`
	NextAttempt time.Time        `json:"next_attempt,omitzero"`
	LastError   string           `json:"last_error,omitempty"`
}

// LedgerEntry records one thing that left the machine, or was given up on.
type LedgerEntry struct {
	At          time.Time        `json:"at"`
	ItemID      string           `json:"item_id"`
	Category    consent.Category `json:"category"`
	Destination string           `json:"destination"`
	Bytes       int              `json:"bytes"`
	Outcome     string           `json:"outcome"` // "sent" or "dropped"
	Detail      string           `json:"detail,omitempty"`
	// Payload is the exact bytes that left, kept for PayloadDays days, then dropped from
	// the entry (the entry itself stays).
	Payload []byte `json:"payload,omitempty"`
}

// PayloadDays is how long the ledger keeps the exact bytes of what left.
const PayloadDays = 30

// EraseReport says what an erasure deleted (or would delete).
type EraseReport struct {
	At               time.Time `json:"at"`
	OutboxItems      int       `json:"outbox_items"`
	LedgerEntries    int       `json:"ledger_entries"`
	ConsentDecisions int       `json:"consent_decisions"`
	ConsentHistory   int       `json:"consent_history"`
	CrashStates      int       `json:"crash_states"`
	OutgoingFiles    int       `json:"outgoing_files"`
	// AnonymousIDs: the companion keeps no installation or user ID today; listed so the
	// record says so.
	AnonymousIDs int `json:"anonymous_ids"`
}

// SwitchConflict is one of CuePoint's own consent switches that differs from what the
// companion last wrote there: the user changed it inside CuePoint.
type SwitchConflict struct {
	Category       consent.Category `json:"category"`
	Where          string           `json:"where"`          // file or registry key and key name
	CuePointValue  string           `json:"cuepoint_value"` // what CuePoint's file says now
	CompanionWants string           `json:"companion_wants"`
	// Failed is set instead when the companion could not write its decision into the
	// switch (the file does not parse, is read-only ...): it is retried at every start.
	Failed string `json:"failed,omitempty"`
}

// SDKName identifies the companion to Sentry (envelope header, auth header, event sdk).
const SDKName = "cuepoint-companion"
