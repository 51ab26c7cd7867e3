package agent

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/stuchain/cuepoint-companion/consent"
	"github.com/stuchain/cuepoint-companion/internal/store"
)

// Item is one thing waiting to leave the machine. Payload is already scrubbed.
type Item struct {
	ID          string           `json:"id"` // idempotency key: the Sentry event_id
	Category    consent.Category `json:"category"`
	Summary     string           `json:"summary"`
	Payload     []byte           `json:"payload"` // a Sentry envelope
	Checksum    string           `json:"checksum"`
	CreatedAt   time.Time        `json:"created_at"`
	Attempts    int              `json:"attempts"`
	NextAttempt time.Time        `json:"next_attempt,omitzero"`
	LastError   string           `json:"last_error,omitempty"`
	// Approved: the user approved this very item (pressed Send), which is what a category
	// set to "ask each time" needs.
	Approved bool `json:"approved,omitempty"`
}

func checksum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// crashState remembers what became of a crash report after it left the outbox.
type crashState struct {
	Status      Status    `json:"status"`
	At          time.Time `json:"at"`
	Destination string    `json:"destination,omitempty"` // where it was sent
}

// Outbox is the durable queue in the companion's bbolt file. Put returns only after the
// item is committed (fsynced); an item leaves only through Done (the sink confirmed it) or
// Drop (a final answer retrying cannot fix), each recorded in the ledger in the same
// transaction.
type Outbox struct {
	db *store.DB
}

// errDuplicate: the item is already queued or was already delivered.
var errDuplicate = errors.New("already queued or sent")

// Put makes it durable. It returns errDuplicate (and changes nothing) when an item with
// the same ID is queued or was already sent to dest (the current destination: an item
// saved to the offline folder can still go to Sentry once a DSN is configured).
func (o *Outbox) Put(it Item, dest string) error {
	it.Checksum = checksum(it.Payload)
	return o.db.Update(func(tx *store.Tx) error {
		var existing Item
		if found, _ := tx.Get(store.BucketOutbox, it.ID, &existing); found {
			return errDuplicate
		}
		var st crashState
		if found, _ := tx.Get(store.BucketCrashState, it.ID, &st); found && st.Status == StatusSent && st.Destination == dest {
			return errDuplicate
		}
		if err := tx.Put(store.BucketOutbox, it.ID, it); err != nil {
			return err
		}
		return tx.Put(store.BucketCrashState, it.ID, crashState{Status: StatusQueued, At: it.CreatedAt})
	})
}

// List returns the queued items, oldest first. An item whose checksum does not match its
// payload (damaged on disk) is reported with LastError set and never sent.
func (o *Outbox) List() ([]Item, error) {
	var items []Item
	err := o.db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketOutbox, func(key string, raw []byte) error {
			var it Item
			if err := json.Unmarshal(raw, &it); err != nil {
				items = append(items, Item{ID: key, LastError: "damaged record: " + err.Error()})
				return nil
			}
			if checksum(it.Payload) != it.Checksum {
				it.LastError = "damaged record: checksum mismatch"
				it.Payload = nil
			}
			items = append(items, it)
			return nil
		})
	})
	sort.SliceStable(items, func(i, j int) bool { return items[i].CreatedAt.Before(items[j].CreatedAt) })
	return items, err
}

// Retry records a failed attempt and when to try again.
func (o *Outbox) Retry(id string, next time.Time, reason string) error {
	return o.db.Update(func(tx *store.Tx) error {
		var it Item
		found, err := tx.Get(store.BucketOutbox, id, &it)
		if err != nil || !found {
			return err
		}
		it.Attempts++
		it.NextAttempt = next
		it.LastError = reason
		return tx.Put(store.BucketOutbox, id, it)
	})
}

// Done removes a delivered item and writes its ledger entry, atomically.
func (o *Outbox) Done(it Item, e LedgerEntry) error {
	return o.finish(it, e, StatusSent)
}

// Drop removes an item the sink refused for good and writes why to the ledger.
func (o *Outbox) Drop(it Item, e LedgerEntry) error {
	return o.finish(it, e, StatusNew)
}

func (o *Outbox) finish(it Item, e LedgerEntry, st Status) error {
	return o.db.Update(func(tx *store.Tx) error {
		if err := tx.Delete(store.BucketOutbox, it.ID); err != nil {
			return err
		}
		seq, err := tx.NextSequence(store.BucketLedger)
		if err != nil {
			return err
		}
		if err := tx.Put(store.BucketLedger, store.SeqKey(seq), e); err != nil {
			return err
		}
		return tx.Put(store.BucketCrashState, it.ID, crashState{Status: st, At: e.At, Destination: e.Destination})
	})
}

// Ledger returns every ledger entry, oldest first.
func (o *Outbox) Ledger() ([]LedgerEntry, error) {
	var out []LedgerEntry
	err := o.db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketLedger, func(_ string, raw []byte) error {
			var e LedgerEntry
			if err := json.Unmarshal(raw, &e); err != nil {
				return fmt.Errorf("ledger entry: %w", err)
			}
			out = append(out, e)
			return nil
		})
	})
	return out, err
}

// States returns the recorded status of every crash report by event ID.
func (o *Outbox) states() (map[string]crashState, error) {
	out := map[string]crashState{}
	err := o.db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketCrashState, func(key string, raw []byte) error {
			var st crashState
			if json.Unmarshal(raw, &st) == nil {
				out[key] = st
			}
			return nil
		})
	})
	return out, err
}

// setState records a status for a report that is not queued (e.g. dismissed).
func (o *Outbox) setState(id string, st crashState) error {
	return o.db.Update(func(tx *store.Tx) error {
		var cur crashState
		if found, _ := tx.Get(store.BucketCrashState, id, &cur); found && cur.Status == StatusQueued {
			return nil // a report that left or is leaving stays so
		}
		return tx.Put(store.BucketCrashState, id, st)
	})
}

// prunePayloads drops the exact bytes of ledger entries older than before; the entries
// themselves (time, destination, size, ID) stay.
func (o *Outbox) prunePayloads(before time.Time) error {
	return o.db.Update(func(tx *store.Tx) error {
		var stale []string
		var entries []LedgerEntry
		err := tx.ForEach(store.BucketLedger, func(key string, raw []byte) error {
			var e LedgerEntry
			if json.Unmarshal(raw, &e) == nil && e.Payload != nil && e.At.Before(before) {
				e.Payload = nil
				stale = append(stale, key)
				entries = append(entries, e)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i, k := range stale {
			if err := tx.Put(store.BucketLedger, k, entries[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
