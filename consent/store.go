package consent

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/stuchain/cuepoint-companion/internal/store"
)

// Store keeps decisions and their history in the companion's bbolt file.
type Store struct {
	db  *store.DB
	now func() time.Time
}

// NewStore uses db's "consent" and "consent_history" buckets. now may be nil (time.Now).
func NewStore(db *store.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// Get returns the decision for c; a category never decided is Undecided.
func (s *Store) Get(c Category) (Decision, error) {
	if _, ok := Lookup(c); !ok {
		return Decision{}, fmt.Errorf("unknown consent category %q", c)
	}
	d := Decision{Category: c, State: Undecided}
	err := s.db.View(func(tx *store.Tx) error {
		_, err := tx.Get(store.BucketConsent, string(c), &d)
		return err
	})
	return d, err
}

// Set records a decision for the category's current version and appends it to the
// history, in one transaction: either both are on disk or neither is.
func (s *Store) Set(c Category, st State, from Source) (Decision, error) {
	info, ok := Lookup(c)
	if !ok {
		return Decision{}, fmt.Errorf("unknown consent category %q", c)
	}
	switch st {
	case Undecided, Granted, Denied:
	case Ask:
		if !info.AskEachTime {
			return Decision{}, fmt.Errorf("%s cannot be asked for each time; choose on or off", c)
		}
	default:
		return Decision{}, fmt.Errorf("unknown consent state %q", st)
	}
	d := Decision{Category: c, State: st, Version: info.Version, PolicyVersion: PolicyVersion, At: s.now().UTC(), Source: from}
	err := s.db.Update(func(tx *store.Tx) error {
		if err := tx.Put(store.BucketConsent, string(c), d); err != nil {
			return err
		}
		seq, err := tx.NextSequence(store.BucketConsentHistory)
		if err != nil {
			return err
		}
		return tx.Put(store.BucketConsentHistory, store.SeqKey(seq), d)
	})
	if err != nil {
		return Decision{}, fmt.Errorf("save consent: %w", err)
	}
	return d, nil
}

// History returns every decision ever recorded, oldest first.
func (s *Store) History() ([]Decision, error) {
	var out []Decision
	err := s.db.View(func(tx *store.Tx) error {
		return tx.ForEach(store.BucketConsentHistory, func(_ string, raw []byte) error {
			var d Decision
			if err := json.Unmarshal(raw, &d); err != nil {
				return err
			}
			out = append(out, d)
			return nil
		})
	})
	return out, err
}

// Allowed is the gate: whether an item of category c may go to a network sink now;
// approved says the user approved that item itself.
func (s *Store) Allowed(c Category, approved bool) (bool, error) {
	d, err := s.Get(c)
	if err != nil {
		return false, err
	}
	return d.Allows(approved), nil
}

// All returns the decision for every category, in display order.
func (s *Store) All() ([]Decision, error) {
	out := make([]Decision, 0, len(Categories))
	for _, info := range Categories {
		d, err := s.Get(info.Category)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}
