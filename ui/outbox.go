package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/agent"
)

const (
	emptyOutboxText = "Nothing waiting to be sent."
	emptyLedgerText = "Nothing has been sent from this machine."
)

var (
	outboxHeaders = []string{"What", "Kind", "Size", "Attempts", "Next attempt", "Last error"}
	outboxWidths  = []float32{240, 120, 80, 80, 150, 240}
	ledgerHeaders = []string{"When", "Outcome", "Where to", "Size", "Item"}
	ledgerWidths  = []float32{150, 160, 260, 80, 200}
)

// outboxScreen shows what is waiting to leave the machine and the ledger of what already
// left. It only reads; the agent's workers do the sending.
type outboxScreen struct {
	e      *env
	loader reloader
	now    func() time.Time

	items      []agent.OutboxItem // oldest first: the order they go out
	itemRows   [][]string
	ledger     []agent.LedgerEntry // newest first
	ledgerRows [][]string
	loaded     bool
	itemSel    string             // ID of the outbox item whose detail is shown
	ledgerSel  *agent.LedgerEntry // the ledger entry whose detail is shown

	banner       *errorBanner
	itemsTable   *widget.Table
	itemsEmpty   *widget.Label
	itemDetail   *widget.Label
	ledgerTable  *widget.Table
	ledgerEmpty  *widget.Label
	ledgerDetail *widget.Label
	content      fyne.CanvasObject
}

func newOutboxScreen(e *env) screen {
	s := &outboxScreen{e: e, now: time.Now}
	s.loader.start = s.load
	s.banner = newErrorBanner(s.reload)

	s.itemsTable = newTextTable(outboxHeaders, outboxWidths, func() [][]string { return s.itemRows })
	s.itemsEmpty = wrapLabel("Loading…")
	s.itemDetail = wrapLabel("")
	s.itemDetail.Selectable = true
	s.itemDetail.Hide()
	s.itemsTable.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.items) {
			s.itemSel = s.items[id.Row].ID
			s.itemDetail.SetText(outboxItemDetail(s.items[id.Row], s.now()))
			s.itemDetail.Show()
		}
	}

	s.ledgerTable = newTextTable(ledgerHeaders, ledgerWidths, func() [][]string { return s.ledgerRows })
	s.ledgerEmpty = wrapLabel("Loading…")
	s.ledgerDetail = wrapLabel("")
	s.ledgerDetail.Selectable = true
	s.ledgerDetail.Hide()
	s.ledgerTable.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(s.ledger) {
			sel := s.ledger[id.Row]
			s.ledgerSel = &sel
			s.ledgerDetail.SetText(ledgerEntryDetail(s.ledger[id.Row]))
			s.ledgerDetail.Show()
		}
	}

	waiting := container.NewBorder(
		container.NewVBox(boldLabel("Waiting to be sent"), s.itemsEmpty), s.itemDetail, nil, nil,
		container.NewStack(s.itemsTable))
	sent := container.NewBorder(
		container.NewVBox(boldLabel("What left this machine"), s.ledgerEmpty), s.ledgerDetail, nil, nil,
		container.NewStack(s.ledgerTable))
	split := container.NewVSplit(waiting, sent)
	s.content = container.NewBorder(s.banner.box, nil, nil, nil, split)
	return s
}

// newTextTable is a read-only table of strings with a header row.
func newTextTable(headers []string, widths []float32, rows func() [][]string) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return len(rows()), len(headers) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			r := rows()
			text := ""
			if id.Row >= 0 && id.Row < len(r) && id.Col >= 0 && id.Col < len(r[id.Row]) {
				text = r[id.Row][id.Col]
			}
			o.(*widget.Label).SetText(text)
		},
	)
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject { return boldLabel("") }
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		text := ""
		if id.Row < 0 && id.Col >= 0 && id.Col < len(headers) {
			text = headers[id.Col]
		}
		o.(*widget.Label).SetText(text)
	}
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	return t
}

func (s *outboxScreen) view() fyne.CanvasObject { return s.content }

func (s *outboxScreen) reload() { s.loader.request() }

type outboxLoad struct {
	items     []agent.OutboxItem
	itemsErr  error
	ledger    []agent.LedgerEntry
	ledgerErr error
}

func (s *outboxScreen) load(done func()) {
	b := s.e.b
	call(s.e, loadTimeout, func(ctx context.Context) (outboxLoad, error) {
		var r outboxLoad
		r.items, r.itemsErr = b.OutboxItems(ctx)
		r.ledger, r.ledgerErr = b.Ledger(ctx)
		return r, nil
	}, func(r outboxLoad, err error) {
		defer done()
		if err != nil {
			r.itemsErr, r.ledgerErr = err, err
		}
		s.apply(r)
	})
}

func (s *outboxScreen) apply(r outboxLoad) {
	now := s.now()
	var msgs []string
	if r.itemsErr != nil {
		msgs = append(msgs, problemText("read the Outbox", r.itemsErr))
	} else {
		s.items = sortOutbox(r.items)
		s.itemRows = make([][]string, len(s.items))
		for i, it := range s.items {
			s.itemRows[i] = outboxRow(it, now)
		}
	}
	if r.ledgerErr != nil {
		msgs = append(msgs, problemText("read the list of what was sent", r.ledgerErr))
	} else {
		s.ledger = sortLedger(r.ledger)
		s.ledgerRows = make([][]string, len(s.ledger))
		for i, le := range s.ledger {
			s.ledgerRows[i] = ledgerRow(le)
		}
	}
	if r.itemsErr == nil || r.ledgerErr == nil {
		s.loaded = true
	}
	if len(msgs) > 0 {
		s.banner.show(strings.Join(msgs, "\n"))
	} else {
		s.banner.clear()
	}
	s.keepSelections()
	showEmpty(s.itemsTable, s.itemsEmpty, len(s.items) == 0 && r.itemsErr == nil, emptyOutboxText)
	showEmpty(s.ledgerTable, s.ledgerEmpty, len(s.ledger) == 0 && r.ledgerErr == nil, emptyLedgerText)
}

// keepSelections keeps each detail on the same item across a reload (rows move as items
// are added or sent), or hides it when the item is gone.
func (s *outboxScreen) keepSelections() {
	s.itemsTable.UnselectAll()
	if i := slices.IndexFunc(s.items, func(it agent.OutboxItem) bool { return it.ID == s.itemSel }); s.itemSel != "" && i >= 0 {
		s.itemsTable.Select(widget.TableCellID{Row: i, Col: 0})
		s.itemDetail.SetText(outboxItemDetail(s.items[i], s.now()))
	} else {
		s.itemSel = ""
		s.itemDetail.Hide()
	}

	s.ledgerTable.UnselectAll()
	sameEntry := func(e agent.LedgerEntry) bool {
		return s.ledgerSel != nil && e.ItemID == s.ledgerSel.ItemID && e.At.Equal(s.ledgerSel.At) && e.Outcome == s.ledgerSel.Outcome
	}
	if i := slices.IndexFunc(s.ledger, sameEntry); i >= 0 {
		s.ledgerTable.Select(widget.TableCellID{Row: i, Col: 0})
	} else {
		s.ledgerSel = nil
		s.ledgerDetail.Hide()
	}
}

// showEmpty switches between a table and its empty-state text.
func showEmpty(t *widget.Table, l *widget.Label, empty bool, text string) {
	if empty {
		t.Hide()
		l.SetText(text)
		l.Show()
		return
	}
	l.Hide()
	t.Show()
	t.Refresh()
}

// --- pure functions ---

func sortOutbox(items []agent.OutboxItem) []agent.OutboxItem {
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b agent.OutboxItem) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

func sortLedger(es []agent.LedgerEntry) []agent.LedgerEntry {
	out := slices.Clone(es)
	slices.SortStableFunc(out, func(a, b agent.LedgerEntry) int { return b.At.Compare(a.At) })
	return out
}

// outboxRow is one item as the table shows it, in outboxHeaders order.
func outboxRow(it agent.OutboxItem, now time.Time) []string {
	lastErr := it.LastError
	if lastErr == "" {
		lastErr = "—"
	}
	return []string{
		orUnknown(it.Summary),
		categoryTitle(it.Category),
		formatBytes(it.Bytes),
		fmt.Sprint(it.Attempts),
		nextAttemptText(it.NextAttempt, now),
		oneLine(lastErr),
	}
}

func outboxItemDetail(it agent.OutboxItem, now time.Time) string {
	d := fmt.Sprintf("%s\n%s · %s · queued %s · %s · next attempt %s",
		orUnknown(it.Summary), categoryTitle(it.Category), formatBytes(it.Bytes), formatTime(it.CreatedAt),
		plural(it.Attempts, "attempt", "attempts"), nextAttemptText(it.NextAttempt, now))
	if it.LastError != "" {
		d += "\nLast error: " + it.LastError
	}
	return d + "\nItem " + it.ID
}

// nextAttemptText says when the agent tries an item again.
func nextAttemptText(t, now time.Time) string {
	if t.IsZero() || !t.After(now) {
		return "now"
	}
	return formatTime(t)
}

// ledgerRow is one entry as the table shows it, in ledgerHeaders order.
func ledgerRow(e agent.LedgerEntry) []string {
	return []string{
		formatTime(e.At),
		outcomeText(e),
		orUnknown(e.Destination),
		formatBytes(e.Bytes),
		e.ItemID,
	}
}

func ledgerEntryDetail(e agent.LedgerEntry) string {
	return fmt.Sprintf("%s: %s, %s, %s to %s\nItem %s",
		formatTime(e.At), categoryTitle(e.Category), outcomeText(e), formatBytes(e.Bytes), orUnknown(e.Destination), e.ItemID)
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

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
