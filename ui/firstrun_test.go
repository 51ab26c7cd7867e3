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

	"github.com/stuchain/cuepoint-companion/consent"
)

var fakeExamples = map[consent.Category]string{
	consent.CrashReports:    "KeyError: 'bpm' in cuepoint.data.beatport in parse_results — CuePoint 1.5.2 on Linux-6.8, with 12 recent log lines",
	consent.UsageStatistics: `{"event":"run_finished","tracks":120,"match_rate":0.93,"duration_s":41.5}`,
}

// firstRunPage waits for the start-up check and returns the first-run page it opened.
func (h *harness) firstRunPage() *firstRun {
	h.t.Helper()
	h.firstRunChecked()
	if h.m.first == nil {
		h.t.Fatal("the first-run page did not open")
	}
	if h.m.win.Content() != h.m.first.view() {
		h.t.Fatal("the first-run page is not what the window shows")
	}
	return h.m.first
}

func askedCategories(f *firstRun) []consent.Category {
	var out []consent.Category
	for _, it := range f.asked {
		out = append(out, it.info.Category)
	}
	return out
}

func TestFirstRunAsksEveryCategoryOnAFreshInstall(t *testing.T) {
	f := newFake()
	f.examples = fakeExamples
	h := newHarness(t, f, testOpts)
	fr := h.firstRunPage()

	if got := len(fr.asked); got != len(consent.Categories) {
		t.Fatalf("asked %d categories, want all %d", got, len(consent.Categories))
	}
	for _, info := range consent.Categories {
		r := fr.radios[info.Category]
		if r == nil {
			t.Fatalf("no choice for %s", info.Category)
		}
		if r.Selected != "" {
			t.Errorf("%s is pre-selected as %q", info.Category, r.Selected)
		}
		if want := consentChoices(info, false); !slices.Equal(r.Options, want) {
			t.Errorf("%s offers %q, want %q", info.Category, r.Options, want)
		}
	}
	if want := []string{"Always send", "Ask each time", "Never"}; !slices.Equal(fr.radios[consent.CrashReports].Options, want) {
		t.Errorf("crash reports offer %q, want %q", fr.radios[consent.CrashReports].Options, want)
	}
	texts := visibleTexts(fr.view())
	for _, info := range consent.Categories {
		if !contains(texts, info.Title) || !contains(texts, info.Explain[:30]) {
			t.Errorf("%s is not explained on the page", info.Title)
		}
	}
	for _, want := range []string{"Before anything leaves this computer", "For example, from your own files:",
		"KeyError: 'bpm' in cuepoint.data.beatport", `{"event":"run_finished"`, "No example on this computer yet.",
		"Read the full privacy notice", "Decide later", "Save my choices"} {
		if !contains(texts, want) {
			t.Errorf("first-run page does not show %q; shows %q", want, texts)
		}
	}
	if !fr.saveBtn.Disabled() {
		t.Error("Save my choices is enabled before anything was answered")
	}
	// Golden markup: on a deliberate change, review testdata/failed/firstrun.xml and move it
	// over testdata/firstrun.xml.
	test.AssertObjectRendersToMarkup(t, "firstrun.xml", fr.view())
}

func TestFirstRunExamplesAreMonospace(t *testing.T) {
	f := newFake()
	f.examples = fakeExamples
	h := newHarness(t, f, testOpts)
	fr := h.firstRunPage()
	var found bool
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			if x.Text == fakeExamples[consent.CrashReports] {
				found = x.TextStyle.Monospace && x.Selectable
			}
		case *widget.Card:
			walk(x.Content)
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(fr.view())
	if !found {
		t.Error("the crash report example is not shown as selectable monospace text")
	}
}

func TestFirstRunAsksOnlyWhatNeedsAnAnswer(t *testing.T) {
	f := newFake()
	f.decideAll()
	f.locked(func() {
		// decided about an older version of usage statistics: asked again, and told why
		f.decisions[consent.UsageStatistics] = consent.Decision{Category: consent.UsageStatistics, State: consent.Granted,
			Version: 0, At: fakeNow, Source: consent.FromGUI}
		delete(f.decisions, consent.Screenshots) // never asked
	})
	h := newHarness(t, f, testOpts)
	fr := h.firstRunPage()
	if got, want := askedCategories(fr), []consent.Category{consent.UsageStatistics, consent.Screenshots}; !slices.Equal(got, want) {
		t.Errorf("asked about %v, want %v", got, want)
	}
	texts := visibleTexts(fr.view())
	for _, want := range []string{changedText, firstRunDecided} {
		if !contains(texts, want) {
			t.Errorf("page does not say %q", want)
		}
	}
	if contains(texts, "Crash reports") {
		t.Error("crash reports, decided for the current version, are asked again")
	}
}

func TestNoFirstRunWhenEverythingIsDecided(t *testing.T) {
	f := newFake()
	f.decideAll()
	h := newHarness(t, f, testOpts)
	h.firstRunChecked()
	if h.m.first != nil || h.m.win.Content() != h.m.main {
		t.Error("the first-run page opened although every category is decided")
	}
	var calls int
	h.fakeLocked(func() { calls = f.exampleCalls })
	if calls != 0 {
		t.Errorf("Examples was called %d times although nothing is asked (it reads the user's files)", calls)
	}
}

func TestFirstRunSaveRecordsEveryAnswerFromGUI(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, testOpts)
	fr := h.firstRunPage()
	p := h.loadedPrivacy() // built before: it must show the new answers afterwards

	answers := map[consent.Category]string{
		consent.CrashReports:       choiceAsk,
		consent.ErrorEvents:        choiceAllow,
		consent.UsageStatistics:    choiceDeny,
		consent.PerformanceReports: choiceAllow,
		consent.Screenshots:        choiceDeny,
		consent.Diagnostics:        choiceAllow,
	}
	for i, info := range consent.Categories {
		if !fr.saveBtn.Disabled() {
			t.Fatalf("Save my choices enabled with %d of %d answered", i, len(consent.Categories))
		}
		fr.radios[info.Category].SetSelected(answers[info.Category]) // what tapping does
	}
	if fr.saveBtn.Disabled() {
		t.Fatal("Save my choices stays disabled after every question was answered")
	}
	var sets []setCall
	h.fakeLocked(func() { sets = slices.Clone(f.sets) })
	if len(sets) != 0 {
		t.Fatalf("answering recorded before Save: %v", sets)
	}

	test.Tap(fr.saveBtn)
	h.waitFor("the page to close", func() bool { return h.m.first == nil })
	h.fakeLocked(func() { sets = slices.Clone(f.sets) })
	var want []setCall
	for _, info := range consent.Categories {
		st, _ := stateFor(answers[info.Category])
		want = append(want, setCall{info.Category, st, consent.FromGUI})
	}
	if !slices.Equal(sets, want) {
		t.Errorf("SetDecision calls = %v, want %v", sets, want)
	}
	if h.m.win.Content() != h.m.main {
		t.Error("the screens are not back after saving")
	}
	h.waitFor("the privacy screen to reload", func() bool {
		return !p.loader.running && rowOf(p, consent.CrashReports).radio.Selected == choiceAsk
	})
	if got := rowOf(p, consent.ErrorEvents).radio.Selected; got != choiceAllow {
		t.Errorf("privacy screen shows %q for error events after saving Allow", got)
	}
}

func TestFirstRunDecideLaterRecordsNothing(t *testing.T) {
	for _, how := range []string{"button", "escape"} {
		t.Run(how, func(t *testing.T) {
			f := newFake()
			h := newHarness(t, f, testOpts)
			fr := h.firstRunPage()
			fr.radios[consent.CrashReports].SetSelected(choiceAlways) // answered one, then changed their mind
			if how == "button" {
				test.Tap(fr.laterBtn)
			} else {
				h.m.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
			}
			h.loop.drain()
			if h.m.first != nil || h.m.win.Content() != h.m.main {
				t.Fatal("the first-run page is still shown")
			}
			var sets []setCall
			h.fakeLocked(func() { sets = slices.Clone(f.sets) })
			if len(sets) != 0 {
				t.Errorf("Decide later recorded %v", sets)
			}
			if h.m.win.Canvas().OnTypedKey() != nil {
				t.Error("the Escape handler outlives the page")
			}
		})
	}
}

func TestFirstRunSaveFailureKeepsThePage(t *testing.T) {
	f := newFake()
	f.decideAll()
	f.locked(func() { delete(f.decisions, consent.Diagnostics); f.setErr = errors.New("database is read-only") })
	h := newHarness(t, f, testOpts)
	fr := h.firstRunPage()
	fr.radios[consent.Diagnostics].SetSelected(choiceAllow)
	test.Tap(fr.saveBtn)
	h.waitFor("the failure", func() bool { return !fr.saving && fr.banner.box.Visible() })
	if !strings.Contains(fr.banner.label.Text, "Could not save your choice about diagnostics with feedback: database is read-only.") {
		t.Errorf("banner = %q", fr.banner.label.Text)
	}
	if h.m.first != fr || fr.saveBtn.Disabled() {
		t.Error("a failed save closed the page or left Save disabled")
	}

	// The retry saves it.
	h.fakeLocked(func() { f.setErr = nil })
	test.Tap(fr.banner.retry)
	h.waitFor("the page to close", func() bool { return h.m.first == nil })
}

func TestFirstRunNoticeOpens(t *testing.T) {
	h := newHarness(t, newFake(), testOpts)
	fr := h.firstRunPage()
	test.Tap(fr.noticeBtn)
	if texts := topDialogTexts(h.m.win); !contains(texts, "Your rights") || !contains(texts, "Undecided counts as") {
		t.Errorf("notice dialog shows %q", texts)
	}
}

// --- pure functions ---

func TestCategoriesToAsk(t *testing.T) {
	at := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	d := func(c consent.Category, s consent.State, version int, at time.Time) consent.Decision {
		return consent.Decision{Category: c, State: s, Version: version, At: at}
	}
	cases := []struct {
		name    string
		ds      []consent.Decision
		asked   []consent.Category
		changed []consent.Category
	}{
		{"nothing known: nothing asked", nil, nil, nil},
		{"never asked", []consent.Decision{d(consent.CrashReports, consent.Undecided, 0, time.Time{})},
			[]consent.Category{consent.CrashReports}, nil},
		{"no for the current version is never asked again", []consent.Decision{d(consent.CrashReports, consent.Denied, 1, at)}, nil, nil},
		{"yes for the current version", []consent.Decision{d(consent.ErrorEvents, consent.Granted, 1, at)}, nil, nil},
		{"ask each time for the current version", []consent.Decision{d(consent.CrashReports, consent.Ask, 1, at)}, nil, nil},
		{"yes for an older version", []consent.Decision{d(consent.ErrorEvents, consent.Granted, 0, at)},
			[]consent.Category{consent.ErrorEvents}, []consent.Category{consent.ErrorEvents}},
		{"no for an older version", []consent.Decision{d(consent.Screenshots, consent.Denied, 0, at)},
			[]consent.Category{consent.Screenshots}, []consent.Category{consent.Screenshots}},
		{"set back to undecided", []consent.Decision{d(consent.Diagnostics, consent.Undecided, 1, at)},
			[]consent.Category{consent.Diagnostics}, nil},
		{"unknown category", []consent.Decision{d("later-category", consent.Undecided, 0, time.Time{})}, nil, nil},
		{"display order, not input order", []consent.Decision{
			d(consent.Diagnostics, consent.Undecided, 0, time.Time{}),
			d(consent.CrashReports, consent.Undecided, 0, time.Time{}),
			d(consent.UsageStatistics, consent.Denied, 1, at),
		}, []consent.Category{consent.CrashReports, consent.Diagnostics}, nil},
	}
	for _, c := range cases {
		got := categoriesToAsk(c.ds)
		var asked, changed []consent.Category
		for _, it := range got {
			asked = append(asked, it.info.Category)
			if it.changed {
				changed = append(changed, it.info.Category)
			}
		}
		if !slices.Equal(asked, c.asked) || !slices.Equal(changed, c.changed) {
			t.Errorf("%s: asked %v (changed %v), want %v (changed %v)", c.name, asked, changed, c.asked, c.changed)
		}
	}
}

func TestFirstRunProgress(t *testing.T) {
	crash, _ := consent.Lookup(consent.CrashReports)
	usage, _ := consent.Lookup(consent.UsageStatistics)
	asked := []askItem{{info: crash}, {info: usage}}
	cases := []struct {
		answers map[consent.Category]string
		saved   map[consent.Category]bool
		ready   bool
		hint    string
	}{
		{nil, nil, false, "Choose an answer for each of the 2 questions above to save."},
		{map[consent.Category]string{consent.CrashReports: choiceNever}, nil, false, "1 question left to answer."},
		{map[consent.Category]string{consent.CrashReports: choiceNever, consent.UsageStatistics: choiceAllow}, nil, true,
			"Thank you. Save your choices; you can change them any time under Privacy."},
		{map[consent.Category]string{consent.UsageStatistics: choiceAllow}, map[consent.Category]bool{consent.CrashReports: true}, true,
			"Thank you. Save your choices; you can change them any time under Privacy."},
		{map[consent.Category]string{consent.CrashReports: "", consent.UsageStatistics: "nonsense"}, nil, false,
			"Choose an answer for each of the 2 questions above to save."},
	}
	for _, c := range cases {
		ready, hint := firstRunProgress(asked, c.answers, c.saved)
		if ready != c.ready || hint != c.hint {
			t.Errorf("firstRunProgress(%v, %v) = %v, %q; want %v, %q", c.answers, c.saved, ready, hint, c.ready, c.hint)
		}
	}
}

// A decision made elsewhere while the page is open (from the command line) is shown and
// locked, and "Save my choices" does not overwrite it.
func TestFirstRunTakesInDecisionsMadeElsewhere(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, testOpts)
	fr := h.firstRunPage()
	f.SetDecision(consent.CrashReports, consent.Ask, consent.FromCLI)
	f.changes <- struct{}{}
	r := fr.radios[consent.CrashReports]
	h.waitFor("the page to take in the decision", func() bool { return r.Selected == choiceAsk && r.Disabled() })
	for _, info := range consent.Categories {
		if info.Category != consent.CrashReports {
			fr.radios[info.Category].SetSelected(choiceDeny)
		}
	}
	var before int
	h.fakeLocked(func() { before = len(f.sets) })
	test.Tap(fr.saveBtn)
	h.waitFor("the page to close", func() bool { return h.m.first == nil })
	var sets []setCall
	h.fakeLocked(func() { sets = slices.Clone(f.sets[before:]) })
	for _, s := range sets {
		if s.c == consent.CrashReports {
			t.Fatalf("Save overwrote the decision made elsewhere: %v", sets)
		}
	}
	if len(sets) != len(consent.Categories)-1 {
		t.Errorf("saved %v", sets)
	}
}

// When every asked category is decided elsewhere, the page closes by itself.
func TestFirstRunClosesWhenAllDecidedElsewhere(t *testing.T) {
	f := newFake()
	h := newHarness(t, f, testOpts)
	h.firstRunPage()
	for _, info := range consent.Categories {
		f.SetDecision(info.Category, consent.Denied, consent.FromCLI)
	}
	f.changes <- struct{}{}
	h.waitFor("the page to close", func() bool { return h.m.first == nil })
}
