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
	if ok, _ := s.Allowed(CrashReports); ok {
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
	if ok, _ := s.Allowed(CrashReports); !ok {
		t.Fatal("granted does not allow")
	}
	h, err := s.History()
	if err != nil || len(h) != 3 || h[1].State != Denied || h[2].Source != FromCLI || h[0].Version != 1 {
		t.Fatalf("history %+v %v", h, err)
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
		d    Decision
		want bool
	}{
		{Decision{Category: CrashReports, State: Granted, Version: 1}, true},
		{Decision{Category: CrashReports, State: Granted, Version: 0}, false}, // agreed to an older version
		{Decision{Category: CrashReports, State: Denied, Version: 1}, false},
		{Decision{Category: CrashReports, State: Undecided, Version: 1}, false},
		{Decision{Category: "unknown", State: Granted, Version: 1}, false},
	}
	for _, c := range cases {
		if got := c.d.Allows(); got != c.want {
			t.Errorf("%+v: %v", c.d, got)
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
