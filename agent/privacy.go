package agent

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/stuchain/cuepoint-companion/consent"
	"github.com/stuchain/cuepoint-companion/consent/scrub"
	"github.com/stuchain/cuepoint-companion/internal/cuepoint"
	"github.com/stuchain/cuepoint-companion/internal/store"
)

// Scrub cleans any text the way everything sent is cleaned: for logs a user wants to paste
// into a public issue.
func (a *Agent) Scrub(text string) string { return scrub.New(a.cfg.Identity).String(text) }

// Examples gives, per category, a real example of what it would send, from the user's own
// CuePoint files, scrubbed. Categories with nothing on this machine are missing.
func (a *Agent) Examples(ctx context.Context) (map[consent.Category]string, error) {
	out := map[consent.Category]string{}
	all, _ := a.scan()
	if len(all) > 0 {
		c := all[len(all)-1].crash
		s := a.scrubberFor(c)
		ev := crashEvent(c, a.cfg.Version)
		ex := fmt.Sprintf("%s: %s", c.Exception.Type, s.String(c.Exception.Message))
		if cu := culprit(ev); cu != "" {
			ex += " in " + cu
		}
		out[consent.CrashReports] = fmt.Sprintf("%s — CuePoint %s on %s, with %d recent log lines", ex, c.App.Version, c.System.Platform, len(ev.Breadcrumbs))
	}
	s := scrub.New(a.cfg.Identity)
	if line := lastErrorLine(a.cfg.CuePoint, a.cfg.Location); line != "" {
		out[consent.ErrorEvents] = s.String(line)
	}
	if ev := lastUsageEvent(a.cfg.CuePoint.EventsJSONL); ev != "" {
		out[consent.UsageStatistics] = s.String(ev)
	}
	if pr := perfSummary(a.cfg.CuePoint.OutputDir); pr != "" {
		out[consent.PerformanceReports] = pr
	}
	return out, nil
}

// lastErrorLine is the newest ERROR line of either log pipeline, as it would be sent.
func lastErrorLine(l cuepoint.Locations, loc *time.Location) string {
	var best cuepoint.LogLine
	for _, path := range []string{filepath.Join(l.EarlyLogDir, "cuepoint.log"), l.ServiceLog} {
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			if ll, ok := cuepoint.ParseLogLine(sc.Text(), loc); ok && (ll.Level == "ERROR" || ll.Level == "CRITICAL") && !ll.Time.Before(best.Time) {
				best = ll
			}
		}
		f.Close()
	}
	if best.Message == "" {
		return ""
	}
	return fmt.Sprintf("%s %s %s: %s", best.Time.Format(time.DateTime), best.Level, best.Logger, best.Message)
}

// lastUsageEvent is the newest line of events.jsonl reduced to what would be sent.
func lastUsageEvent(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var last string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) != "" {
			last = sc.Text()
		}
	}
	var ev struct {
		Event      string         `json:"event"`
		Version    string         `json:"version"`
		OS         string         `json:"os"`
		Properties map[string]any `json:"properties"`
	}
	if json.Unmarshal([]byte(last), &ev) != nil || ev.Event == "" {
		return ""
	}
	props, _ := json.Marshal(ev.Properties)
	return fmt.Sprintf("%s %s (CuePoint %s, %s)", ev.Event, props, ev.Version, ev.OS)
}

// perfSummary describes CuePoint's last benchmark report, if there is one.
func perfSummary(outputDir string) string {
	b, err := os.ReadFile(filepath.Join(outputDir, "performance_report.json"))
	if err != nil {
		return ""
	}
	var r struct {
		Version  string  `json:"version"`
		Tracks   int     `json:"tracks_processed"`
		Duration float64 `json:"duration_sec"`
		PeakMB   float64 `json:"memory_mb_peak"`
	}
	if json.Unmarshal(b, &r) != nil || r.Tracks == 0 {
		return ""
	}
	return fmt.Sprintf("CuePoint %s processed %d tracks in %.0f s (%.2f s per track), peak memory %.0f MB", r.Version, r.Tracks, r.Duration, r.Duration/float64(r.Tracks), r.PeakMB)
}

// erasure is the record that stays after an erasure.
type erasure = EraseReport

// Export is everything the companion stores about the user.
type Export struct {
	ExportedAt       time.Time          `json:"exported_at"`
	CompanionVersion string             `json:"companion_version"`
	Settings         map[string]string  `json:"settings"`
	Consent          []consent.Decision `json:"consent"`
	ConsentHistory   []consent.Decision `json:"consent_history"`
	Outbox           []exportItem       `json:"outbox"`
	Ledger           []exportLedger     `json:"ledger"`
	CrashStates      map[string]string  `json:"crash_states"`
	PerfHistory      []any              `json:"perf_history"` // none recorded by this version
	Erasures         []erasure          `json:"erasures"`
}

type exportItem struct {
	OutboxItem
	Payload string `json:"payload"`
}

type exportLedger struct {
	LedgerEntry
	Payload string `json:"payload,omitempty"`
}

// ExportData is one JSON document of everything stored about the user ("show everything
// stored about me").
func (a *Agent) ExportData(ctx context.Context) ([]byte, error) {
	x := Export{ExportedAt: a.cfg.Now().UTC(), CompanionVersion: a.cfg.Version, PerfHistory: []any{}, CrashStates: map[string]string{}}
	x.Settings = map[string]string{"data_file": a.db.Path(), "destination": a.Destination(), "cuepoint_home": a.cfg.CuePoint.Home}
	var err error
	if x.Consent, err = a.consent.All(); err != nil {
		return nil, err
	}
	if x.ConsentHistory, err = a.consent.History(); err != nil {
		return nil, err
	}
	items, err := a.outbox.List()
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		x.Outbox = append(x.Outbox, exportItem{OutboxItem{ID: it.ID, Category: it.Category, Summary: it.Summary, Bytes: len(it.Payload),
			CreatedAt: it.CreatedAt, Attempts: it.Attempts, NextAttempt: it.NextAttempt, LastError: it.LastError}, string(it.Payload)})
	}
	ledger, err := a.outbox.Ledger()
	if err != nil {
		return nil, err
	}
	for _, e := range ledger {
		p := string(e.Payload)
		e.Payload = nil
		x.Ledger = append(x.Ledger, exportLedger{e, p})
	}
	states, err := a.outbox.states()
	if err != nil {
		return nil, err
	}
	for id, st := range states {
		x.CrashStates[id] = string(st.Status)
	}
	if x.Erasures, err = a.erasures(); err != nil {
		return nil, err
	}
	x.ConsentHistory = orEmpty(x.ConsentHistory)
	x.Erasures = orEmpty(x.Erasures)
	return json.MarshalIndent(x, "", "  ")
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (a *Agent) erasures() ([]erasure, error) {
	var out []erasure
	err := a.db.View(func(tx *store.Tx) error {
		_, err := tx.Get(store.BucketMeta, "erasures", &out)
		return err
	})
	return out, err
}

// ErasePlan counts what EraseData would delete.
func (a *Agent) ErasePlan(ctx context.Context) (EraseReport, error) {
	return a.erase(false)
}

// EraseData deletes the outbox, the ledger, the consent decisions and their history, the
// crash states and the envelope files waiting in the outgoing folder. A record of the
// erasure (time and counts) stays. Every category is undecided afterwards.
func (a *Agent) EraseData(ctx context.Context) (EraseReport, error) {
	r, err := a.erase(true)
	a.changed()
	return r, err
}

func (a *Agent) erase(really bool) (EraseReport, error) {
	r := EraseReport{At: a.cfg.Now().UTC()}
	buckets := []struct {
		name string
		n    *int
	}{
		{store.BucketOutbox, &r.OutboxItems}, {store.BucketLedger, &r.LedgerEntries}, {store.BucketConsent, &r.ConsentDecisions},
		{store.BucketConsentHistory, &r.ConsentHistory}, {store.BucketCrashState, &r.CrashStates},
	}
	var files []string
	if a.cfg.OutgoingDir != "" {
		files, _ = filepath.Glob(filepath.Join(a.cfg.OutgoingDir, "*.envelope"))
	}
	r.OutgoingFiles = len(files)
	fn := func(tx *store.Tx) error {
		for _, b := range buckets {
			var keys []string
			if err := tx.ForEach(b.name, func(k string, _ []byte) error { keys = append(keys, k); return nil }); err != nil {
				return err
			}
			*b.n = len(keys)
			if !really {
				continue
			}
			for _, k := range keys {
				if err := tx.Delete(b.name, k); err != nil {
					return err
				}
			}
		}
		if !really {
			return nil
		}
		var past []erasure
		if _, err := tx.Get(store.BucketMeta, "erasures", &past); err != nil {
			return err
		}
		return tx.Put(store.BucketMeta, "erasures", append(past, r))
	}
	if !really {
		return r, a.db.View(fn)
	}
	// Drains wait: nothing may be sent from half-erased state.
	a.drainSem <- struct{}{}
	defer func() { <-a.drainSem }()
	if err := a.db.Update(fn); err != nil {
		return EraseReport{}, fmt.Errorf("erase: %w (nothing was deleted)", err)
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			return r, fmt.Errorf("erased the stored data, but could not delete %s: %w", f, err)
		}
	}
	return r, nil
}
