package agent

import (
	"context"
	"fmt"
	"strconv"

	"github.com/stuchain/cuepoint-companion/consent"
	"github.com/stuchain/cuepoint-companion/internal/cuepoint"
	"github.com/stuchain/cuepoint-companion/internal/store"
)

// The companion mirrors two decisions into CuePoint's own switches, so CuePoint follows
// the same choice:
//
//   - usage statistics → telemetry.enabled in ~/.cuepoint/config.yaml
//   - crash reports    → [error_reporting] enabled and consented in CuePoint's Qt settings
//     ("always send" turns them on; "ask each time", "never" turn them off, since CuePoint
//     cannot ask per report)
//
// What it wrote last is remembered (meta "mirror"); a switch that differs from it was
// changed inside CuePoint and is shown as a conflict, never silently overwritten.

// mirrored is what the companion last wrote into each switch, and the writes that failed
// (retried at start and whenever conflicts are listed, shown until they succeed).
type mirrored struct {
	Telemetry      *bool                             `json:"telemetry,omitempty"`
	ErrorReporting *bool                             `json:"error_reporting,omitempty"`
	Pending        map[consent.Category]pendingWrite `json:"pending,omitempty"`
}

type pendingWrite struct {
	State consent.State `json:"state"`
	Error string        `json:"error"`
}

func (a *Agent) lastMirrored() (mirrored, error) {
	var m mirrored
	err := a.db.View(func(tx *store.Tx) error {
		_, err := tx.Get(store.BucketMeta, "mirror", &m)
		return err
	})
	return m, err
}

func (a *Agent) saveMirrored(m mirrored) error {
	return a.db.Update(func(tx *store.Tx) error { return tx.Put(store.BucketMeta, "mirror", m) })
}

// mirror writes the decision for c into CuePoint's switch, if c has one. Undecided writes
// nothing (CuePoint keeps its own default). A write that fails is remembered as pending:
// the decision stands, and the failure is shown with the conflicts until a retry works.
func (a *Agent) mirror(c consent.Category, st consent.State) error {
	err := a.writeSwitch(c, st)
	m, merr := a.lastMirrored()
	if merr != nil {
		return merr
	}
	_, wasPending := m.Pending[c]
	if err == nil && !wasPending {
		return nil
	}
	if m.Pending == nil {
		m.Pending = map[consent.Category]pendingWrite{}
	}
	if err != nil {
		m.Pending[c] = pendingWrite{State: st, Error: err.Error()}
	} else {
		delete(m.Pending, c)
	}
	if serr := a.saveMirrored(m); serr != nil {
		return serr
	}
	return err
}

// retryPendingMirrors tries the failed switch writes again (the user may have fixed the file).
func (a *Agent) retryPendingMirrors() {
	m, err := a.lastMirrored()
	if err != nil || len(m.Pending) == 0 {
		return
	}
	for c := range m.Pending {
		if d, err := a.consent.Get(c); err == nil {
			_ = a.mirror(c, d.State)
		}
	}
}

func (a *Agent) writeSwitch(c consent.Category, st consent.State) error {
	if a.cfg.QtSettings == nil || st == consent.Undecided {
		return nil
	}
	m, err := a.lastMirrored()
	if err != nil {
		return err
	}
	on := st == consent.Granted
	switch c {
	case consent.UsageStatistics:
		if err := cuepoint.WriteTelemetryEnabled(a.cfg.CuePoint.ConfigYAML, on); err != nil {
			return err
		}
		m.Telemetry = &on
	case consent.CrashReports:
		if err := cuepoint.WriteErrorReporting(a.cfg.QtSettings, on, on); err != nil {
			return fmt.Errorf("%s: %w", a.cfg.QtSettings.Where(), err)
		}
		m.ErrorReporting = &on
	default:
		return nil
	}
	return a.saveMirrored(m)
}

// SwitchConflicts lists CuePoint's switches the user changed inside CuePoint since the
// companion last wrote them.
func (a *Agent) SwitchConflicts(ctx context.Context) ([]SwitchConflict, error) {
	if a.cfg.QtSettings == nil {
		return nil, nil
	}
	a.decideMu.Lock()
	defer a.decideMu.Unlock()
	a.retryPendingMirrors()
	m, err := a.lastMirrored()
	if err != nil {
		return nil, err
	}
	sw, _ := cuepoint.ReadSwitches(a.cfg.CuePoint, a.cfg.QtSettings) // unreadable files: no conflict to show
	var out []SwitchConflict
	for c, p := range m.Pending {
		out = append(out, SwitchConflict{Category: c, Where: "CuePoint's own switch", Failed: p.Error, CompanionWants: stateWords(p.State)})
	}
	if m.Telemetry != nil && sw.TelemetryEnabled != nil && *sw.TelemetryEnabled != *m.Telemetry {
		out = append(out, SwitchConflict{Category: consent.UsageStatistics, Where: a.cfg.CuePoint.ConfigYAML + ": telemetry.enabled",
			CuePointValue: strconv.FormatBool(*sw.TelemetryEnabled), CompanionWants: a.wants(consent.UsageStatistics)})
	}
	if m.ErrorReporting != nil && sw.ErrorReportingConsented != nil && sw.ErrorReportingEnabled != nil {
		cur := *sw.ErrorReportingConsented && *sw.ErrorReportingEnabled
		if cur != *m.ErrorReporting {
			out = append(out, SwitchConflict{Category: consent.CrashReports, Where: a.cfg.QtSettings.Where() + ": [error_reporting] enabled/consented",
				CuePointValue: strconv.FormatBool(cur), CompanionWants: a.wants(consent.CrashReports)})
		}
	}
	return out, nil
}

// ResolveSwitchConflict settles a conflict: adopt takes CuePoint's value as the user's
// decision (recorded as made in CuePoint); otherwise the companion's decision is written
// back into CuePoint's switch.
func (a *Agent) ResolveSwitchConflict(ctx context.Context, c consent.Category, adopt bool) error {
	conflicts, err := a.SwitchConflicts(ctx)
	if err != nil {
		return err
	}
	a.decideMu.Lock()
	defer a.decideMu.Unlock()
	for _, k := range conflicts {
		if k.Category != c {
			continue
		}
		if !adopt || k.Failed != "" {
			d, err := a.consent.Get(c)
			if err != nil {
				return err
			}
			err = a.mirror(c, d.State)
			a.changed()
			return err
		}
		on := k.CuePointValue == "true"
		st := consent.Denied
		if on {
			st = consent.Granted
		}
		if _, err := a.consent.Set(c, st, consent.FromCuePoint); err != nil {
			return err
		}
		m, err := a.lastMirrored()
		if err != nil {
			return err
		}
		if c == consent.UsageStatistics {
			m.Telemetry = &on
		} else {
			m.ErrorReporting = &on
		}
		err = a.saveMirrored(m)
		a.changed()
		return err
	}
	return fmt.Errorf("no conflict about %s to resolve", c)
}

// wants is the companion's decision for c, in words.
func (a *Agent) wants(c consent.Category) string {
	d, err := a.consent.Get(c)
	if err != nil {
		return "unknown"
	}
	return stateWords(d.State)
}

func stateWords(s consent.State) string {
	switch s {
	case consent.Granted:
		return "on (always send)"
	case consent.Ask:
		return "ask each time (CuePoint's switch off)"
	case consent.Denied:
		return "off"
	}
	return "undecided"
}
