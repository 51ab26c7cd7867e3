package ui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/assets"
	"github.com/stuchain/cuepoint-companion/consent"
)

// loadedPrivacy shows the privacy screen and waits for its first load to be applied.
func (h *harness) loadedPrivacy() *privacyScreen {
	h.t.Helper()
	s := h.privacy()
	h.waitFor("the privacy screen to load", func() bool { return s.rows[0].known && s.historyKnown && !s.loader.running })
	return s
}

func rowOf(s *privacyScreen, c consent.Category) *privacyRow {
	for _, r := range s.rows {
		if r.info.Category == c {
			return r
		}
	}
	return nil
}

func TestPrivacyRowsShowDecisions(t *testing.T) {
	f := newFake()
	denied := consent.Decision{Category: consent.CrashReports, State: consent.Denied,
		Version: 1, PolicyVersion: 1, At: fakeNow, Source: consent.FromCLI}
	usage := consent.Decision{Category: consent.UsageStatistics, State: consent.Granted,
		Version: 1, PolicyVersion: 1, At: fakeNow.Add(time.Hour), Source: consent.FromCuePoint}
	f.decisions[consent.CrashReports] = denied
	f.decisions[consent.UsageStatistics] = usage
	f.history = []consent.Decision{denied, usage}
	h := newHarness(t, f, testOpts)
	s := h.loadedPrivacy()

	if len(s.rows) != len(consent.Categories) || len(s.rows) != 6 {
		t.Fatalf("%d rows for %d categories", len(s.rows), len(consent.Categories))
	}
	r := rowOf(s, consent.CrashReports)
	if want := []string{choiceUndecided, choiceAlways, choiceAsk, choiceNever}; !slices.Equal(r.radio.Options, want) {
		t.Errorf("crash report choices = %q, want %q", r.radio.Options, want)
	}
	if r.radio.Selected != choiceNever || r.radio.Disabled() {
		t.Errorf("radio = %q (disabled %v), want %q enabled", r.radio.Selected, r.radio.Disabled(), choiceNever)
	}
	if want := "Not allowed, decided on 2026-03-14 09:30 from the command line. Nothing is sent."; r.when.Text != want {
		t.Errorf("decision line = %q, want %q", r.when.Text, want)
	}
	u := rowOf(s, consent.UsageStatistics)
	if want := []string{choiceUndecided, choiceAllow, choiceDeny}; !slices.Equal(u.radio.Options, want) {
		t.Errorf("usage statistics choices = %q, want %q", u.radio.Options, want)
	}
	if u.radio.Selected != choiceAllow || u.when.Text != "Allowed on 2026-03-14 10:30 inside CuePoint." {
		t.Errorf("usage statistics row: %q, %q", u.radio.Selected, u.when.Text)
	}
	texts := visibleTexts(s.view())
	for _, info := range consent.Categories {
		if !contains(texts, info.Title) {
			t.Errorf("the privacy screen does not show %q", info.Title)
		}
	}
	for _, want := range []string{"Undecided", "Always send", "Ask each time", "Never", "Allow", "Don't allow",
		"Sends go to: folder /home/dj/.local/share/cuepoint-companion/outgoing",
		"Export my data…", "Erase my data…", "Read the privacy notice", "History of your decisions"} {
		if !contains(texts, want) {
			t.Errorf("privacy screen does not show %q; shows %q", want, texts)
		}
	}
	info, _ := consent.Lookup(consent.CrashReports)
	if !contains(texts, info.Explain[:40]) {
		t.Errorf("the explanation is missing; screen shows %q", texts)
	}
	// Golden markup: on a deliberate change, review testdata/failed/privacy.xml and move it
	// over testdata/privacy.xml.
	test.AssertObjectRendersToMarkup(t, "privacy.xml", s.view())
}

func TestPrivacyRadioCallsSetDecision(t *testing.T) {
	h := newHarness(t, newFake(), testOpts)
	s := h.loadedPrivacy()
	for _, tc := range []struct {
		c     consent.Category
		steps []string
	}{
		{consent.CrashReports, []string{choiceAlways, choiceAsk, choiceNever, choiceUndecided}},
		{consent.UsageStatistics, []string{choiceAllow, choiceDeny, choiceUndecided}},
		{consent.Screenshots, []string{choiceDeny, choiceAllow}},
	} {
		r := rowOf(s, tc.c)
		if r.radio.Selected != choiceUndecided {
			t.Fatalf("%s: a fresh install shows %q, want %q (nothing pre-ticked)", tc.c, r.radio.Selected, choiceUndecided)
		}
		for _, choice := range tc.steps {
			var before int
			h.fakeLocked(func() { before = len(h.fake.sets) })
			r.radio.SetSelected(choice) // what tapping the option does
			h.waitFor("the choice to be saved", func() bool { return !r.saving && !s.loader.running })
			var got []setCall
			h.fakeLocked(func() { got = slices.Clone(h.fake.sets[before:]) })
			st, _ := stateFor(choice)
			if want := []setCall{{tc.c, st, consent.FromGUI}}; !slices.Equal(got, want) {
				t.Fatalf("%s: after choosing %q: SetDecision calls = %v, want %v", tc.c, choice, got, want)
			}
			if r.radio.Selected != choice || !strings.Contains(r.when.Text, "2026-03-14 09:30 in this app") {
				t.Errorf("%s: after choosing %q: radio %q, line %q", tc.c, choice, r.radio.Selected, r.when.Text)
			}
		}
	}
	// Every change is a line of the history, newest first.
	if len(s.history) != 9 || s.historyRows[0][1] != "Screenshots in feedback" || s.historyRows[0][2] != choiceAllow ||
		s.historyRows[0][4] != "window" {
		t.Errorf("history after 9 changes: %q", s.historyRows)
	}

	// A reload shows the same decisions without writing them again.
	var n int
	h.fakeLocked(func() { n = len(h.fake.sets) })
	h.fake.changes <- struct{}{}
	h.waitFor("a reload", func() bool { return !s.loader.running })
	var after int
	h.fakeLocked(func() { after = len(h.fake.sets) })
	if after != n {
		t.Errorf("a reload called SetDecision: %d calls, want %d", after, n)
	}
}

func TestPrivacySaveFailureReverts(t *testing.T) {
	f := newFake()
	f.setErr = errors.New("disk full")
	h := newHarness(t, f, testOpts)
	s := h.loadedPrivacy()
	r := s.rows[0]

	r.radio.SetSelected(choiceAlways)
	h.waitFor("the failed save", func() bool { return !r.saving })
	if r.radio.Selected != choiceUndecided {
		t.Errorf("radio shows %q although nothing was saved", r.radio.Selected)
	}
	if !s.banner.box.Visible() || !strings.Contains(s.banner.label.Text, "Could not save your choice about crash reports: disk full.") {
		t.Errorf("banner visible %v, %q", s.banner.box.Visible(), s.banner.label.Text)
	}
}

func TestPrivacyHistoryTable(t *testing.T) {
	f := newFake()
	f.history = []consent.Decision{
		{Category: consent.CrashReports, State: consent.Granted, Version: 1, PolicyVersion: 1, At: fakeNow, Source: consent.FromCLI},
		{Category: consent.CrashReports, State: consent.Ask, Version: 1, PolicyVersion: 1, At: fakeNow.Add(time.Hour), Source: consent.FromGUI},
		{Category: consent.ErrorEvents, State: consent.Undecided, Version: 1, At: fakeNow.Add(2 * time.Hour), Source: consent.FromErasure},
	}
	h := newHarness(t, f, testOpts)
	s := h.loadedPrivacy()
	if !s.historyArea.Visible() || s.historyEmpty.Visible() {
		t.Fatal("the history table is not shown")
	}
	want := [][]string{
		{"2026-03-14 11:30", "Error events from logs", "Undecided", "v1", "erasure"},
		{"2026-03-14 10:30", "Crash reports", "Ask each time", "v1 · notice v1", "window"},
		{"2026-03-14 09:30", "Crash reports", "Always send", "v1 · notice v1", "command line"},
	}
	if !slices.EqualFunc(s.historyRows, want, slices.Equal) {
		t.Errorf("history rows = %q, want %q", s.historyRows, want)
	}
	texts := visibleTexts(s.historyTable)
	for _, w := range []string{"When", "Category", "Decision", "Version", "From", "Ask each time", "command line"} {
		if !contains(texts, w) {
			t.Errorf("history table does not show %q; shows %q", w, texts)
		}
	}
}

func TestPrivacyHistoryEmptyAndFailing(t *testing.T) {
	h := newHarness(t, newFake(), testOpts)
	s := h.loadedPrivacy()
	if !s.historyEmpty.Visible() || s.historyEmpty.Text != emptyHistoryText || s.historyArea.Visible() {
		t.Errorf("empty history: %q visible %v, table visible %v", s.historyEmpty.Text, s.historyEmpty.Visible(), s.historyArea.Visible())
	}

	f := newFake()
	f.historyErr = errors.New("history bucket is damaged")
	h2 := newHarness(t, f, testOpts)
	s2 := h2.privacy()
	h2.waitFor("the banner", func() bool { return s2.banner.box.Visible() && !s2.loader.running })
	if !strings.Contains(s2.banner.label.Text, "Could not read the history of your decisions: history bucket is damaged.") {
		t.Errorf("banner = %q", s2.banner.label.Text)
	}
	if !s2.rows[0].known {
		t.Error("a failing history hides the decisions")
	}
}

func TestPrivacyConflictBanner(t *testing.T) {
	for _, adopt := range []bool{true, false} {
		f := newFake()
		f.conflicts = []agent.SwitchConflict{{Category: consent.UsageStatistics,
			Where: "telemetry.enabled in ~/.cuepoint/config.yaml", CuePointValue: "true", CompanionWants: "false"}}
		h := newHarness(t, f, testOpts)
		s := h.loadedPrivacy()
		if !s.conflictsBox.Visible() {
			t.Fatal("the conflict is not shown")
		}
		texts := visibleTexts(s.conflictsBox)
		want := "You changed telemetry.enabled in ~/.cuepoint/config.yaml inside CuePoint to true; the companion has false."
		if !contains(texts, "You changed telemetry.enabled") || !contains(texts, "Usage statistics") {
			t.Errorf("conflict banner shows %q, want %q", texts, want)
		}
		if got := conflictText(f.conflicts[0]); got != want {
			t.Errorf("conflictText = %q, want %q", got, want)
		}
		label := "Keep mine"
		if adopt {
			label = "Use CuePoint's setting"
		}
		test.Tap(findButton(s.conflictsBox, label))
		h.waitFor("the resolution and reload", func() bool { return !s.resolving && !s.loader.running && !s.conflictsBox.Visible() })
		var got []resolveCall
		h.fakeLocked(func() { got = slices.Clone(f.resolves) })
		if want := []resolveCall{{consent.UsageStatistics, adopt}}; !slices.Equal(got, want) {
			t.Errorf("%q: ResolveSwitchConflict calls = %v, want %v", label, got, want)
		}
	}
}

func TestPrivacyConflictResolveFailure(t *testing.T) {
	f := newFake()
	f.conflicts = []agent.SwitchConflict{{Category: consent.CrashReports, Where: "[error_reporting] enabled in CuePoint.conf",
		CuePointValue: "true", CompanionWants: "false"}}
	f.resolveErr = errors.New("CuePoint.conf does not parse; it was left as it is")
	h := newHarness(t, f, testOpts)
	s := h.loadedPrivacy()
	test.Tap(findButton(s.conflictsBox, "Keep mine"))
	h.waitFor("the failure", func() bool { return !s.resolving && s.banner.box.Visible() })
	want := "Could not write your choice about crash reports back into CuePoint's settings: CuePoint.conf does not parse"
	if !strings.Contains(s.banner.label.Text, want) {
		t.Errorf("banner = %q, want it to contain %q", s.banner.label.Text, want)
	}
	// The reload that follows keeps the explanation, and the conflict, on screen.
	h.waitFor("the reload", func() bool { return !s.loader.running })
	if !strings.Contains(s.banner.label.Text, want) || !s.conflictsBox.Visible() {
		t.Errorf("after the reload: banner %q, conflict shown %v", s.banner.label.Text, s.conflictsBox.Visible())
	}
}

func TestPrivacyExportWritesTheChosenFile(t *testing.T) {
	f := newFake()
	f.exportData = []byte(`{"consent_history":[],"ledger":[]}` + "\n")
	h := newHarness(t, f, testOpts)
	s := h.loadedPrivacy()
	path := filepath.Join(t.TempDir(), "my-data.json")
	var suggested string
	h.m.e.pickSave = func(name string, done func(fyne.URIWriteCloser, error)) {
		suggested = name
		w, err := storage.Writer(storage.NewFileURI(path))
		done(w, err)
	}

	test.Tap(s.exportBtn)
	h.waitFor("the export", func() bool { return !s.busy && s.dataStatus.Visible() })
	got, err := os.ReadFile(path)
	if err != nil || string(got) != string(f.exportData) {
		t.Errorf("exported file = %q, %v; want %q", got, err, f.exportData)
	}
	if !strings.HasPrefix(suggested, "cuepoint-companion-data-") || !strings.HasSuffix(suggested, ".json") {
		t.Errorf("suggested file name %q", suggested)
	}
	if want := "Saved everything the companion keeps about you (35 bytes) to " + path + "."; s.dataStatus.Text != want {
		t.Errorf("status = %q, want %q", s.dataStatus.Text, want)
	}

	// Cancelling the dialog does nothing.
	h.m.e.pickSave = func(_ string, done func(fyne.URIWriteCloser, error)) { done(nil, nil) }
	test.Tap(s.exportBtn)
	if s.busy {
		t.Error("a cancelled export keeps the screen busy")
	}
}

func TestPrivacyExportFailureIsExplained(t *testing.T) {
	f := newFake()
	f.exportErr = errors.New("the data file is locked")
	h := newHarness(t, f, testOpts)
	s := h.loadedPrivacy()
	path := filepath.Join(t.TempDir(), "out.json")
	h.m.e.pickSave = func(_ string, done func(fyne.URIWriteCloser, error)) {
		w, err := storage.Writer(storage.NewFileURI(path))
		done(w, err)
	}
	test.Tap(s.exportBtn)
	h.waitFor("the error", func() bool { return contains(topDialogTexts(h.m.win), "Could not export your data") })
	if !contains(topDialogTexts(h.m.win), "the data file is locked") || s.busy {
		t.Errorf("dialog %q, busy %v", topDialogTexts(h.m.win), s.busy)
	}
}

func TestPrivacyEraseConfirmsThenErases(t *testing.T) {
	f := newFake()
	f.grant()
	f.history = []consent.Decision{{Category: consent.CrashReports, State: consent.Granted, Version: 1, At: fakeNow, Source: consent.FromGUI}}
	f.erasePlan = agent.EraseReport{OutboxItems: 2, LedgerEntries: 5, ConsentDecisions: 1, ConsentHistory: 1, OutgoingFiles: 1}
	h := newHarness(t, f, testOpts)
	s := h.loadedPrivacy()

	test.Tap(s.eraseBtn)
	h.waitFor("the confirmation", func() bool { return contains(topDialogTexts(h.m.win), "This deletes, on this computer:") })
	texts := topDialogTexts(h.m.win)
	for _, want := range []string{"Erase my data?", "• 2 items waiting in the Outbox", "• 5 records of things sent", "• 1 decision",
		"• 1 entry in the history of your decisions", "• 1 file waiting in the outgoing folder"} {
		if !contains(texts, want) {
			t.Errorf("confirmation does not say %q; says %q", want, texts)
		}
	}
	if contains(texts, "crash") {
		t.Errorf("confirmation lists something that is not there: %q", texts)
	}
	var erases int
	h.fakeLocked(func() { erases = f.erases })
	if erases != 0 {
		t.Fatal("EraseData was called before the user confirmed")
	}

	test.Tap(findButton(h.m.win.Canvas().Overlays().Top(), "Erase"))
	h.waitFor("the erasure", func() bool { return contains(topDialogTexts(h.m.win), "Your data was erased") })
	h.fakeLocked(func() { erases = f.erases })
	if erases != 1 {
		t.Errorf("EraseData called %d times, want 1", erases)
	}
	if !contains(topDialogTexts(h.m.win), "Erased on 2026-03-14 09:30:") || !strings.Contains(s.dataStatus.Text, "• 5 records of things sent") {
		t.Errorf("report: dialog %q, status %q", topDialogTexts(h.m.win), s.dataStatus.Text)
	}
	h.waitFor("the reload", func() bool { return !s.loader.running && s.rows[0].radio.Selected == choiceUndecided })
	if s.historyRows[0][4] != "erasure" {
		t.Errorf("history after erasure starts with %q", s.historyRows[0])
	}
}

func TestPrivacyEraseCanBeDeclined(t *testing.T) {
	f := newFake()
	f.erasePlan = agent.EraseReport{LedgerEntries: 1}
	h := newHarness(t, f, testOpts)
	s := h.loadedPrivacy()
	test.Tap(s.eraseBtn)
	h.waitFor("the confirmation", func() bool { return contains(topDialogTexts(h.m.win), "• 1 record of something sent") })
	test.Tap(findButton(h.m.win.Canvas().Overlays().Top(), "Keep my data"))
	h.loop.drain()
	var erases int
	h.fakeLocked(func() { erases = f.erases })
	if erases != 0 || s.busy {
		t.Errorf("declining erased anyway (%d calls), busy %v", erases, s.busy)
	}
}

func TestPrivacyNoticeOpens(t *testing.T) {
	h := newHarness(t, newFake(), testOpts)
	s := h.loadedPrivacy()
	test.Tap(findButton(s.view(), "Read the privacy notice"))
	texts := topDialogTexts(h.m.win)
	for _, want := range []string{"Privacy notice", "CuePoint Companion — privacy notice", "Your rights", "Crash reports"} {
		if !contains(texts, want) {
			t.Errorf("notice dialog does not show %q; shows %q", want, texts)
		}
	}
	if contains(texts, "|---|") || contains(texts, "| category |") {
		t.Errorf("the notice shows raw Markdown table syntax: %q", texts)
	}
}

// --- pure functions ---

func TestChoiceAndDecisionText(t *testing.T) {
	at := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		d      consent.Decision
		choice string
		text   string
	}{
		{consent.Decision{Category: consent.CrashReports}, choiceUndecided, "You have not decided yet. Nothing is sent until you allow it."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Granted, Version: 1, At: at, Source: consent.FromGUI},
			choiceAlways, "Always send, since 2026-04-01 08:00 in this app."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Ask, Version: 1, At: at, Source: consent.FromGUI},
			choiceAsk, "Ask each time, since 2026-04-01 08:00 in this app: only what you press Send on is sent."},
		{consent.Decision{Category: consent.UsageStatistics, State: consent.Granted, Version: 1, At: at, Source: consent.FromGUI},
			choiceAllow, "Allowed on 2026-04-01 08:00 in this app."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Granted, Version: 0, At: at, Source: consent.FromGUI},
			choiceUndecided, "You allowed an earlier version on 2026-04-01 08:00; what is sent has changed since, so nothing is sent until you allow it again."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Ask, Version: 0, At: at, Source: consent.FromGUI},
			choiceUndecided, "You allowed an earlier version on 2026-04-01 08:00; what is sent has changed since, so nothing is sent until you allow it again."},
		// "ask each time" is not offered for usage statistics: it shows as undecided, not as a grant
		{consent.Decision{Category: consent.UsageStatistics, State: consent.Ask, Version: 1, At: at, Source: consent.FromCLI},
			choiceUndecided, "You allowed an earlier version on 2026-04-01 08:00; what is sent has changed since, so nothing is sent until you allow it again."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Denied, Version: 1, At: at, Source: consent.FromCLI},
			choiceNever, "Not allowed, decided on 2026-04-01 08:00 from the command line. Nothing is sent."},
		{consent.Decision{Category: consent.Diagnostics, State: consent.Denied, Version: 0, At: at, Source: consent.FromCuePoint},
			choiceDeny, "Not allowed, decided on 2026-04-01 08:00 inside CuePoint. Nothing is sent."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Undecided, Version: 1, At: at, Source: consent.FromGUI},
			choiceUndecided, "Set back to undecided on 2026-04-01 08:00 in this app. Nothing is sent."},
		{consent.Decision{Category: consent.Screenshots, State: consent.Undecided, Version: 1, At: at, Source: consent.FromErasure},
			choiceUndecided, "Set back to undecided on 2026-04-01 08:00 when you erased your data. Nothing is sent."},
		{consent.Decision{Category: "unknown", State: consent.Granted, Version: 1, At: at},
			choiceUndecided, "You allowed an earlier version on 2026-04-01 08:00; what is sent has changed since, so nothing is sent until you allow it again."},
	}
	for _, c := range cases {
		if got := choiceFor(c.d); got != c.choice {
			t.Errorf("choiceFor(%+v) = %q, want %q", c.d, got, c.choice)
		}
		if got := decisionText(c.d); got != c.text {
			t.Errorf("decisionText(%+v) = %q, want %q", c.d, got, c.text)
		}
	}
	// Every offered choice round-trips through the state it records.
	for _, info := range consent.Categories {
		for _, choice := range consentChoices(info, true) {
			st, ok := stateFor(choice)
			d := consent.Decision{Category: info.Category, State: st, Version: info.Version}
			if !ok || choiceFor(d) != choice {
				t.Errorf("%s: stateFor(%q) = %q, %v does not round-trip (shows %q)", info.Category, choice, st, ok, choiceFor(d))
			}
		}
	}
	if _, ok := stateFor(""); ok {
		t.Error(`stateFor("") accepted an empty choice`)
	}
}

func TestConsentChoices(t *testing.T) {
	crash, _ := consent.Lookup(consent.CrashReports)
	usage, _ := consent.Lookup(consent.UsageStatistics)
	cases := []struct {
		info consent.Info
		und  bool
		want []string
	}{
		{crash, true, []string{"Undecided", "Always send", "Ask each time", "Never"}},
		{crash, false, []string{"Always send", "Ask each time", "Never"}},
		{usage, true, []string{"Undecided", "Allow", "Don't allow"}},
		{usage, false, []string{"Allow", "Don't allow"}},
	}
	for _, c := range cases {
		if got := consentChoices(c.info, c.und); !slices.Equal(got, c.want) {
			t.Errorf("consentChoices(%s, %v) = %q, want %q", c.info.Category, c.und, got, c.want)
		}
	}
}

func TestHistoryRow(t *testing.T) {
	at := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		d    consent.Decision
		want []string
	}{
		{consent.Decision{Category: consent.CrashReports, State: consent.Denied, Version: 1, PolicyVersion: 1, At: at, Source: consent.FromCLI},
			[]string{"2026-04-01 08:00", "Crash reports", "Never", "v1 · notice v1", "command line"}},
		{consent.Decision{Category: consent.PerformanceReports, State: consent.Granted, Version: 2, At: at, Source: consent.FromCuePoint},
			[]string{"2026-04-01 08:00", "Performance reports", "Allow", "v2", "CuePoint"}},
		{consent.Decision{Category: "gone", State: "maybe"},
			[]string{"unknown", "gone", "maybe", "v0", "unknown"}},
	}
	for _, c := range cases {
		if got := historyRow(c.d); !slices.Equal(got, c.want) {
			t.Errorf("historyRow(%+v) = %q, want %q", c.d, got, c.want)
		}
	}
	d := func(min int) consent.Decision {
		return consent.Decision{Category: consent.CrashReports, Version: min, At: at.Add(time.Duration(min/10) * time.Minute)}
	}
	// oldest first in, newest first out; the later record of the same minute first
	got := newestFirst([]consent.Decision{d(1), d(2), d(10), d(3)})
	var order []int
	for _, x := range got {
		order = append(order, x.Version)
	}
	if want := []int{10, 3, 2, 1}; !slices.Equal(order, want) {
		t.Errorf("newestFirst order = %v, want %v", order, want)
	}
}

func TestEraseTexts(t *testing.T) {
	full := agent.EraseReport{At: time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC), OutboxItems: 1, LedgerEntries: 2,
		ConsentDecisions: 6, ConsentHistory: 1, CrashStates: 3, OutgoingFiles: 2}
	plan := erasePlanText(full)
	for _, want := range []string{"• 1 item waiting in the Outbox", "• 2 records of things sent", "• 6 decisions",
		"• 1 entry in the history of your decisions", "• 3 notes of which crashes you sent or dismissed",
		"• 2 files waiting in the outgoing folder", "A note that an erasure happened (its time and these counts) stays.",
		"This cannot be undone."} {
		if !strings.Contains(plan, want) {
			t.Errorf("erasePlanText does not say %q:\n%s", want, plan)
		}
	}
	if strings.Contains(plan, "anonymous") {
		t.Errorf("erasePlanText lists anonymous IDs although there are none:\n%s", plan)
	}
	if got := erasePlanText(agent.EraseReport{}); !strings.HasPrefix(got, "The companion keeps nothing about you") {
		t.Errorf("empty plan = %q", got)
	}
	done := eraseDoneText(full)
	if !strings.HasPrefix(done, "Erased on 2026-04-01 08:00:\n• 1 item waiting in the Outbox") ||
		!strings.HasSuffix(done, "Every category is undecided again; nothing is sent until you decide.") {
		t.Errorf("eraseDoneText = %q", done)
	}
	if got := eraseDoneText(agent.EraseReport{}); got != "Erased: there was nothing stored. Every category is undecided." {
		t.Errorf("empty erasure = %q", got)
	}
	if got := exportFileName(time.Date(2026, 4, 1, 23, 0, 0, 0, time.UTC)); got != "cuepoint-companion-data-2026-04-01.json" {
		t.Errorf("exportFileName = %q", got)
	}
}

func TestNoticeMarkdown(t *testing.T) {
	in := "# Title\n\nSome *text* | with a pipe.\n\n| category | what | when |\n|---|:--|--:|\n" +
		"| Crash reports | the error | on Send |\n| Usage | events |  |\n\nAfter.\n"
	want := "# Title\n\nSome *text* | with a pipe.\n\n" +
		"- **Crash reports** — what: the error; when: on Send\n- **Usage** — what: events\n\nAfter.\n"
	if got := noticeMarkdown(in); got != want {
		t.Errorf("noticeMarkdown =\n%s\nwant\n%s", got, want)
	}
	// Lines that only wrap a paragraph or list item are joined; blocks stay apart.
	in = "# Head\nA wrapped\nparagraph.\n\n- **Item**: one\n  continued\n- two\n1. first\n\n```\ncode\nkept\n```\nhard  \nbreak\n"
	want = "# Head\nA wrapped paragraph.\n\n- **Item**: one continued\n- two\n1. first\n\n```\ncode\nkept\n```\nhard  \nbreak\n"
	if got := noticeMarkdown(in); got != want {
		t.Errorf("noticeMarkdown =\n%q\nwant\n%q", got, want)
	}
	// The embedded notice has no table left after the conversion, and keeps its text.
	got := noticeMarkdown(assets.PrivacyNotice)
	if strings.Contains(got, "|---|") || !strings.Contains(got, "- **Crash reports** — what: CuePoint's crash files") {
		t.Errorf("the embedded notice was not converted:\n%s", got)
	}
}
