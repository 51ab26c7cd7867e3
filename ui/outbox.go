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
	emptyOutboxText  = "Nothing waiting to be sent."
	outboxLedgerText = "What already left this machine, with the exact bytes, is listed under “What left”."
)

var (
	outboxHeaders = []string{"What", "Kind", "Size", "Attempts", "Next attempt", "Last error"}
	outboxWidths  = []float32{240, 120, 80, 80, 150, 240}
)

// outboxScreen shows what is waiting to leave the machine; what already left is on the
// ledger screen. It only reads; the agent's workers do the sending.
type outboxScreen struct {
	e      *env
	loader reloader
	now    func() time.Time

	items    []agent.OutboxItem // oldest first: the order they go out
	itemRows [][]string
	loaded   bool
	itemSel  string // ID of the outbox item whose detail is shown

	banner     *errorBanner
	itemsTable *widget.Table
	itemsEmpty *widget.Label
	itemDetail *widget.Label
	content    fyne.CanvasObject
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

	waiting := container.NewBorder(
		container.NewVBox(boldLabel("Waiting to be sent"), s.itemsEmpty), s.itemDetail, nil, nil,
		container.NewStack(s.itemsTable))
	left := widget.NewButton("Show what left", func() {
		if e.goTo != nil {
			e.goTo("ledger")
		}
	})
	bottom := container.NewBorder(nil, nil, nil, left, wrapLabel(outboxLedgerText))
	s.content = container.NewBorder(s.banner.box, bottom, nil, nil, waiting)
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

func (s *outboxScreen) load(done func()) {
	b := s.e.b
	call(s.e, loadTimeout, func(ctx context.Context) ([]agent.OutboxItem, error) {
		return b.OutboxItems(ctx)
	}, func(items []agent.OutboxItem, err error) {
		defer done()
		s.apply(items, err)
	})
}

func (s *outboxScreen) apply(items []agent.OutboxItem, err error) {
	if err != nil {
		s.banner.show(problemText("read the Outbox", err))
		if !s.loaded {
			s.itemsEmpty.Hide()
		}
		return
	}
	s.banner.clear()
	s.loaded = true
	now := s.now()
	s.items = sortOutbox(items)
	s.itemRows = make([][]string, len(s.items))
	for i, it := range s.items {
		s.itemRows[i] = outboxRow(it, now)
	}
	s.keepSelection()
	showEmpty(s.itemsTable, s.itemsEmpty, len(s.items) == 0, emptyOutboxText)
}

// keepSelection keeps the detail on the same item across a reload (rows move as items
// are added or sent), or hides it when the item is gone.
func (s *outboxScreen) keepSelection() {
	s.itemsTable.UnselectAll()
	if i := slices.IndexFunc(s.items, func(it agent.OutboxItem) bool { return it.ID == s.itemSel }); s.itemSel != "" && i >= 0 {
		s.itemsTable.Select(widget.TableCellID{Row: i, Col: 0})
		s.itemDetail.SetText(outboxItemDetail(s.items[i], s.now()))
	} else {
		s.itemSel = ""
		s.itemDetail.Hide()
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

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
