package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent"
)

func TestOutboxRendersItems(t *testing.T) {
	f := newFake()
	f.outbox = []agent.OutboxItem{
		{ID: "item-2", Category: consent.CrashReports, Summary: "KeyError: 'bpm' (3 reports)", Bytes: 2480,
			CreatedAt: fakeNow.Add(time.Minute), Attempts: 2, NextAttempt: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC),
			LastError: "sentry answered 429 Too Many Requests"},
		{ID: "item-1", Category: consent.CrashReports, Summary: "ValueError: bad tempo", Bytes: 900, CreatedAt: fakeNow},
	}
	h := newHarness(t, f, testOpts)
	s := h.outbox()
	h.waitFor("the outbox to load", func() bool { return s.loaded && !s.loader.running })

	if s.itemsEmpty.Visible() || !s.itemsTable.Visible() {
		t.Fatal("empty state shown although there is data")
	}
	if s.items[0].ID != "item-1" {
		t.Errorf("order: outbox starts with %s, want the oldest, item-1", s.items[0].ID)
	}
	items := visibleTexts(s.itemsTable)
	for _, want := range []string{"What", "Last error", "ValueError: bad tempo", "KeyError: 'bpm' (3 reports)", "Crash reports",
		"2.5 KB", "900 bytes", "2", "2099-01-01 00:00", "now", "sentry answered 429"} {
		if !contains(items, want) {
			t.Errorf("outbox table does not show %q; shows %q", want, items)
		}
	}
	s.itemsTable.Select(widget.TableCellID{Row: 1, Col: 0})
	if !s.itemDetail.Visible() || !strings.Contains(s.itemDetail.Text, "Last error: sentry answered 429 Too Many Requests") {
		t.Errorf("selected item detail: visible %v, %q", s.itemDetail.Visible(), s.itemDetail.Text)
	}

	// What already left is on its own screen, one tap away.
	if !contains(visibleTexts(s.view()), "listed under “What left”") {
		t.Errorf("the outbox does not point to the ledger screen: %q", visibleTexts(s.view()))
	}
	test.Tap(findButton(s.view(), "Show what left"))
	if id := h.m.specs[h.m.current].ID; id != "ledger" {
		t.Errorf("“Show what left” opened %q, want the ledger screen", id)
	}
}

func TestOutboxEmptyStates(t *testing.T) {
	h := newHarness(t, newFake(), testOpts)
	s := h.outbox()
	h.waitFor("the outbox to load", func() bool { return s.loaded && !s.loader.running })
	if !s.itemsEmpty.Visible() || s.itemsEmpty.Text != "Nothing waiting to be sent." || s.itemsTable.Visible() {
		t.Errorf("outbox empty state: visible %v, %q", s.itemsEmpty.Visible(), s.itemsEmpty.Text)
	}
	if !contains(visibleTexts(s.view()), "Nothing waiting to be sent.") {
		t.Error("outbox empty state is not on screen")
	}
}

func TestOutboxLoadFailureIsExplained(t *testing.T) {
	f := newFake()
	f.outboxErr = errors.New("outbox file is locked by another process")
	h := newHarness(t, f, testOpts)
	s := h.outbox()
	h.waitFor("the failed load", func() bool { return s.banner.box.Visible() && !s.loader.running })

	want := "Could not read the Outbox: outbox file is locked by another process. Try again."
	if !s.banner.box.Visible() || !strings.Contains(s.banner.label.Text, want) {
		t.Errorf("banner visible %v, %q; want it to contain %q", s.banner.box.Visible(), s.banner.label.Text, want)
	}
	if s.itemsEmpty.Visible() {
		t.Errorf("a failed read shows %q", s.itemsEmpty.Text)
	}

	// Retry once the cause is gone.
	h.fakeLocked(func() { f.outboxErr = nil })
	test.Tap(s.banner.retry)
	h.waitFor("the retry", func() bool { return s.loaded && !s.loader.running })
	if s.banner.box.Visible() || s.itemsEmpty.Text != emptyOutboxText {
		t.Errorf("after retry: banner %v, empty state %q", s.banner.box.Visible(), s.itemsEmpty.Text)
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
