package consent

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stuchain/cuepoint-companion/internal/store"
)

func openStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.db")
	db, err := store.Open(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return NewStore(db, func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }), path
}

func TestUndecidedByDefaultAndNotAllowed(t *testing.T) {
	s, _ := openStore(t)
	d, err := s.Get(CrashReports)
	if err != nil || d.State != Undecided {
		t.Fatalf("%+v %v", d, err)
	}
	if ok, _ := s.Allowed(CrashReports, false); ok {
		t.Fatal("undecided allows sending")
	}
}

func TestSetRecordsDecisionAndHistory(t *testing.T) {
	s, _ := openStore(t)
	for _, st := range []State{Granted, Denied, Granted} {
		if _, err := s.Set(CrashReports, st, FromCLI); err != nil {
			t.Fatal(err)
		}
	}
	if ok, _ := s.Allowed(CrashReports, false); !ok {
		t.Fatal("granted does not allow")
	}
	h, err := s.History()
	if err != nil || len(h) != 3 || h[1].State != Denied || h[2].Source != FromCLI || h[0].Version != 1 {
		t.Fatalf("history %+v %v", h, err)
	}
	if _, err := s.Set(UsageStatistics, Ask, FromGUI); err == nil {
		t.Fatal("ask-each-time accepted for a category that has no per-item approval")
	}
	if d, err := s.Set(CrashReports, Ask, FromGUI); err != nil || d.PolicyVersion != PolicyVersion {
		t.Fatalf("ask: %+v %v", d, err)
	}
	if _, err := s.Set("telemetry", Granted, FromGUI); err == nil {
		t.Fatal("unknown category accepted")
	}
	if _, err := s.Set(CrashReports, "maybe", FromGUI); err == nil {
		t.Fatal("unknown state accepted")
	}
}

func TestAllowsNeedsTheCurrentVersion(t *testing.T) {
	cases := []struct {
		d        Decision
		approved bool
		want     bool
	}{
		{Decision{Category: CrashReports, State: Granted, Version: 1}, false, true},
		{Decision{Category: CrashReports, State: Granted, Version: 0}, false, false}, // agreed to an older version
		{Decision{Category: CrashReports, State: Denied, Version: 1}, true, false},
		{Decision{Category: CrashReports, State: Undecided, Version: 1}, true, false},
		{Decision{Category: CrashReports, State: Ask, Version: 1}, false, false}, // not approved one by one
		{Decision{Category: CrashReports, State: Ask, Version: 1}, true, true},
		{Decision{Category: UsageStatistics, State: Ask, Version: 1}, true, false}, // no ask-each-time there
		{Decision{Category: "unknown", State: Granted, Version: 1}, false, false},
	}
	for _, c := range cases {
		if got := c.d.Allows(c.approved); got != c.want {
			t.Errorf("%+v approved=%v: %v", c.d, c.approved, got)
		}
	}
}

// Re-prompt logic over (accepted version, current version, decision).
func TestNeedsPrompt(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	current, _ := Lookup(CrashReports)
	cases := []struct {
		name     string
		accepted int
		state    State
		decided  time.Time
		want     bool
	}{
		{"never asked", 0, Undecided, time.Time{}, true},
		{"said yes to this version", current.Version, Granted, at, false},
		{"said no to this version: never asked again", current.Version, Denied, at, false},
		{"said ask-each-time to this version", current.Version, Ask, at, false},
		{"said yes to an older version", current.Version - 1, Granted, at, true},
		{"said no to an older version", current.Version - 1, Denied, at, true},
		{"went back to undecided", current.Version, Undecided, at, true},
	}
	for _, c := range cases {
		d := Decision{Category: CrashReports, State: c.state, Version: c.accepted, At: c.decided}
		if got := NeedsPrompt(d); got != c.want {
			t.Errorf("%s: NeedsPrompt = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestParseCategory(t *testing.T) {
	for _, in := range []string{"crash-reports", "Crash Reports", "crash_reports", " CRASH-REPORTS "} {
		if c, err := ParseCategory(in); err != nil || c != CrashReports {
			t.Errorf("%q: %v %v", in, c, err)
		}
	}
	if _, err := ParseCategory("usage"); err == nil {
		t.Error("unknown accepted")
	}
}
