package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent"
)

func (h *harness) loadedLedger() *ledgerScreen {
	h.t.Helper()
	s := h.ledger()
	h.waitFor("the ledger to load", func() bool { return s.loaded && !s.loader.running })
	return s
}

func TestLedgerListsEverySendNewestFirst(t *testing.T) {
	f := newFake()
	f.ledger = []agent.LedgerEntry{
		{At: fakeNow.Add(-40 * 24 * time.Hour), ItemID: "item-old", Category: consent.CrashReports,
			Destination: "Sentry at o1.ingest.sentry.io (project 42)", Bytes: 1500, Outcome: "sent"}, // bytes gone: older than 30 days
		{At: fakeNow, ItemID: "item-0", Category: consent.CrashReports, Destination: "Sentry at 127.0.0.1:9 (project 42)",
			Bytes: len(fakePayload), Outcome: "sent", Payload: fakePayload},
		{At: fakeNow.Add(time.Hour), ItemID: "item-9", Category: consent.UsageStatistics, Destination: "folder /tmp/out",
			Bytes: 10, Outcome: "dropped", Detail: "too old", Payload: []byte("0123456789")},
	}
	h := newHarness(t, f, testOpts)
	s := h.loadedLedger()

	if s.empty.Visible() || !s.table.Visible() {
		t.Fatal("the empty state is shown although things left")
	}
	var ids []string
	for _, e := range s.entries {
		ids = append(ids, e.ItemID)
	}
	if want := []string{"item-9", "item-0", "item-old"}; !slices.Equal(ids, want) {
		t.Errorf("order = %v, want newest first %v", ids, want)
	}
	texts := visibleTexts(s.table)
	for _, want := range []string{"When", "Where to", "Category", "Size", "Item", "Outcome",
		"2026-03-14 10:30", "folder /tmp/out", "Usage statistics", "10 bytes", "item-9", "dropped: too old",
		"Sentry at 127.0.0.1:9 (project 42)", "Crash reports", "item-0", "sent", "2026-02-02 09:30", "1.5 KB"} {
		if !contains(texts, want) {
			t.Errorf("ledger table does not show %q; shows %q", want, texts)
		}
	}
	if !s.placeholder.Visible() || s.detail.Visible() {
		t.Error("a detail is shown before anything was selected")
	}

	// The exact bytes, in the same read-only monospace box as the crash preview.
	s.table.Select(widget.TableCellID{Row: 1, Col: 3})
	if !s.detail.Visible() || !s.payload.Visible() || s.payload.Text != string(fakePayload) {
		t.Fatalf("selected entry shows %q (visible %v)", s.payload.Text, s.payload.Visible())
	}
	if !s.payload.TextStyle.Monospace || s.payload.Wrapping != fyne.TextWrapOff {
		t.Error("the payload is not shown verbatim in monospace")
	}
	if !strings.Contains(s.summary.Text, "Item item-0") || !strings.Contains(s.payloadNote.Text, "exactly what left this machine") {
		t.Errorf("detail: %q / %q", s.summary.Text, s.payloadNote.Text)
	}
	test.Type(s.payload, "x")
	s.payload.TypedShortcut(&fyne.ShortcutSelectAll{})
	s.payload.TypedShortcut(&fyne.ShortcutCopy{Clipboard: h.app.Clipboard()})
	if s.payload.Text != string(fakePayload) || h.app.Clipboard().Content() != string(fakePayload) {
		t.Errorf("the payload box is editable or not copyable: %q / clipboard %q", s.payload.Text, h.app.Clipboard().Content())
	}

	// An entry older than the retention keeps its line but not its bytes, and says so.
	s.table.Select(widget.TableCellID{Row: 2, Col: 0})
	if s.payload.Visible() || s.payloadNote.Text != "The exact bytes are kept for 30 days; this one is older." {
		t.Errorf("old entry: payload visible %v, note %q", s.payload.Visible(), s.payloadNote.Text)
	}
}

func TestLedgerKeepsTheSelectionAcrossReloads(t *testing.T) {
	f := newFake()
	f.ledger = []agent.LedgerEntry{{At: fakeNow, ItemID: "a", Outcome: "sent", Payload: []byte("A")}}
	h := newHarness(t, f, testOpts)
	s := h.loadedLedger()
	s.table.Select(widget.TableCellID{Row: 0, Col: 0})

	f.locked(func() {
		f.ledger = append(f.ledger, agent.LedgerEntry{At: fakeNow.Add(time.Minute), ItemID: "b", Outcome: "sent", Payload: []byte("B")})
	})
	f.changes <- struct{}{}
	h.waitFor("the reload", func() bool { return len(s.entries) == 2 && !s.loader.running })
	if s.sel == nil || s.sel.ItemID != "a" || s.payload.Text != "A" {
		t.Errorf("after a newer entry arrived the detail shows %q", s.payload.Text)
	}

	f.locked(func() { f.ledger = nil }) // erased
	f.changes <- struct{}{}
	h.waitFor("the reload", func() bool { return len(s.entries) == 0 && !s.loader.running })
	if s.sel != nil || s.detail.Visible() {
		t.Error("the detail of an erased entry is still shown")
	}
}

func TestLedgerEmptyState(t *testing.T) {
	h := newHarness(t, newFake(), testOpts)
	s := h.loadedLedger()
	if !s.empty.Visible() || s.empty.Text != "Nothing has left this machine." || s.table.Visible() {
		t.Errorf("empty state: visible %v, %q, table visible %v", s.empty.Visible(), s.empty.Text, s.table.Visible())
	}
	if !contains(visibleTexts(s.view()), "Nothing has left this machine.") {
		t.Error("the empty state is not on screen")
	}
}

func TestLedgerLoadFailureIsExplained(t *testing.T) {
	f := newFake()
	f.ledgerErr = errors.New("ledger bucket is damaged")
	h := newHarness(t, f, testOpts)
	s := h.ledger()
	h.waitFor("the banner", func() bool { return s.banner.box.Visible() && !s.loader.running })
	want := "Could not read the list of what left this machine: ledger bucket is damaged. Try again."
	if !strings.Contains(s.banner.label.Text, want) {
		t.Errorf("banner = %q, want it to contain %q", s.banner.label.Text, want)
	}
	if s.empty.Visible() {
		t.Errorf("a failed read claims %q", s.empty.Text)
	}
}

func TestLedgerRows(t *testing.T) {
	at := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		e    agent.LedgerEntry
		want []string
	}{
		{agent.LedgerEntry{At: at, ItemID: "x1", Category: consent.CrashReports, Destination: "Sentry at o1.ingest.sentry.io (project 42)",
			Bytes: 2000, Outcome: "sent"},
			[]string{"2026-05-01 12:00", "Sentry at o1.ingest.sentry.io (project 42)", "Crash reports", "2.0 KB", "x1", "sent"}},
		{agent.LedgerEntry{ItemID: "x2", Category: "later-category", Outcome: "dropped", Detail: "rejected by the server:\n400"},
			[]string{"unknown", "unknown", "later-category", "0 bytes", "x2", "dropped: rejected by the server: 400"}},
		{agent.LedgerEntry{ItemID: "x3"},
			[]string{"unknown", "unknown", "", "0 bytes", "x3", "unknown"}},
	}
	for _, c := range cases {
		if got := ledgerRow(c.e); !slices.Equal(got, c.want) {
			t.Errorf("ledgerRow(%+v) = %q, want %q", c.e, got, c.want)
		}
	}
	if got := ledgerEntryDetail(cases[0].e); got != "2026-05-01 12:00: Crash reports, sent, 2.0 KB to Sentry at o1.ingest.sentry.io (project 42)\nItem x1" {
		t.Errorf("ledgerEntryDetail = %q", got)
	}
}
