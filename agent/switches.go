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

// mirrored is what the companion last wrote into each switch.
type mirrored struct {
	Telemetry      *bool `json:"telemetry,omitempty"`
	ErrorReporting *bool `json:"error_reporting,omitempty"`
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
// nothing (CuePoint keeps its own default).
func (a *Agent) mirror(c consent.Category, st consent.State) error {
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
			return fmt.Errorf("your choice is saved, but CuePoint's own switch could not be updated: %w", err)
		}
		m.Telemetry = &on
	case consent.CrashReports:
		if err := cuepoint.WriteErrorReporting(a.cfg.QtSettings, on, on); err != nil {
			return fmt.Errorf("your choice is saved, but CuePoint's own switch in %s could not be updated: %w", a.cfg.QtSettings.Where(), err)
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
	m, err := a.lastMirrored()
	if err != nil {
		return nil, err
	}
	sw, _ := cuepoint.ReadSwitches(a.cfg.CuePoint, a.cfg.QtSettings) // unreadable files: no conflict to show
	var out []SwitchConflict
	if m.Telemetry != nil && sw.TelemetryEnabled != nil && *sw.TelemetryEnabled != *m.Telemetry {
		out = append(out, SwitchConflict{Category: consent.UsageStatistics, Where: a.cfg.CuePoint.ConfigYAML + ": telemetry.enabled",
			CuePointValue: strconv.FormatBool(*sw.TelemetryEnabled), CompanionWants: strconv.FormatBool(*m.Telemetry)})
	}
	if m.ErrorReporting != nil && sw.ErrorReportingConsented != nil && sw.ErrorReportingEnabled != nil {
		cur := *sw.ErrorReportingConsented && *sw.ErrorReportingEnabled
		if cur != *m.ErrorReporting {
			out = append(out, SwitchConflict{Category: consent.CrashReports, Where: a.cfg.QtSettings.Where() + ": [error_reporting] enabled/consented",
				CuePointValue: strconv.FormatBool(cur), CompanionWants: strconv.FormatBool(*m.ErrorReporting)})
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
	for _, k := range conflicts {
		if k.Category != c {
			continue
		}
		if !adopt {
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
