package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent"
)

const privacyIntro = "Nothing leaves this machine unless you allow it here. What is sent has your name, " +
	"home folder, emails, IP addresses and tokens removed first, and “What left” lists everything that left."

const (
	emptyHistoryText = "No decisions recorded yet."
	yourDataText     = "Everything the companion keeps about you stays on this computer. You can look at all of it " +
		"in one file, or erase it."
)

var (
	historyHeaders = []string{"When", "Category", "Decision", "Version", "From"}
	historyWidths  = []float32{150, 220, 130, 130, 130}
)

// privacyScreen has one row per consent category (what it sends, the user's decision),
// CuePoint switches that disagree with the companion, the history of decisions, and the
// user's data rights: export and erase.
type privacyScreen struct {
	e        *env
	loader   reloader
	rows     []*privacyRow
	applying bool // radios are being set from data; their callbacks must not act

	conflicts    []agent.SwitchConflict
	resolving    bool
	history      []consent.Decision // newest first
	historyRows  [][]string
	historyKnown bool
	busy         bool // an export or erasure is running

	loadProblem   string // why the last load fell short, "" when it did not
	actionProblem string // why the last change failed; a reload must not hide it
	banner        *errorBanner
	conflictsBox  *fyne.Container
	historyTable  *widget.Table
	historyEmpty  *widget.Label
	historyArea   *fyne.Container
	exportBtn     *widget.Button
	eraseBtn      *widget.Button
	dataStatus    *widget.Label
	page          *fyne.Container // the scrolled column of everything above
	content       fyne.CanvasObject
}

type privacyRow struct {
	info   consent.Info
	radio  *widget.RadioGroup
	when   *widget.Label
	known  bool
	saving bool
	d      consent.Decision
}

func newPrivacyScreen(e *env) screen {
	s := &privacyScreen{e: e}
	s.loader.start = s.load
	s.banner = newErrorBanner(s.reload)
	s.conflictsBox = container.NewVBox()
	s.conflictsBox.Hide()

	items := []fyne.CanvasObject{wrapLabel(privacyIntro), s.banner.box, s.conflictsBox}
	for _, info := range consent.Categories {
		r := &privacyRow{info: info}
		r.radio = widget.NewRadioGroup(consentChoices(info, true), func(choice string) { s.changed(r, choice) })
		r.radio.Horizontal = true
		r.radio.Required = true
		r.radio.Disable() // until the decision is known
		r.when = wrapLabel("Loading…")
		s.rows = append(s.rows, r)
		items = append(items, widget.NewCard(info.Title, "", container.NewVBox(wrapLabel(info.Explain), r.radio, r.when)))
	}
	where := []string{"Sends go to: " + orUnknown(e.opts.Destination)}
	if e.opts.DataDir != "" {
		where = append(where, "The companion keeps its data in "+e.opts.DataDir)
	}
	items = append(items, wrapLabel(strings.Join(where, "\n")))

	s.exportBtn = widget.NewButton("Export my data…", s.export)
	s.eraseBtn = widget.NewButton("Erase my data…", s.erase)
	s.eraseBtn.Importance = widget.DangerImportance
	notice := widget.NewButton("Read the privacy notice", func() { showPrivacyNotice(e.win) })
	s.dataStatus = wrapLabel("")
	s.dataStatus.Selectable = true
	s.dataStatus.Hide()
	items = append(items, widget.NewCard("Your data", "", container.NewVBox(
		wrapLabel(yourDataText),
		container.NewHBox(s.exportBtn, s.eraseBtn, layout.NewSpacer(), notice),
		s.dataStatus,
	)))

	s.historyTable = newTextTable(historyHeaders, historyWidths, func() [][]string { return s.historyRows })
	s.historyTable.Hide()
	s.historyEmpty = wrapLabel("Loading…")
	s.historyArea = container.New(minHeightLayout{height: 240}, s.historyTable)
	s.historyArea.Hide()
	items = append(items, widget.NewCard("History of your decisions", "Every answer ever recorded, newest first.",
		container.NewVBox(s.historyEmpty, s.historyArea)))

	s.page = container.NewVBox(items...)
	s.content = container.NewVScroll(s.page)
	return s
}

func (s *privacyScreen) view() fyne.CanvasObject { return s.content }

func (s *privacyScreen) reload() { s.loader.request() }

type decisionResult struct {
	d   consent.Decision
	err error
}

type privacyLoad struct {
	decisions    []decisionResult
	history      []consent.Decision
	historyErr   error
	conflicts    []agent.SwitchConflict
	conflictsErr error
}

func (s *privacyScreen) load(done func()) {
	b := s.e.b
	cats := make([]consent.Category, len(s.rows))
	for i, r := range s.rows {
		cats[i] = r.info.Category
	}
	call(s.e, loadTimeout, func(ctx context.Context) (privacyLoad, error) {
		r := privacyLoad{decisions: make([]decisionResult, len(cats))}
		for i, c := range cats {
			r.decisions[i].d, r.decisions[i].err = b.Decision(c)
		}
		r.history, r.historyErr = b.ConsentHistory()
		r.conflicts, r.conflictsErr = b.SwitchConflicts(ctx)
		return r, nil
	}, func(r privacyLoad, err error) {
		defer done()
		var msgs []string
		for i, row := range s.rows {
			rerr := err
			if rerr == nil {
				rerr = r.decisions[i].err
			}
			if rerr != nil {
				msgs = append(msgs, problemText("read your choice about "+strings.ToLower(row.info.Title), rerr))
				continue
			}
			s.show(row, r.decisions[i].d)
		}
		if err != nil { // the load itself failed: the rows said so
			r.historyErr, r.conflictsErr = err, err
		}
		if r.historyErr != nil {
			if err == nil {
				msgs = append(msgs, problemText("read the history of your decisions", r.historyErr))
			}
		} else {
			s.showHistory(r.history)
		}
		if r.conflictsErr != nil {
			if err == nil {
				msgs = append(msgs, problemText("compare your choices with CuePoint's own settings", r.conflictsErr))
			}
		} else {
			s.conflicts = r.conflicts
			s.renderConflicts()
		}
		s.loadProblem = strings.Join(msgs, "\n")
		s.renderBanner()
	})
}

// renderBanner shows what went wrong with the last change and the last load, if anything.
func (s *privacyScreen) renderBanner() {
	var msgs []string
	for _, m := range []string{s.actionProblem, s.loadProblem} {
		if m != "" {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 0 {
		s.banner.clear()
		return
	}
	s.banner.show(strings.Join(msgs, "\n"))
}

// actionDone records the outcome of a change the user asked for (problem "" for success).
func (s *privacyScreen) actionDone(problem string) {
	s.actionProblem = problem
	s.renderBanner()
}

// show puts a recorded decision into its row (UI goroutine).
func (s *privacyScreen) show(r *privacyRow, d consent.Decision) {
	r.d, r.known = d, true
	s.applying = true
	r.radio.SetSelected(choiceFor(d))
	s.applying = false
	r.when.SetText(decisionText(d))
	if !r.saving {
		r.radio.Enable()
	}
}

func (s *privacyScreen) changed(r *privacyRow, choice string) {
	if s.applying || !r.known {
		return
	}
	state, ok := stateFor(choice)
	if !ok || choice == choiceFor(r.d) {
		return
	}
	r.saving = true
	r.radio.Disable()
	saveDecision(s.e, r.info.Category, state, func(d consent.Decision, err error) {
		r.saving = false
		if err != nil {
			s.actionDone(problemText("save your choice about "+strings.ToLower(r.info.Title), err))
			s.show(r, r.d) // back to what is actually recorded
			return
		}
		s.actionDone("")
		s.show(r, d)
		s.reload() // the history has a new line
	})
}

func (s *privacyScreen) showHistory(h []consent.Decision) {
	s.history = newestFirst(h)
	s.historyRows = make([][]string, len(s.history))
	for i, d := range s.history {
		s.historyRows[i] = historyRow(d)
	}
	s.historyKnown = true
	empty := len(s.history) == 0
	wasEmpty := !s.historyArea.Visible()
	if empty {
		s.historyArea.Hide()
		s.historyTable.Hide()
		s.historyEmpty.SetText(emptyHistoryText)
		s.historyEmpty.Show()
	} else {
		s.historyEmpty.Hide()
		s.historyTable.Show()
		s.historyArea.Show()
		s.historyTable.Refresh()
	}
	if empty != wasEmpty {
		s.page.Refresh() // the history's height changed: lay the column out again
	}
}

// renderConflicts shows one line per CuePoint switch that disagrees, with the two ways out.
func (s *privacyScreen) renderConflicts() {
	if len(s.conflicts) == 0 {
		if s.conflictsBox.Visible() {
			s.conflictsBox.Objects = nil
			s.conflictsBox.Hide()
			s.page.Refresh() // the column got shorter: lay it out again
		}
		return
	}
	objs := []fyne.CanvasObject{boldLabel("CuePoint's own settings differ from your choices here")}
	for _, c := range s.conflicts {
		text := wrapLabel(conflictText(c))
		text.Importance = widget.WarningImportance
		adopt := widget.NewButton("Use CuePoint's setting", func() { s.resolve(c.Category, true) })
		keep := widget.NewButton("Keep mine", func() { s.resolve(c.Category, false) })
		if s.resolving {
			adopt.Disable()
			keep.Disable()
		}
		objs = append(objs, boldLabel(categoryTitle(c.Category)), text, container.NewHBox(adopt, keep))
	}
	objs = append(objs, widget.NewSeparator())
	s.conflictsBox.Objects = objs
	s.conflictsBox.Show()
	s.page.Refresh() // the banner's height changed: lay the column out again
}

func (s *privacyScreen) resolve(c consent.Category, adopt bool) {
	if s.resolving {
		return
	}
	s.resolving = true
	s.renderConflicts()
	b := s.e.b
	call(s.e, loadTimeout, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, b.ResolveSwitchConflict(ctx, c, adopt)
	}, func(_ struct{}, err error) {
		s.resolving = false
		s.renderConflicts()
		problem := ""
		if err != nil {
			doing := "use CuePoint's setting for " + strings.ToLower(categoryTitle(c))
			if !adopt {
				doing = "write your choice about " + strings.ToLower(categoryTitle(c)) + " back into CuePoint's settings"
			}
			problem = problemText(doing, err)
		}
		s.actionDone(problem)
		s.reload()
	})
}

// export asks where to save, then writes ExportData there.
func (s *privacyScreen) export() {
	if s.busy {
		return
	}
	s.e.pickSave(exportFileName(time.Now()), func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			dialog.ShowError(errors.New(problemText("choose where to save your data", err)), s.e.win)
			return
		}
		if w == nil {
			return // cancelled
		}
		s.setBusy(true)
		b := s.e.b
		where := uriPlace(w.URI())
		call(s.e, loadTimeout, func(ctx context.Context) (int, error) {
			data, err := b.ExportData(ctx)
			if err != nil {
				w.Close()
				return 0, err
			}
			_, werr := w.Write(data)
			cerr := w.Close()
			if werr == nil {
				werr = cerr
			}
			if werr != nil {
				return 0, fmt.Errorf("writing %s: %w", where, werr)
			}
			return len(data), nil
		}, func(n int, err error) {
			s.setBusy(false)
			if err != nil {
				s.showDataStatus(problemText("export your data", err))
				dialog.ShowError(errors.New(problemText("export your data", err)), s.e.win)
				return
			}
			s.showDataStatus(exportDoneText(where, n))
		})
	})
}

// erase shows exactly what would be deleted, and deletes it when the user confirms.
func (s *privacyScreen) erase() {
	if s.busy {
		return
	}
	s.setBusy(true)
	b := s.e.b
	call(s.e, loadTimeout, func(ctx context.Context) (agent.EraseReport, error) {
		return b.ErasePlan(ctx)
	}, func(plan agent.EraseReport, err error) {
		s.setBusy(false)
		if err != nil {
			dialog.ShowError(errors.New(problemText("find out what would be erased", err)), s.e.win)
			return
		}
		msg := wrapLabel(erasePlanText(plan))
		d := dialog.NewCustomConfirm("Erase my data?", "Erase", "Keep my data", msg, func(ok bool) {
			if ok {
				s.eraseNow()
			}
		}, s.e.win)
		d.SetConfirmImportance(widget.DangerImportance)
		d.Resize(fyne.NewSize(560, d.MinSize().Height))
		d.Show()
	})
}

func (s *privacyScreen) eraseNow() {
	s.setBusy(true)
	b := s.e.b
	call(s.e, loadTimeout, func(ctx context.Context) (agent.EraseReport, error) {
		return b.EraseData(ctx)
	}, func(r agent.EraseReport, err error) {
		s.setBusy(false)
		if err != nil {
			s.showDataStatus(problemText("erase your data", err))
			dialog.ShowError(errors.New(problemText("erase your data", err)), s.e.win)
			s.reload()
			return
		}
		text := eraseDoneText(r)
		s.showDataStatus(text)
		dialog.ShowInformation("Your data was erased", text, s.e.win)
		s.reload()
	})
}

func (s *privacyScreen) setBusy(on bool) {
	s.busy = on
	setEnabled(s.exportBtn, !on)
	setEnabled(s.eraseBtn, !on)
}

func (s *privacyScreen) showDataStatus(text string) {
	s.dataStatus.SetText(text)
	s.dataStatus.Show()
}

// --- pure functions ---

// decisionText says when and where a decision was made, and what it means now.
func decisionText(d consent.Decision) string {
	where := sourcePhrase(d.Source)
	info, ok := consent.Lookup(d.Category)
	current := ok && d.Version == info.Version
	switch {
	case d.State == consent.Granted && current && info.AskEachTime:
		return "Always send, since " + formatTime(d.At) + where + "."
	case d.State == consent.Granted && current:
		return "Allowed on " + formatTime(d.At) + where + "."
	case d.State == consent.Ask && current && info.AskEachTime:
		return "Ask each time, since " + formatTime(d.At) + where + ": only what you press Send on is sent."
	case d.State == consent.Granted, d.State == consent.Ask:
		return "You allowed an earlier version on " + formatTime(d.At) +
			"; what is sent has changed since, so nothing is sent until you allow it again."
	case d.State == consent.Denied:
		return "Not allowed, decided on " + formatTime(d.At) + where + ". Nothing is sent."
	case !d.At.IsZero():
		return "Set back to undecided on " + formatTime(d.At) + where + ". Nothing is sent."
	}
	return "You have not decided yet. Nothing is sent until you allow it."
}

// newestFirst orders decisions newest first; equal times keep their recorded order
// reversed, so the later record of the same minute comes first. The input is not modified.
func newestFirst(h []consent.Decision) []consent.Decision {
	out := slices.Clone(h)
	slices.Reverse(out)
	slices.SortStableFunc(out, func(a, b consent.Decision) int { return b.At.Compare(a.At) })
	return out
}

// historyRow is one decision as the history table shows it, in historyHeaders order.
func historyRow(d consent.Decision) []string {
	info, ok := consent.Lookup(d.Category)
	title := string(d.Category)
	if ok {
		title = info.Title
	}
	return []string{formatTime(d.At), title, stateChoice(info, d.State), versionText(d), sourceName(d.Source)}
}

// conflictText explains a CuePoint switch that differs from the companion's choice.
func conflictText(c agent.SwitchConflict) string {
	if c.Failed != "" {
		return fmt.Sprintf("Your choice (%s) is saved, but CuePoint's own switch could not be updated: %s. Fix or move that file; the companion tries again at every start, or press \"Keep mine\" to try now.",
			orUnknown(c.CompanionWants), c.Failed)
	}
	return fmt.Sprintf("You changed %s inside CuePoint to %s; the companion has %s.",
		orUnknown(c.Where), orUnknown(c.CuePointValue), orUnknown(c.CompanionWants))
}

func exportFileName(now time.Time) string {
	return "cuepoint-companion-data-" + now.Format("2006-01-02") + ".json"
}

func exportDoneText(where string, n int) string {
	return fmt.Sprintf("Saved everything the companion keeps about you (%s) to %s.", formatBytes(n), where)
}

// eraseLines lists what an erasure deletes (or deleted), one line per kind with any.
func eraseLines(r agent.EraseReport) []string {
	var lines []string
	add := func(n int, one, many string) {
		if n > 0 {
			lines = append(lines, "• "+plural(n, one, many))
		}
	}
	add(r.OutboxItems, "item waiting in the Outbox", "items waiting in the Outbox")
	add(r.LedgerEntries, "record of something sent", "records of things sent")
	add(r.ConsentDecisions, "decision", "decisions")
	add(r.ConsentHistory, "entry in the history of your decisions", "entries in the history of your decisions")
	add(r.CrashStates, "note of which crash you sent or dismissed", "notes of which crashes you sent or dismissed")
	add(r.OutgoingFiles, "file waiting in the outgoing folder", "files waiting in the outgoing folder")
	add(r.AnonymousIDs, "anonymous ID", "anonymous IDs")
	return lines
}

// erasePlanText is the confirmation's message: exactly what goes, and what stays.
func erasePlanText(r agent.EraseReport) string {
	lines := eraseLines(r)
	if len(lines) == 0 {
		return "The companion keeps nothing about you that could be erased right now. " +
			"Erasing anyway sets every category back to undecided and records that you asked."
	}
	return "This deletes, on this computer:\n" + strings.Join(lines, "\n") +
		"\n\nA note that an erasure happened (its time and these counts) stays. Every category goes back to " +
		"undecided, so nothing is sent until you decide again. What already left this machine cannot be " +
		"called back from here. This cannot be undone."
}

// eraseDoneText reports an erasure.
func eraseDoneText(r agent.EraseReport) string {
	lines := eraseLines(r)
	when := ""
	if !r.At.IsZero() {
		when = " on " + formatTime(r.At)
	}
	if len(lines) == 0 {
		return "Erased" + when + ": there was nothing stored. Every category is undecided."
	}
	return "Erased" + when + ":\n" + strings.Join(lines, "\n") + "\nEvery category is undecided again; nothing is sent until you decide."
}
