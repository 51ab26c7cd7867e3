package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/consent"
)

const (
	firstRunHeading = "Before anything leaves this computer"
	firstRunIntro   = "CuePoint Companion can send reports to the CuePoint maintainers so problems get " +
		"fixed. Nothing leaves this computer unless you allow it, kind by kind, and whatever is sent has " +
		"your name, home folder, emails, IP addresses and tokens removed first."
	firstRunDecided = "You already answered about the other kinds; you can change any answer later under Privacy."
	firstRunLater   = "Undecided counts as no: “Decide later” (or Escape) records nothing, and nothing is " +
		"sent until you answer."
	exampleCaption = "For example, from your own files:"
	noExampleText  = "No example on this computer yet."
	changedText    = "What this sends has changed since you answered, so you are asked again."
)

// askItem is one category the first-run page asks about.
type askItem struct {
	info    consent.Info
	changed bool // answered before, about an older version of the category
}

// firstRun is the page shown in place of the screens while a category needs an answer. It
// records nothing until "Save my choices", and then only what the user picked.
type firstRun struct {
	e       *env
	asked   []askItem
	answers map[consent.Category]string
	saved   map[consent.Category]bool
	saving  bool
	onClose func()

	radios    map[consent.Category]*widget.RadioGroup
	banner    *errorBanner
	left      *widget.Label
	saveBtn   *widget.Button
	laterBtn  *widget.Button
	noticeBtn *widget.Button
	content   fyne.CanvasObject
}

// newFirstRun builds the page for the categories in ask. examples are the user's own
// (scrubbed) examples per category; decided is how many categories were already answered.
// onClose is called (UI goroutine) when the page is done, saved or not.
func newFirstRun(e *env, ask []askItem, examples map[consent.Category]string, decided int, onClose func()) *firstRun {
	f := &firstRun{
		e: e, asked: ask, onClose: onClose,
		answers: map[consent.Category]string{},
		saved:   map[consent.Category]bool{},
		radios:  map[consent.Category]*widget.RadioGroup{},
	}
	heading := boldLabel(firstRunHeading)
	heading.SizeName = theme.SizeNameHeadingText
	heading.Wrapping = fyne.TextWrapWord
	top := []fyne.CanvasObject{heading, wrapLabel(firstRunIntro)}
	if decided > 0 {
		top = append(top, wrapLabel(firstRunDecided))
	}
	f.banner = newErrorBanner(f.save)
	top = append(top, f.banner.box)

	var cards []fyne.CanvasObject
	for _, it := range ask {
		c := it.info.Category
		parts := []fyne.CanvasObject{wrapLabel(it.info.Explain)}
		if ex := strings.TrimSpace(examples[c]); ex != "" {
			sample := widget.NewLabel(ex)
			sample.TextStyle = fyne.TextStyle{Monospace: true}
			sample.Wrapping = fyne.TextWrapWord
			sample.Selectable = true
			parts = append(parts, boldLabel(exampleCaption), sample)
		} else {
			none := widget.NewLabel(noExampleText)
			none.TextStyle = fyne.TextStyle{Italic: true}
			parts = append(parts, none)
		}
		radio := widget.NewRadioGroup(consentChoices(it.info, false), func(choice string) { f.answered(c, choice) })
		radio.Horizontal = true
		radio.Required = true // once answered, changed but not cleared: "Decide later" is for that
		f.radios[c] = radio
		parts = append(parts, radio)
		sub := ""
		if it.changed {
			sub = changedText
		}
		cards = append(cards, widget.NewCard(it.info.Title, sub, container.NewVBox(parts...)))
	}

	f.left = wrapLabel("")
	f.noticeBtn = widget.NewButton("Read the full privacy notice", func() { showPrivacyNotice(e.win) })
	f.noticeBtn.Importance = widget.LowImportance
	f.laterBtn = widget.NewButton("Decide later", f.decideLater)
	f.saveBtn = widget.NewButton("Save my choices", f.save)
	f.saveBtn.Importance = widget.HighImportance
	bottom := container.NewVBox(
		widget.NewSeparator(),
		f.left,
		wrapLabel(firstRunLater),
		container.NewHBox(f.noticeBtn, layout.NewSpacer(), f.laterBtn, f.saveBtn),
	)
	page := container.NewBorder(container.NewVBox(top...), bottom, nil, nil,
		container.NewVScroll(container.NewVBox(cards...)))
	f.content = container.New(centeredColumnLayout{maxWidth: 860}, container.NewPadded(page))
	f.update()
	return f
}

func (f *firstRun) view() fyne.CanvasObject { return f.content }

func (f *firstRun) answered(c consent.Category, choice string) {
	if choice == "" {
		delete(f.answers, c)
	} else {
		f.answers[c] = choice
	}
	f.update()
}

// update enables "Save my choices" once every question has an answer.
func (f *firstRun) update() {
	ready, hint := firstRunProgress(f.asked, f.answers, f.saved)
	f.left.SetText(hint)
	setEnabled(f.saveBtn, ready && !f.saving)
	setEnabled(f.laterBtn, !f.saving)
	for c, r := range f.radios {
		setEnabled(r, !f.saving && !f.saved[c])
	}
}

// decidedElsewhere takes in decisions made meanwhile outside the page (the command line,
// a forwarded command): such a category shows the recorded answer, locked, and Save leaves
// it alone. It reports whether nothing is left to ask.
func (f *firstRun) decidedElsewhere(ds []consent.Decision) (done bool) {
	if f.saving {
		return false
	}
	for _, d := range ds {
		r, asked := f.radios[d.Category]
		if !asked || f.saved[d.Category] || consent.NeedsPrompt(d) {
			continue
		}
		f.saved[d.Category] = true
		r.SetSelected(choiceFor(d))
	}
	f.update()
	for _, it := range f.asked {
		if !f.saved[it.info.Category] {
			return false
		}
	}
	return true
}

// decideLater closes the page without recording anything.
func (f *firstRun) decideLater() {
	if f.saving {
		return
	}
	f.onClose()
}

type firstRunSave struct {
	c   consent.Category
	err error
}

// save records every answer not saved yet, from the window.
func (f *firstRun) save() {
	ready, _ := firstRunProgress(f.asked, f.answers, f.saved)
	if !ready || f.saving {
		return
	}
	type todo struct {
		c     consent.Category
		state consent.State
	}
	var work []todo
	for _, it := range f.asked {
		c := it.info.Category
		if f.saved[c] {
			continue
		}
		st, _ := stateFor(f.answers[c])
		work = append(work, todo{c, st})
	}
	f.saving = true
	f.update()
	b := f.e.b
	call(f.e, loadTimeout, func(context.Context) ([]firstRunSave, error) {
		out := make([]firstRunSave, len(work))
		for i, w := range work {
			out[i] = firstRunSave{w.c, b.SetDecision(w.c, w.state, consent.FromGUI)}
		}
		return out, nil
	}, func(res []firstRunSave, err error) {
		f.saving = false
		var msgs []string
		if err != nil {
			msgs = append(msgs, problemText("save your choices", err))
		}
		for _, r := range res {
			if r.err != nil {
				msgs = append(msgs, problemText("save your choice about "+strings.ToLower(categoryTitle(r.c)), r.err))
				continue
			}
			f.saved[r.c] = true
		}
		if len(msgs) > 0 {
			f.banner.show(strings.Join(msgs, "\n"))
			f.update()
			return
		}
		f.banner.clear()
		f.onClose()
	})
}

// --- pure functions ---

// categoriesToAsk is the categories the first-run page asks about, in display order: the
// ones whose decision needs a prompt (never answered, or answered about an older version).
// Categories without a decision in ds are not asked.
func categoriesToAsk(ds []consent.Decision) []askItem {
	var out []askItem
	for _, info := range consent.Categories {
		for _, d := range ds {
			if d.Category != info.Category || !consent.NeedsPrompt(d) {
				continue
			}
			changed := d.State != consent.Undecided && !d.At.IsZero() && d.Version != info.Version
			out = append(out, askItem{info: info, changed: changed})
			break
		}
	}
	return out
}

// firstRunProgress says whether every asked category has an answer (or was saved already)
// and, if not, how many are left.
func firstRunProgress(asked []askItem, answers map[consent.Category]string, saved map[consent.Category]bool) (ready bool, hint string) {
	left := 0
	for _, it := range asked {
		c := it.info.Category
		if _, ok := stateFor(answers[c]); !ok && !saved[c] {
			left++
		}
	}
	if left == 0 {
		return true, "Thank you. Save your choices; you can change them any time under Privacy."
	}
	if left == len(asked) {
		return false, fmt.Sprintf("Choose an answer for each of the %s above to save.", plural(left, "question", "questions"))
	}
	return false, fmt.Sprintf("%s left to answer.", plural(left, "question", "questions"))
}
