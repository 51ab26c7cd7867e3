package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/agent"
)

const (
	emptyLedgerText       = "Nothing has left this machine."
	ledgerIntro           = "Everything that left this machine, newest first. Select one to see exactly what was sent."
	ledgerPlaceholderText = "Select an entry to see the exact bytes that left."
)

var (
	ledgerHeaders = []string{"When", "Where to", "Category", "Size", "Item", "Outcome"}
	ledgerWidths  = []float32{150, 260, 170, 80, 200, 200}
)

// ledgerScreen is "What left this machine": every send (or give-up) the agent recorded,
// and for recent ones the exact bytes. It only reads.
type ledgerScreen struct {
	e      *env
	loader reloader

	entries []agent.LedgerEntry // newest first
	rows    [][]string
	loaded  bool
	sel     *agent.LedgerEntry // the entry whose detail is shown

	banner      *errorBanner
	table       *widget.Table
	empty       *widget.Label
	placeholder *widget.Label
	detail      fyne.CanvasObject
	summary     *widget.Label
	payloadNote *widget.Label
	payload     *readOnlyEntry
	content     fyne.CanvasObject
}

func newLedgerScreen(e *env) screen {
	s := &ledgerScreen{e: e}
	s.loader.start = s.load
	s.banner = newErrorBanner(s.reload)

	s.table = newTextTable(ledgerHeaders, ledgerWidths, func() [][]string { return s.rows })
	s.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.entries) {
			sel := s.entries[id.Row]
			s.sel = &sel
			s.renderDetail()
		}
	}
	s.empty = wrapLabel("Loading…")

	s.placeholder = wrapLabel(ledgerPlaceholderText)
	s.summary = wrapLabel("")
	s.summary.Selectable = true
	s.payloadNote = wrapLabel("")
	s.payload = newPayloadEntry()
	s.detail = container.NewBorder(container.NewVBox(s.summary, s.payloadNote), nil, nil, nil, s.payload)
	s.detail.Hide()

	top := container.NewVBox(boldLabel("What left this machine"), wrapLabel(ledgerIntro), s.banner.box, s.empty)
	split := container.NewVSplit(container.NewStack(s.table),
		container.NewStack(container.NewVBox(s.placeholder), s.detail))
	split.Offset = 0.45
	s.content = container.NewBorder(top, nil, nil, nil, split)
	return s
}

func (s *ledgerScreen) view() fyne.CanvasObject { return s.content }

func (s *ledgerScreen) reload() { s.loader.request() }

func (s *ledgerScreen) load(done func()) {
	b := s.e.b
	call(s.e, loadTimeout, func(ctx context.Context) ([]agent.LedgerEntry, error) {
		return b.Ledger(ctx)
	}, func(es []agent.LedgerEntry, err error) {
		defer done()
		if err != nil {
			s.banner.show(problemText("read the list of what left this machine", err))
			if !s.loaded {
				s.empty.Hide()
			}
			return
		}
		s.banner.clear()
		s.loaded = true
		s.entries = sortLedger(es)
		s.rows = make([][]string, len(s.entries))
		for i, le := range s.entries {
			s.rows[i] = ledgerRow(le)
		}
		s.keepSelection()
		showEmpty(s.table, s.empty, len(s.entries) == 0, emptyLedgerText)
	})
}

// keepSelection keeps the detail on the same entry across a reload, or drops it when the
// entry is gone (erased).
func (s *ledgerScreen) keepSelection() {
	s.table.UnselectAll()
	i := slices.IndexFunc(s.entries, func(e agent.LedgerEntry) bool { return s.sel != nil && sameLedgerEntry(e, *s.sel) })
	if i < 0 {
		s.sel = nil
		s.renderDetail()
		return
	}
	s.table.Select(widget.TableCellID{Row: i, Col: 0}) // renders the detail with the fresh entry
}

func (s *ledgerScreen) renderDetail() {
	if s.sel == nil {
		s.detail.Hide()
		s.placeholder.Show()
		return
	}
	s.placeholder.Hide()
	s.detail.Show()
	e := *s.sel
	s.summary.SetText(ledgerEntryDetail(e))
	if e.Payload == nil {
		s.payloadNote.SetText(payloadGoneText())
		s.payload.SetText("")
		s.payload.Hide()
		return
	}
	text, note := payloadText(e.Payload)
	if s.payload.Text != text {
		s.payload.SetText(text)
	}
	s.payloadNote.SetText(note + " — exactly what left this machine.")
	s.payload.Show()
}

// --- pure functions ---

func sortLedger(es []agent.LedgerEntry) []agent.LedgerEntry {
	out := slices.Clone(es)
	slices.SortStableFunc(out, func(a, b agent.LedgerEntry) int { return b.At.Compare(a.At) })
	return out
}

func sameLedgerEntry(a, b agent.LedgerEntry) bool {
	return a.ItemID == b.ItemID && a.At.Equal(b.At) && a.Outcome == b.Outcome
}

// ledgerRow is one entry as the table shows it, in ledgerHeaders order.
func ledgerRow(e agent.LedgerEntry) []string {
	return []string{
		formatTime(e.At),
		orUnknown(e.Destination),
		categoryTitle(e.Category),
		formatBytes(e.Bytes),
		e.ItemID,
		outcomeText(e),
	}
}

func ledgerEntryDetail(e agent.LedgerEntry) string {
	return fmt.Sprintf("%s: %s, %s, %s to %s\nItem %s",
		formatTime(e.At), categoryTitle(e.Category), outcomeText(e), formatBytes(e.Bytes), orUnknown(e.Destination), e.ItemID)
}

func payloadGoneText() string {
	return fmt.Sprintf("The exact bytes are kept for %d days; this one is older.", agent.PayloadDays)
}

func outcomeText(e agent.LedgerEntry) string {
	out := e.Outcome
	if out == "" {
		out = "unknown"
	}
	if d := strings.TrimSpace(e.Detail); d != "" {
		out += ": " + oneLine(d)
	}
	return out
}
