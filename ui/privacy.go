package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/consent"
)

// The choices of a privacy row, in display order.
const (
	choiceUndecided = "Undecided"
	choiceAllow     = "Allow"
	choiceDeny      = "Don't allow"
)

var privacyChoices = []string{choiceUndecided, choiceAllow, choiceDeny}

const privacyIntro = "Nothing leaves this machine unless you allow it here. What is sent has your name, " +
	"home folder, emails, IP addresses and tokens removed first, and the Outbox screen lists everything that left."

// privacyScreen has one row per consent category: what it sends, and the user's decision.
type privacyScreen struct {
	e        *env
	loader   reloader
	rows     []*privacyRow
	applying bool // radios are being set from data; their callbacks must not act
	banner   *errorBanner
	content  fyne.CanvasObject
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

	items := []fyne.CanvasObject{wrapLabel(privacyIntro), s.banner.box}
	for _, info := range consent.Categories {
		r := &privacyRow{info: info}
		r.radio = widget.NewRadioGroup(privacyChoices, func(choice string) { s.changed(r, choice) })
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
	footer := wrapLabel(strings.Join(where, "\n"))
	items = append(items, footer)
	s.content = container.NewVScroll(container.NewVBox(items...))
	return s
}

func (s *privacyScreen) view() fyne.CanvasObject { return s.content }

func (s *privacyScreen) reload() { s.loader.request() }

type decisionResult struct {
	d   consent.Decision
	err error
}

func (s *privacyScreen) load(done func()) {
	b := s.e.b
	cats := make([]consent.Category, len(s.rows))
	for i, r := range s.rows {
		cats[i] = r.info.Category
	}
	call(s.e, loadTimeout, func(context.Context) ([]decisionResult, error) {
		out := make([]decisionResult, len(cats))
		for i, c := range cats {
			out[i].d, out[i].err = b.Decision(c)
		}
		return out, nil
	}, func(res []decisionResult, err error) {
		defer done()
		var msgs []string
		for i, r := range s.rows {
			rerr := err
			if rerr == nil {
				rerr = res[i].err
			}
			if rerr != nil {
				msgs = append(msgs, problemText("read your choice about "+strings.ToLower(r.info.Title), rerr))
				continue
			}
			s.show(r, res[i].d)
		}
		if len(msgs) > 0 {
			s.banner.show(strings.Join(msgs, "\n"))
		} else {
			s.banner.clear()
		}
	})
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
	b := s.e.b
	c := r.info.Category
	call(s.e, loadTimeout, func(context.Context) (consent.Decision, error) {
		if err := b.SetDecision(c, state, consent.FromGUI); err != nil {
			return consent.Decision{}, err
		}
		return b.Decision(c)
	}, func(d consent.Decision, err error) {
		r.saving = false
		if err != nil {
			s.banner.show(problemText("save your choice about "+strings.ToLower(r.info.Title), err))
			s.show(r, r.d) // back to what is actually recorded
			return
		}
		s.banner.clear()
		s.show(r, d)
	})
}

// --- pure functions ---

// choiceFor is the radio choice that shows a decision. A grant for an older version of the
// category shows as Undecided: it no longer lets anything out.
func choiceFor(d consent.Decision) string {
	switch {
	case d.Allows():
		return choiceAllow
	case d.State == consent.Denied:
		return choiceDeny
	}
	return choiceUndecided
}

func stateFor(choice string) (consent.State, bool) {
	switch choice {
	case choiceAllow:
		return consent.Granted, true
	case choiceDeny:
		return consent.Denied, true
	case choiceUndecided:
		return consent.Undecided, true
	}
	return "", false
}

// decisionText says when and where a decision was made, and what it means now.
func decisionText(d consent.Decision) string {
	where := ""
	switch d.Source {
	case consent.FromGUI:
		where = " in this app"
	case consent.FromCLI:
		where = " from the command line"
	}
	switch {
	case d.Allows():
		return "Allowed on " + formatTime(d.At) + where + "."
	case d.State == consent.Granted:
		return "You allowed an earlier version on " + formatTime(d.At) +
			"; what is sent has changed since, so nothing is sent until you allow it again."
	case d.State == consent.Denied:
		return "Not allowed, decided on " + formatTime(d.At) + where + ". Nothing is sent."
	case !d.At.IsZero():
		return "Set back to undecided on " + formatTime(d.At) + where + ". Nothing is sent."
	}
	return "You have not decided yet. Nothing is sent until you allow it."
}
