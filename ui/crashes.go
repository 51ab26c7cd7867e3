package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent"
)

const consentChoiceText = "Send crash reports to the CuePoint maintainers:"

// crashesScreen lists CuePoint's crashes and sends one, with consent, after showing exactly
// what would leave the machine. All fields are touched on the UI goroutine only.
type crashesScreen struct {
	e      *env
	loader reloader

	// data
	loaded        bool // a load has succeeded at least once
	groups        []agent.CrashGroup
	problems      []agent.Problem
	decision      consent.Decision
	decisionKnown bool
	selected      string // ID of the group in the detail pane, "" for none

	previewID   string        // the group the preview fields are about
	preview     agent.Preview // valid when previewHave
	previewHave bool
	previewErr  error
	previewSeq  int // answers to older requests are dropped

	busy          bool // a send or dismiss is running
	cancelSend    context.CancelFunc
	savingConsent bool
	applying      bool // widgets are being set from data; their callbacks must not act
	reselecting   bool
	autoSelected  bool // the first load opened the newest crash

	// widgets
	choice        *widget.RadioGroup // the crash-reports decision
	consentStatus *widget.Label
	banner        *errorBanner
	problemsBox   *fyne.Container
	problemsAcc   *widget.Accordion
	list          *widget.List
	empty         *widget.Label

	placeholder *widget.Label
	detail      fyne.CanvasObject
	title       *widget.Label
	culprit     *widget.Label
	count       *widget.Label
	first       *widget.Label
	last        *widget.Label
	version     *widget.Label
	status      *widget.Label
	destination *widget.Label
	reports     *widget.Label
	payloadNote *widget.Label
	payload     *readOnlyEntry
	sendBtn     *widget.Button
	dontBtn     *widget.Button
	hint        *widget.Label
	progress    *widget.ProgressBarInfinite
	cancelBtn   *widget.Button
	content     fyne.CanvasObject
}

func newCrashesScreen(e *env) screen {
	s := &crashesScreen{e: e}
	s.loader.start = s.load

	info, _ := consent.Lookup(consent.CrashReports)
	explain := info.Explain
	s.choice = widget.NewRadioGroup(consentChoices(info, true), s.consentChanged)
	s.choice.Horizontal = true
	s.choice.Required = true
	s.choice.Disable() // until the decision is known
	s.consentStatus = widget.NewLabel("")
	s.consentStatus.Wrapping = fyne.TextWrapWord
	s.banner = newErrorBanner(s.reload)

	s.problemsAcc = widget.NewAccordion()
	s.problemsBox = container.NewVBox(s.problemsAcc)
	s.problemsBox.Hide()

	s.list = widget.NewList(
		func() int { return len(s.groups) },
		func() fyne.CanvasObject {
			t := boldLabel("KeyError: template")
			t.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("1 report")
			sub.Truncation = fyne.TextTruncateEllipsis
			sub.SizeName = theme.SizeNameCaptionText
			return container.NewVBox(t, sub)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(s.groups) {
				return
			}
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(groupTitle(s.groups[id]))
			box.Objects[1].(*widget.Label).SetText(groupSubtitle(s.groups[id]))
		},
	)
	s.list.OnSelected = func(id widget.ListItemID) {
		if s.reselecting || id < 0 || id >= len(s.groups) {
			return
		}
		s.selectGroup(s.groups[id].ID)
	}
	s.empty = wrapLabel("Looking for CuePoint crashes…")
	s.empty.Alignment = fyne.TextAlignCenter

	s.buildDetail()

	top := container.NewVBox(
		boldLabel(consentChoiceText),
		s.choice,
		wrapLabel(explain),
		s.consentStatus,
		s.banner.box,
		s.problemsBox,
	)
	left := container.NewStack(s.list, container.NewVBox(s.empty))
	right := container.NewStack(container.NewVBox(s.placeholder), s.detail)
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	s.content = container.NewBorder(top, nil, nil, nil, split)
	s.renderList()
	s.renderDetail()
	return s
}

func (s *crashesScreen) buildDetail() {
	s.placeholder = wrapLabel("Select a crash to see exactly what would be sent.")
	s.placeholder.Alignment = fyne.TextAlignCenter

	s.title = boldLabel("")
	s.title.Wrapping = fyne.TextWrapWord
	value := func() *widget.Label {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		l.Selectable = true
		return l
	}
	s.culprit, s.count, s.first, s.last = value(), value(), value(), value()
	s.version, s.status, s.destination = value(), value(), value()
	s.reports = value()
	info := container.New(layout.NewFormLayout(),
		boldLabel("Culprit"), s.culprit,
		boldLabel("Reports"), s.count,
		boldLabel("First seen"), s.first,
		boldLabel("Last seen"), s.last,
		boldLabel("CuePoint version"), s.version,
		boldLabel("Status"), s.status,
		boldLabel("Goes to"), s.destination,
	)
	infoScroll := container.NewVScroll(container.NewVBox(s.title, info, boldLabel("Crash files"), s.reports))

	s.payloadNote = widget.NewLabel("")
	s.payloadNote.Wrapping = fyne.TextWrapWord
	s.payload = newPayloadEntry()
	payloadArea := container.NewBorder(
		container.NewVBox(boldLabel("Exactly what will be sent"), s.payloadNote),
		nil, nil, nil, s.payload)

	s.sendBtn = widget.NewButton("Send", s.send)
	s.sendBtn.Importance = widget.HighImportance
	s.dontBtn = widget.NewButton("Don't send", s.dismiss)
	s.hint = wrapLabel("")
	s.hint.Importance = widget.WarningImportance
	s.progress = widget.NewProgressBarInfinite()
	s.cancelBtn = widget.NewButton("Cancel", s.cancel)
	s.progress.Hide()
	s.cancelBtn.Hide()
	actions := container.NewVBox(
		s.hint,
		container.NewBorder(nil, nil, container.NewHBox(s.sendBtn, s.dontBtn), s.cancelBtn, s.progress),
	)

	split := container.NewVSplit(infoScroll, payloadArea)
	split.Offset = 0.4
	s.detail = container.NewBorder(nil, actions, nil, nil, split)
}

func (s *crashesScreen) view() fyne.CanvasObject { return s.content }

func (s *crashesScreen) reload() { s.loader.request() }

type crashLoad struct {
	groups      []agent.CrashGroup
	problems    []agent.Problem
	groupsErr   error
	decision    consent.Decision
	decisionErr error
}

func (s *crashesScreen) load(done func()) {
	b := s.e.b
	call(s.e, loadTimeout, func(ctx context.Context) (crashLoad, error) {
		var r crashLoad
		r.groups, r.problems, r.groupsErr = b.CrashGroups(ctx)
		r.decision, r.decisionErr = b.Decision(consent.CrashReports)
		return r, nil
	}, func(r crashLoad, err error) {
		defer done()
		if err != nil { // the load itself panicked
			r.groupsErr, r.decisionErr = err, err
		}
		s.apply(r)
	})
}

func (s *crashesScreen) apply(r crashLoad) {
	var msgs []string
	if r.groupsErr != nil {
		msgs = append(msgs, problemText("load the crashes", r.groupsErr))
	} else {
		s.loaded = true
		s.groups = sortGroups(r.groups)
		s.problems = r.problems
	}
	if r.decisionErr != nil {
		msgs = append(msgs, problemText("read your choice about crash reports", r.decisionErr))
		s.decisionKnown = false
		s.choice.Disable()
	} else {
		s.setDecision(r.decision)
	}
	if len(msgs) > 0 {
		s.banner.show(strings.Join(msgs, "\n"))
	} else {
		s.banner.clear()
	}
	s.renderList()
	s.reselect()
}

// reselect keeps the detail pane on the same crash across a reload, wherever it moved.
// On the first load it opens the newest crash, as a master–detail window does.
func (s *crashesScreen) reselect() {
	if s.selected == "" {
		if !s.autoSelected && len(s.groups) > 0 {
			s.autoSelected = true
			s.list.Select(0)
		}
		return
	}
	i := slices.IndexFunc(s.groups, func(g agent.CrashGroup) bool { return g.ID == s.selected })
	if i < 0 {
		s.selected = ""
		s.list.UnselectAll()
		s.renderDetail()
		return
	}
	s.reselecting = true
	s.list.Select(i)
	s.reselecting = false
	s.renderDetail()
	s.loadPreview()
}

func (s *crashesScreen) renderList() {
	s.list.Refresh()
	switch {
	case len(s.groups) > 0:
		s.empty.Hide()
	case s.loaded:
		s.empty.SetText(emptyCrashesText(s.e.opts.CuePointHome))
		s.empty.Show()
	default:
		s.empty.Show()
	}

	if len(s.problems) == 0 {
		s.problemsBox.Hide()
		return
	}
	lines := make([]fyne.CanvasObject, 0, len(s.problems))
	for _, p := range s.problems {
		l := wrapLabel(problemLine(p))
		l.Selectable = true
		lines = append(lines, l)
	}
	title := fmt.Sprintf("%s could not be read (the rest was used)", plural(len(s.problems), "file", "files"))
	wasOpen := len(s.problemsAcc.Items) > 0 && s.problemsAcc.Items[0].Open
	s.problemsAcc.Items = []*widget.AccordionItem{widget.NewAccordionItem(title, container.NewVBox(lines...))}
	// Open when there is nothing else to look at, or when the user had it open.
	s.problemsAcc.Items[0].Open = wasOpen || len(s.groups) == 0
	s.problemsAcc.Refresh()
	s.problemsBox.Show()
}

func (s *crashesScreen) selectGroup(id string) {
	s.selected = id
	s.renderDetail()
	s.loadPreview()
}

func (s *crashesScreen) selectedGroup() (agent.CrashGroup, bool) {
	i := slices.IndexFunc(s.groups, func(g agent.CrashGroup) bool { return g.ID == s.selected })
	if s.selected == "" || i < 0 {
		return agent.CrashGroup{}, false
	}
	return s.groups[i], true
}

func (s *crashesScreen) loadPreview() {
	id := s.selected
	if id == "" {
		return
	}
	s.previewSeq++
	seq := s.previewSeq
	if s.previewID != id {
		// A refresh of the same group keeps showing the bytes it has until new ones arrive.
		s.previewID, s.preview, s.previewHave, s.previewErr = id, agent.Preview{}, false, nil
		s.renderDetail()
	}
	b := s.e.b
	call(s.e, loadTimeout, func(ctx context.Context) (agent.Preview, error) {
		return b.PreviewCrashGroup(ctx, id)
	}, func(p agent.Preview, err error) {
		if seq != s.previewSeq || id != s.previewID {
			return // the user moved on; a newer request owns the pane
		}
		s.preview, s.previewHave, s.previewErr = p, err == nil, err
		s.renderDetail()
	})
}

func (s *crashesScreen) renderDetail() {
	g, ok := s.selectedGroup()
	if !ok {
		s.detail.Hide()
		s.placeholder.Show()
		return
	}
	s.placeholder.Hide()
	s.detail.Show()

	s.title.SetText(groupFullTitle(g))
	s.culprit.SetText(orUnknown(g.Culprit))
	s.count.SetText(plural(g.Count, "report", "reports"))
	s.first.SetText(formatTime(g.First))
	s.last.SetText(formatTime(g.Last))
	s.version.SetText(orUnknown(g.Version))
	s.status.SetText(statusText(g.Status))
	s.reports.SetText(reportLines(g.Reports))

	ready := s.previewID == g.ID && s.previewHave
	dest := s.e.opts.Destination
	if ready && s.preview.Destination != "" {
		dest = s.preview.Destination
	}
	s.destination.SetText(orUnknown(dest))
	switch {
	case ready:
		text, note := payloadText(s.preview.Payload)
		if s.payload.Text != text { // keep the user's selection and scroll when nothing changed
			s.payload.SetText(text)
		}
		s.payloadNote.SetText(note + " — " + previewScope(len(s.preview.Items)) + ", as it would go to " + orUnknown(dest) + ".")
	case s.previewErr != nil && s.previewID == g.ID:
		s.payload.SetText("")
		s.payloadNote.SetText(problemText("prepare the preview", s.previewErr))
	default:
		s.payload.SetText("")
		s.payloadNote.SetText("Preparing the preview…")
	}
	s.renderActions()
}

func (s *crashesScreen) renderActions() {
	g, ok := s.selectedGroup()
	if !ok {
		return
	}
	ready := s.previewID == g.ID && s.previewHave
	a := crashActionsFor(s.decision, s.decisionKnown, g, ready, s.busy)
	setEnabled(s.sendBtn, a.send)
	setEnabled(s.dontBtn, a.dontSend)
	s.hint.SetText(a.hint)
	if a.hint == "" {
		s.hint.Hide()
	} else {
		s.hint.Show()
	}
	if s.busy {
		s.progress.Show()
		s.progress.Start()
	} else {
		s.progress.Stop()
		s.progress.Hide()
	}
	if s.cancelSend != nil {
		s.cancelBtn.Show()
	} else {
		s.cancelBtn.Hide()
		s.cancelBtn.SetText("Cancel")
		s.cancelBtn.Enable()
	}
}

func setEnabled(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// setDecision shows a decision in the choice and the lines around it.
func (s *crashesScreen) setDecision(d consent.Decision) {
	s.decision, s.decisionKnown = d, true
	s.applying = true
	s.choice.SetSelected(choiceFor(d))
	s.applying = false
	if !s.savingConsent {
		s.choice.Enable()
	}
	s.consentStatus.SetText(consentStatusText(d))
	s.renderActions()
}

func (s *crashesScreen) consentChanged(choice string) {
	if s.applying || !s.decisionKnown {
		return
	}
	state, ok := stateFor(choice)
	if !ok || choice == choiceFor(s.decision) {
		return
	}
	s.savingConsent = true
	s.choice.Disable()
	saveDecision(s.e, consent.CrashReports, state, func(d consent.Decision, err error) {
		s.savingConsent = false
		if err != nil {
			s.banner.show(problemText("save your choice about crash reports", err))
			s.setDecision(s.decision) // put the choice back to what is actually recorded
			return
		}
		s.banner.clear()
		s.setDecision(d)
	})
}

func (s *crashesScreen) send() {
	g, ok := s.selectedGroup()
	if !ok || s.busy {
		return
	}
	id := g.ID
	b := s.e.b
	s.busy = true
	s.cancelSend = call(s.e, sendTimeout, func(ctx context.Context) (agent.SendResult, error) {
		return b.SendCrashGroup(ctx, id)
	}, func(res agent.SendResult, err error) {
		s.busy, s.cancelSend = false, nil
		s.renderActions()
		switch {
		case err == nil:
			dialog.ShowInformation("Crash report", sendResultText(res), s.e.win)
		case errors.Is(err, context.Canceled):
			dialog.ShowInformation("Sending stopped",
				"Sending was cancelled. Anything already waiting in the Outbox stays there; see the Outbox screen.", s.e.win)
		default:
			dialog.ShowError(errors.New(problemText("send the crash report", err)), s.e.win)
		}
		s.reload()
	})
	s.renderActions()
}

func (s *crashesScreen) cancel() {
	if s.cancelSend == nil {
		return
	}
	s.cancelSend()
	s.cancelBtn.SetText("Cancelling…")
	s.cancelBtn.Disable()
}

func (s *crashesScreen) dismiss() {
	g, ok := s.selectedGroup()
	if !ok || s.busy {
		return
	}
	id := g.ID
	b := s.e.b
	s.busy = true
	s.renderActions()
	call(s.e, loadTimeout, func(ctx context.Context) (struct{}, error) {
		return struct{}{}, b.DismissCrashGroup(ctx, id)
	}, func(_ struct{}, err error) {
		s.busy = false
		s.renderActions()
		if err != nil {
			dialog.ShowError(errors.New(problemText(`record "Don't send"`, err)), s.e.win)
		}
		s.reload()
	})
}

// --- pure functions ---

// sortGroups orders groups newest first (by last occurrence), ties by ID so the order is
// stable across reloads. The input is not modified.
func sortGroups(gs []agent.CrashGroup) []agent.CrashGroup {
	out := slices.Clone(gs)
	slices.SortStableFunc(out, func(a, b agent.CrashGroup) int {
		if c := b.Last.Compare(a.Last); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// groupTitle is the one-line list title: "Type: Message".
func groupTitle(g agent.CrashGroup) string {
	return strings.Join(strings.Fields(groupFullTitle(g)), " ")
}

func groupFullTitle(g agent.CrashGroup) string {
	typ := strings.TrimSpace(g.Type)
	msg := strings.TrimSpace(g.Message)
	switch {
	case typ == "" && msg == "":
		return "Unknown error"
	case typ == "":
		return msg
	case msg == "":
		return typ
	}
	return typ + ": " + msg
}

// groupSubtitle is the list's second line: "N reports · first … · last … · status".
func groupSubtitle(g agent.CrashGroup) string {
	return fmt.Sprintf("%s · first %s · last %s · %s",
		plural(g.Count, "report", "reports"), formatTime(g.First), formatTime(g.Last), statusText(g.Status))
}

// statusText says a status for a person.
func statusText(s agent.Status) string { return s.Text() }

func reportLines(rs []agent.CrashReport) string {
	if len(rs) == 0 {
		return "none"
	}
	lines := make([]string, 0, len(rs))
	for _, r := range rs {
		line := fmt.Sprintf("%s — %s", r.Name, statusText(r.Status))
		if r.Partial {
			line += " (incomplete: part of the crash file is missing or unreadable)"
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

func problemLine(p agent.Problem) string {
	return p.File + " — " + p.Message
}

func orUnknown(s string) string {
	if strings.TrimSpace(s) == "" {
		return "unknown"
	}
	return s
}

// emptyCrashesText is the crash list's empty state.
func emptyCrashesText(home string) string {
	if strings.TrimSpace(home) == "" {
		return "No CuePoint crashes found — that's good news."
	}
	return "No CuePoint crashes found in " + home + " — that's good news."
}

// consentStatusText says where the crash-report decision stands.
func consentStatusText(d consent.Decision) string {
	from := ""
	switch d.Source {
	case consent.FromCLI:
		from = " (set from the command line)"
	case consent.FromCuePoint:
		from = " (set inside CuePoint)"
	}
	switch {
	case d.Allows(false):
		return "Always send, since " + formatTime(d.At) + from + "."
	case d.Allows(true):
		return "Ask each time, since " + formatTime(d.At) + from + ": a report is sent only when you press Send on it."
	case d.State == consent.Granted, d.State == consent.Ask:
		return "You agreed to an earlier version on " + formatTime(d.At) +
			"; what is sent has changed since, so nothing is sent until you choose again."
	case d.State == consent.Denied:
		return "Never, since " + formatTime(d.At) + from + ". Nothing is sent."
	}
	return "You have not decided yet. Nothing is sent until you choose."
}

// chooseToSend ends the hints that say how to make Send possible.
const chooseToSend = "Choose “" + choiceAlways + "” or “" + choiceAsk + "” above to send."

// crashActions is what the detail pane's buttons may do, and why not.
type crashActions struct {
	send, dontSend bool
	hint           string
}

// crashActionsFor decides the Send and Don't send buttons. Send needs the user's current
// consent — "always send", or "ask each time" since pressing Send approves this very
// crash — and the preview on screen (they must be able to see the bytes before sending).
func crashActionsFor(d consent.Decision, decisionKnown bool, g agent.CrashGroup, previewReady, busy bool) crashActions {
	if busy {
		return crashActions{}
	}
	a := crashActions{send: true, dontSend: true}
	switch g.Status {
	case agent.StatusSent:
		return crashActions{hint: "Already sent."}
	case agent.StatusDismissed:
		a.dontSend = false
	}
	switch {
	case !decisionKnown:
		a.send = false
		a.hint = "Your choice about crash reports could not be read; see above."
	case d.Allows(true): // "always send", or "ask each time": pressing Send is the approval
	case d.State == consent.Granted, d.State == consent.Ask: // for an older version
		a.send = false
		a.hint = "What crash reports contain has changed since you agreed. " + chooseToSend
	case d.State == consent.Denied:
		a.send = false
		a.hint = "Crash reports are set to “" + choiceNever + "”. " + chooseToSend
	default:
		a.send = false
		a.hint = "You have not decided yet. " + chooseToSend
	}
	if a.send && !previewReady {
		a.send = false
		a.hint = "Send is possible once the preview below is ready."
	}
	return a
}

// payloadText turns the exact bytes into text for the preview. Valid UTF-8 (a Sentry
// envelope is) is shown unchanged; any byte that is not text is written as \xNN so nothing
// is hidden or silently replaced. note describes the size and any such bytes.
func payloadText(p []byte) (text, note string) {
	note = formatBytes(len(p))
	if len(p) == 0 {
		return "", "Nothing (0 bytes)"
	}
	if utf8.Valid(p) {
		return string(p), note
	}
	var b strings.Builder
	bad := 0
	for len(p) > 0 {
		r, n := utf8.DecodeRune(p)
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, `\x%02x`, p[0])
			bad++
		} else {
			b.Write(p[:n])
		}
		p = p[n:]
	}
	return b.String(), fmt.Sprintf("%s, %s not text, shown as \\xNN", note, plural(bad, "byte", "bytes"))
}

// sendResultText is the message after a send: the backend's sentence, or one made from
// the counts when it gave none.
func sendResultText(r agent.SendResult) string {
	if m := strings.TrimSpace(r.Message); m != "" {
		return m
	}
	var parts []string
	if r.Sent > 0 {
		parts = append(parts, plural(r.Sent, "report", "reports")+" sent")
	}
	if r.AlreadySent > 0 {
		parts = append(parts, plural(r.AlreadySent, "report was", "reports were")+" already sent")
	}
	if r.Pending > 0 {
		parts = append(parts, plural(r.Pending, "report waits", "reports wait")+" in the Outbox and will be retried")
	}
	if len(parts) == 0 {
		return "Nothing needed sending."
	}
	s := strings.Join(parts, "; ") + "."
	return strings.ToUpper(s[:1]) + s[1:]
}

// previewScope says what the payload box holds.
func previewScope(n int) string {
	if n <= 1 {
		return "this report"
	}
	return fmt.Sprintf("its %d reports, each sent as its own envelope, one after the other", n)
}
