package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent"
)

func TestOutboxRendersItemsAndLedger(t *testing.T) {
	f := newFake()
	f.outbox = []agent.OutboxItem{
		{ID: "item-2", Category: consent.CrashReports, Summary: "KeyError: 'bpm' (3 reports)", Bytes: 2480,
			CreatedAt: fakeNow.Add(time.Minute), Attempts: 2, NextAttempt: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC),
			LastError: "sentry answered 429 Too Many Requests"},
		{ID: "item-1", Category: consent.CrashReports, Summary: "ValueError: bad tempo", Bytes: 900, CreatedAt: fakeNow},
	}
	f.ledger = []agent.LedgerEntry{
		{At: fakeNow, ItemID: "item-0", Category: consent.CrashReports, Destination: "Sentry at 127.0.0.1:9 (project 42)", Bytes: 1500, Outcome: "sent"},
		{At: fakeNow.Add(time.Hour), ItemID: "item-9", Category: consent.CrashReports, Destination: "folder /tmp/out", Bytes: 10, Outcome: "dropped", Detail: "too old"},
	}
	h := newHarness(t, f, testOpts)
	s := h.outbox()
	h.waitFor("the outbox to load", func() bool { return s.loaded && !s.loader.running })

	if s.itemsEmpty.Visible() || !s.itemsTable.Visible() || s.ledgerEmpty.Visible() || !s.ledgerTable.Visible() {
		t.Fatal("empty states shown although there is data")
	}
	if s.items[0].ID != "item-1" || s.ledger[0].ItemID != "item-9" {
		t.Errorf("order: outbox starts with %s (want oldest, item-1), ledger with %s (want newest, item-9)", s.items[0].ID, s.ledger[0].ItemID)
	}
	items := visibleTexts(s.itemsTable)
	for _, want := range []string{"What", "Last error", "ValueError: bad tempo", "KeyError: 'bpm' (3 reports)", "Crash reports",
		"2.5 KB", "900 bytes", "2", "2099-01-01 00:00", "now", "sentry answered 429"} {
		if !contains(items, want) {
			t.Errorf("outbox table does not show %q; shows %q", want, items)
		}
	}
	ledger := visibleTexts(s.ledgerTable)
	for _, want := range []string{"When", "Outcome", "Where to", "2026-03-14 10:30", "dropped: too old", "folder /tmp/out",
		"Sentry at 127.0.0.1:9 (project 42)", "1.5 KB", "item-0", "item-9", "sent"} {
		if !contains(ledger, want) {
			t.Errorf("ledger table does not show %q; shows %q", want, ledger)
		}
	}

	s.itemsTable.Select(widget.TableCellID{Row: 1, Col: 0})
	if !s.itemDetail.Visible() || !strings.Contains(s.itemDetail.Text, "Last error: sentry answered 429 Too Many Requests") {
		t.Errorf("selected item detail: visible %v, %q", s.itemDetail.Visible(), s.itemDetail.Text)
	}
}

func TestOutboxEmptyStates(t *testing.T) {
	h := newHarness(t, newFake(), testOpts)
	s := h.outbox()
	h.waitFor("the outbox to load", func() bool { return s.loaded && !s.loader.running })
	if !s.itemsEmpty.Visible() || s.itemsEmpty.Text != "Nothing waiting to be sent." || s.itemsTable.Visible() {
		t.Errorf("outbox empty state: visible %v, %q", s.itemsEmpty.Visible(), s.itemsEmpty.Text)
	}
	if !s.ledgerEmpty.Visible() || s.ledgerEmpty.Text != "Nothing has been sent from this machine." || s.ledgerTable.Visible() {
		t.Errorf("ledger empty state: visible %v, %q", s.ledgerEmpty.Visible(), s.ledgerEmpty.Text)
	}
	if !contains(visibleTexts(s.view()), "Nothing has been sent from this machine.") {
		t.Error("ledger empty state is not on screen")
	}
}

func TestOutboxLoadFailureIsExplained(t *testing.T) {
	f := newFake()
	f.outboxErr = errors.New("outbox file is locked by another process")
	f.ledger = []agent.LedgerEntry{{At: fakeNow, ItemID: "item-0", Outcome: "sent"}}
	h := newHarness(t, f, testOpts)
	s := h.outbox()
	h.waitFor("the outbox to load", func() bool { return s.loaded && !s.loader.running })

	want := "Could not read the Outbox: outbox file is locked by another process. Try again."
	if !s.banner.box.Visible() || !strings.Contains(s.banner.label.Text, want) {
		t.Errorf("banner visible %v, %q; want it to contain %q", s.banner.box.Visible(), s.banner.label.Text, want)
	}
	if s.itemsEmpty.Visible() && s.itemsEmpty.Text == emptyOutboxText {
		t.Error(`a failed read claims "Nothing waiting to be sent."`)
	}
	if !contains(visibleTexts(s.ledgerTable), "item-0") {
		t.Error("the ledger is not shown although it loaded")
	}
}

func TestOutboxRows(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		it   agent.OutboxItem
		want []string
	}{
		{agent.OutboxItem{Summary: "KeyError", Category: consent.CrashReports, Bytes: 1234567, Attempts: 4,
			NextAttempt: now.Add(time.Hour), LastError: "dial tcp: connection refused\nretrying"},
			[]string{"KeyError", "Crash reports", "1.2 MB", "4", "2026-05-01 13:00", "dial tcp: connection refused retrying"}},
		{agent.OutboxItem{Category: "usage-stats", Bytes: 1},
			[]string{"unknown", "usage-stats", "1 byte", "0", "now", "—"}},
		{agent.OutboxItem{Summary: "late", Bytes: 999, NextAttempt: now.Add(-time.Minute)},
			[]string{"late", "", "999 bytes", "0", "now", "—"}},
	}
	for _, c := range cases {
		if got := outboxRow(c.it, now); !slices.Equal(got, c.want) {
			t.Errorf("outboxRow(%+v) = %q, want %q", c.it, got, c.want)
		}
	}
}

func TestLedgerRows(t *testing.T) {
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		e    agent.LedgerEntry
		want []string
	}{
		{agent.LedgerEntry{At: at, ItemID: "x1", Destination: "Sentry at o1.ingest.sentry.io (project 42)", Bytes: 2000, Outcome: "sent"},
			[]string{"2026-05-01 12:00", "sent", "Sentry at o1.ingest.sentry.io (project 42)", "2.0 KB", "x1"}},
		{agent.LedgerEntry{ItemID: "x2", Outcome: "dropped", Detail: "rejected by the server:\n400"},
			[]string{"unknown", "dropped: rejected by the server: 400", "unknown", "0 bytes", "x2"}},
	}
	for _, c := range cases {
		if got := ledgerRow(c.e); !slices.Equal(got, c.want) {
			t.Errorf("ledgerRow(%+v) = %q, want %q", c.e, got, c.want)
		}
	}
}

func TestOutboxKeepsTheSelectedItemAcrossReloads(t *testing.T) {
	f := newFake()
	f.outbox = []agent.OutboxItem{
		{ID: "b", Summary: "second", CreatedAt: fakeNow.Add(time.Minute), LastError: "timeout"},
		{ID: "a", Summary: "first", CreatedAt: fakeNow},
	}
	h := newHarness(t, f, testOpts)
	s := h.outbox()
	h.waitFor("the outbox to load", func() bool { return s.loaded && !s.loader.running })
	s.itemsTable.Select(widget.TableCellID{Row: 1, Col: 2})
	if !strings.HasPrefix(s.itemDetail.Text, "second") {
		t.Fatalf("detail = %q", s.itemDetail.Text)
	}

	// an older item appears: "second" moves to row 2 and stays described
	f.locked(func() {
		f.outbox = append(f.outbox, agent.OutboxItem{ID: "0", Summary: "zeroth", CreatedAt: fakeNow.Add(-time.Hour)})
	})
	f.changes <- struct{}{}
	h.waitFor("the reload", func() bool { return len(s.items) == 3 && !s.loader.running })
	if !s.itemDetail.Visible() || !strings.HasPrefix(s.itemDetail.Text, "second") || s.itemSel != "b" {
		t.Errorf("after reload: detail visible %v, %q, selected %q", s.itemDetail.Visible(), s.itemDetail.Text, s.itemSel)
	}

	// it is sent: the detail goes
	f.locked(func() { f.outbox = f.outbox[1:] })
	f.changes <- struct{}{}
	h.waitFor("the reload", func() bool { return len(s.items) == 2 && !s.loader.running })
	if s.itemDetail.Visible() || s.itemSel != "" {
		t.Errorf("detail of a sent item still shown: %q", s.itemDetail.Text)
	}
}
