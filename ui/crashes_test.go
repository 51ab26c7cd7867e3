package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent"
)

var testOpts = Options{
	CuePointHome: "/home/dj/.cuepoint",
	DataDir:      "/home/dj/.local/share/cuepoint-companion",
	Destination:  "folder /home/dj/.local/share/cuepoint-companion/outgoing",
}

func contains(texts []string, want string) bool {
	return slices.ContainsFunc(texts, func(s string) bool { return strings.Contains(s, want) })
}

func TestCrashListRendersGroupsNewestFirst(t *testing.T) {
	h := newHarness(t, newFixture(), testOpts)
	s := h.loadedCrashes()

	if got := len(s.groups); got != 2 {
		t.Fatalf("list holds %d groups, want 2", got)
	}
	if s.groups[0].ID != newerGroup.ID {
		t.Errorf("first row is %s, want the newest crash %s", s.groups[0].ID, newerGroup.ID)
	}
	texts := visibleTexts(s.list)
	wantInOrder := []string{
		"KeyError: 'bpm'",
		"3 reports · first 2026-02-01 08:15 · last 2026-03-10 21:05 · not sent",
		"ValueError: bad tempo",
		"1 report · first 2026-01-02 10:00 · last 2026-01-02 10:00 · not sent",
	}
	at := 0
	for _, txt := range texts {
		if at < len(wantInOrder) && txt == wantInOrder[at] {
			at++
		}
	}
	if at != len(wantInOrder) {
		t.Errorf("list shows %q; want, in this order, %q", texts, wantInOrder)
	}
	if s.empty.Visible() {
		t.Error("empty state is visible although there are crashes")
	}
	if s.selected != newerGroup.ID || !s.detail.Visible() {
		t.Errorf("the newest crash is not opened on first load (selected %q)", s.selected)
	}
}

func TestSelectingShowsPayloadVerbatim(t *testing.T) {
	h := newHarness(t, newFixture(), testOpts)
	s := h.loadedCrashes()

	s.list.Select(0)
	h.waitFor("the preview", func() bool { return s.previewHave })

	if s.payload.Text != string(fakePayload) {
		t.Errorf("payload shown differs from the bytes the backend returned:\n got %q\nwant %q", s.payload.Text, fakePayload)
	}
	if !s.payload.TextStyle.Monospace || s.payload.Wrapping != fyne.TextWrapOff || !s.payload.MultiLine ||
		s.payload.Scroll != fyne.ScrollBoth {
		t.Errorf("payload entry style: monospace=%v wrapping=%v multiline=%v scroll=%v",
			s.payload.TextStyle.Monospace, s.payload.Wrapping, s.payload.MultiLine, s.payload.Scroll)
	}
	if !s.detail.Visible() {
		t.Fatal("detail pane hidden after selecting")
	}
	checks := map[string]string{
		"title":       s.title.Text,
		"culprit":     s.culprit.Text,
		"count":       s.count.Text,
		"first":       s.first.Text,
		"last":        s.last.Text,
		"version":     s.version.Text,
		"destination": s.destination.Text,
	}
	want := map[string]string{
		"title":       "KeyError: 'bpm'",
		"culprit":     "cuepoint.data.beatport in parse_results",
		"count":       "3 reports",
		"first":       "2026-02-01 08:15",
		"last":        "2026-03-10 21:05",
		"version":     "1.5.2",
		"destination": "Sentry at 127.0.0.1:9 (project 42)",
	}
	for k, w := range want {
		if checks[k] != w {
			t.Errorf("%s = %q, want %q", k, checks[k], w)
		}
	}
	for _, name := range []string{"crash-20260201-081500", "crash-20260305-120000", "crash-20260310-210500"} {
		if !strings.Contains(s.reports.Text, name) {
			t.Errorf("reports %q do not name %s", s.reports.Text, name)
		}
	}
	if !strings.Contains(s.reports.Text, "incomplete") {
		t.Errorf("the partial report is not marked: %q", s.reports.Text)
	}
	if !contains(visibleTexts(s.detail), "Exactly what will be sent") {
		t.Error(`the payload is not labelled "Exactly what will be sent"`)
	}

	// The preview can be selected and copied, never edited.
	test.Type(s.payload, "x")
	s.payload.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	s.payload.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	s.payload.TypedShortcut(&fyne.ShortcutSelectAll{})
	s.payload.TypedShortcut(&fyne.ShortcutCut{Clipboard: h.app.Clipboard()})
	s.payload.TypedShortcut(&fyne.ShortcutPaste{Clipboard: h.app.Clipboard()})
	if s.payload.Text != string(fakePayload) {
		t.Errorf("typing into the preview changed it to %q", s.payload.Text)
	}
	s.payload.TypedShortcut(&fyne.ShortcutCopy{Clipboard: h.app.Clipboard()})
	if got := h.app.Clipboard().Content(); got != string(fakePayload) {
		t.Errorf("select all + copy put %q on the clipboard", got)
	}

	// Choosing the other crash replaces the preview with that crash's bytes.
	s.list.Select(1)
	h.waitFor("the second preview", func() bool { return s.previewHave && s.previewID == olderGroup.ID })
	if s.payload.Text != "older\n" {
		t.Errorf("second preview shows %q", s.payload.Text)
	}
}

func TestSendEnabledOnlyWhenAllowed(t *testing.T) {
	cases := []struct {
		name     string
		decision *consent.Decision // nil: never decided
		choice   string
		enabled  bool
		hint     string
	}{
		{"undecided", nil, choiceUndecided, false, "You have not decided yet. Choose “Always send” or “Ask each time” above to send."},
		{"never", &consent.Decision{Category: consent.CrashReports, State: consent.Denied, Version: 1, At: fakeNow},
			choiceNever, false, "Crash reports are set to “Never”. Choose “Always send” or “Ask each time” above to send."},
		{"granted for an older version", &consent.Decision{Category: consent.CrashReports, State: consent.Granted, Version: 0, At: fakeNow},
			choiceUndecided, false, "What crash reports contain has changed since you agreed. Choose “Always send” or “Ask each time” above to send."},
		{"always send", &consent.Decision{Category: consent.CrashReports, State: consent.Granted, Version: 1, At: fakeNow},
			choiceAlways, true, ""},
		// pressing Send is the approval "ask each time" waits for
		{"ask each time", &consent.Decision{Category: consent.CrashReports, State: consent.Ask, Version: 1, At: fakeNow},
			choiceAsk, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture()
			if c.decision != nil {
				f.decisions[consent.CrashReports] = *c.decision
			}
			h := newHarness(t, f, testOpts)
			s := h.loadedCrashes()
			s.list.Select(0)
			h.waitFor("the preview", func() bool { return s.previewHave })

			if s.choice.Selected != c.choice {
				t.Errorf("consent choice = %q, want %q", s.choice.Selected, c.choice)
			}
			if s.choice.Disabled() {
				t.Error("consent choice is disabled after the decision loaded")
			}
			if want := []string{choiceUndecided, choiceAlways, choiceAsk, choiceNever}; !slices.Equal(s.choice.Options, want) {
				t.Errorf("consent choices = %q, want %q", s.choice.Options, want)
			}
			if got := !s.sendBtn.Disabled(); got != c.enabled {
				t.Errorf("Send enabled = %v, want %v", got, c.enabled)
			}
			if s.hint.Text != c.hint || s.hint.Visible() != (c.hint != "") {
				t.Errorf("hint = %q (visible %v), want %q", s.hint.Text, s.hint.Visible(), c.hint)
			}
			if s.dontBtn.Disabled() {
				t.Error(`"Don't send" is disabled; it never needs consent`)
			}
			// Showing the recorded decision must not record it again (new time, new source).
			h.fakeLocked(func() {
				if len(h.fake.sets) != 0 {
					t.Errorf("loading the screen called SetDecision: %v", h.fake.sets)
				}
			})
		})
	}
}

func TestConsentChoiceCallsSetDecisionFromGUI(t *testing.T) {
	h := newHarness(t, newFixture(), testOpts)
	s := h.loadedCrashes()
	s.list.Select(0)
	h.waitFor("the preview", func() bool { return s.previewHave })
	if !s.sendBtn.Disabled() {
		t.Fatal("Send enabled before consent")
	}

	var want []setCall
	for _, step := range []struct {
		choice string
		state  consent.State
		send   bool
		status string
	}{
		{choiceAlways, consent.Granted, true, "Always send, since 2026-03-14 09:30."},
		{choiceAsk, consent.Ask, true, "Ask each time, since 2026-03-14 09:30: a report is sent only when you press Send on it."},
		{choiceNever, consent.Denied, false, "Never, since 2026-03-14 09:30. Nothing is sent."},
		{choiceUndecided, consent.Undecided, false, "You have not decided yet. Nothing is sent until you choose."},
	} {
		s.choice.SetSelected(step.choice) // what tapping the option does
		h.waitFor("the choice to be saved", func() bool { return !s.savingConsent })
		want = append(want, setCall{consent.CrashReports, step.state, consent.FromGUI})
		var sets []setCall
		h.fakeLocked(func() { sets = slices.Clone(h.fake.sets) })
		if !slices.Equal(sets, want) {
			t.Fatalf("after %q: SetDecision calls = %v, want %v", step.choice, sets, want)
		}
		if s.choice.Selected != step.choice || s.sendBtn.Disabled() == step.send {
			t.Errorf("after %q: choice %q, send disabled=%v, hint %q", step.choice, s.choice.Selected, s.sendBtn.Disabled(), s.hint.Text)
		}
		if s.consentStatus.Text != step.status {
			t.Errorf("after %q: consent status = %q, want %q", step.choice, s.consentStatus.Text, step.status)
		}
	}

	// Showing a reloaded decision must not be mistaken for the user choosing.
	h.fake.changes <- struct{}{}
	h.waitFor("a reload", func() bool { return !s.loader.running })
	var sets []setCall
	h.fakeLocked(func() { sets = slices.Clone(h.fake.sets) })
	if len(sets) != len(want) {
		t.Errorf("a reload called SetDecision: %v", sets)
	}
}

func TestConsentSaveFailureRevertsAndExplains(t *testing.T) {
	f := newFixture()
	f.setErr = errors.New("database is read-only")
	h := newHarness(t, f, testOpts)
	s := h.loadedCrashes()

	s.choice.SetSelected(choiceAlways)
	h.waitFor("the failed save", func() bool { return !s.savingConsent })
	if s.choice.Selected != choiceUndecided {
		t.Errorf("choice stays %q although the grant was not saved", s.choice.Selected)
	}
	if !s.banner.box.Visible() || !strings.Contains(s.banner.label.Text, "database is read-only") {
		t.Errorf("banner visible=%v text %q", s.banner.box.Visible(), s.banner.label.Text)
	}
}

func TestSendCallsBackendThenRefreshes(t *testing.T) {
	f := newFixture()
	f.grant()
	h := newHarness(t, f, testOpts)
	s := h.loadedCrashes()
	s.list.Select(0)
	h.waitFor("the preview", func() bool { return s.previewHave })
	var before int
	h.fakeLocked(func() { before = h.fake.groupCalls })

	test.Tap(s.sendBtn)
	if !s.progress.Visible() || !s.cancelBtn.Visible() || !s.sendBtn.Disabled() {
		t.Errorf("while sending: progress=%v cancel=%v send disabled=%v",
			s.progress.Visible(), s.cancelBtn.Visible(), s.sendBtn.Disabled())
	}
	h.waitFor("the result dialog", func() bool { return contains(topDialogTexts(h.m.win), "Sent 3 reports") })
	h.waitFor("the list to refresh", func() bool {
		var calls int
		h.fakeLocked(func() { calls = h.fake.groupCalls })
		return calls > before && !s.loader.running
	})

	var sends []string
	h.fakeLocked(func() { sends = slices.Clone(h.fake.sends) })
	if !slices.Equal(sends, []string{newerGroup.ID}) {
		t.Errorf("SendCrashGroup calls = %v, want [%s]", sends, newerGroup.ID)
	}
	if !contains(visibleTexts(s.list), "last 2026-03-10 21:05 · sent") {
		t.Errorf("list after send shows %q; want the group marked sent", visibleTexts(s.list))
	}
	if s.progress.Visible() || s.cancelBtn.Visible() {
		t.Error("progress still shown after the send finished")
	}
	if !s.sendBtn.Disabled() || s.hint.Text != "Already sent." {
		t.Errorf("after sending: send disabled=%v hint=%q", s.sendBtn.Disabled(), s.hint.Text)
	}
}

func TestSendErrorIsShownInADialog(t *testing.T) {
	f := newFixture()
	f.grant()
	f.sendErr = fmt.Errorf("queue crash: %w", consent.ErrNotGranted)
	h := newHarness(t, f, testOpts)
	s := h.loadedCrashes()
	s.list.Select(0)
	h.waitFor("the preview", func() bool { return s.previewHave })

	test.Tap(s.sendBtn)
	h.waitFor("the error dialog", func() bool {
		return contains(topDialogTexts(h.m.win), "Could not send the crash report")
	})
	if !contains(topDialogTexts(h.m.win), "have not allowed") {
		t.Errorf("dialog does not say what to do: %q", topDialogTexts(h.m.win))
	}
	if s.busy || s.sendBtn.Disabled() {
		t.Error("screen stays busy after a failed send")
	}
}

func TestSendCanBeCancelled(t *testing.T) {
	f := newFixture()
	f.grant()
	f.sendWait = true
	h := newHarness(t, f, testOpts)
	s := h.loadedCrashes()
	s.list.Select(0)
	h.waitFor("the preview", func() bool { return s.previewHave })

	test.Tap(s.sendBtn)
	h.waitFor("the send to start", func() bool {
		var n int
		h.fakeLocked(func() { n = len(h.fake.sends) })
		return n == 1
	})
	if !s.cancelBtn.Visible() {
		t.Fatal("no Cancel button while sending")
	}
	test.Tap(s.cancelBtn)
	h.waitFor("the cancelled dialog", func() bool { return contains(topDialogTexts(h.m.win), "Sending was cancelled") })
	if s.busy || s.progress.Visible() || s.cancelBtn.Visible() {
		t.Errorf("after cancel: busy=%v progress=%v cancel=%v", s.busy, s.progress.Visible(), s.cancelBtn.Visible())
	}
}

func TestDontSendCallsDismiss(t *testing.T) {
	h := newHarness(t, newFixture(), testOpts)
	s := h.loadedCrashes()
	s.list.Select(1)
	h.waitFor("the preview", func() bool { return s.previewHave })

	test.Tap(s.dontBtn)
	h.waitFor("the dismissal and reload", func() bool {
		var n int
		h.fakeLocked(func() { n = len(h.fake.dismisses) })
		return n == 1 && !s.busy && !s.loader.running && s.groups[1].Status == agent.StatusDismissed
	})
	var dismisses, sends []string
	h.fakeLocked(func() { dismisses, sends = slices.Clone(h.fake.dismisses), slices.Clone(h.fake.sends) })
	if !slices.Equal(dismisses, []string{olderGroup.ID}) || len(sends) != 0 {
		t.Errorf("dismisses = %v, sends = %v; want only %s dismissed", dismisses, sends, olderGroup.ID)
	}
	if s.selected != olderGroup.ID || s.status.Text != "not sending (your choice)" || !s.dontBtn.Disabled() {
		t.Errorf("after dismissing: selected %s, status %q, don't-send disabled %v", s.selected, s.status.Text, s.dontBtn.Disabled())
	}
}

func TestCrashEmptyStateWithProblems(t *testing.T) {
	f := newFake()
	f.problems = []agent.Problem{{File: "/home/dj/.cuepoint/crashes/crash-20260101-000000.json", Message: "not valid JSON at byte 12"}}
	h := newHarness(t, f, testOpts)
	s := h.loadedCrashes()

	want := "No CuePoint crashes found in /home/dj/.cuepoint — that's good news."
	if !s.empty.Visible() || s.empty.Text != want {
		t.Errorf("empty state visible=%v text=%q, want %q", s.empty.Visible(), s.empty.Text, want)
	}
	if !s.problemsBox.Visible() || len(s.problemsAcc.Items) != 1 || !s.problemsAcc.Items[0].Open {
		t.Fatal("problems are not shown open beside the empty state")
	}
	texts := visibleTexts(s.problemsBox)
	if !contains(texts, "1 file could not be read") ||
		!contains(texts, "crash-20260101-000000.json — not valid JSON at byte 12") {
		t.Errorf("problems area shows %q", texts)
	}
	// Golden markup: on a deliberate change, review testdata/failed/crashes_empty.xml and
	// move it over testdata/crashes_empty.xml.
	test.AssertObjectRendersToMarkup(t, "crashes_empty.xml", s.view())
}

func TestCrashEmptyStateWithoutProblems(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	s := h.loadedCrashes()
	if s.empty.Text != "No CuePoint crashes found — that's good news." || s.problemsBox.Visible() {
		t.Errorf("empty=%q problems visible=%v", s.empty.Text, s.problemsBox.Visible())
	}
}

func TestCrashLoadFailuresAreExplained(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(f *fakeBackend)
		want string
	}{
		{"error", func(f *fakeBackend) { f.groupsErr = errors.New("crash folder is not readable") },
			"Could not load the crashes: crash folder is not readable. Try again."},
		{"panic", func(f *fakeBackend) { f.panicking = true }, "internal error: fake backend exploded"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture()
			c.set(f)
			h := newHarness(t, f, testOpts)
			s := h.crashes()
			h.waitFor("the banner", func() bool { return s.banner.box.Visible() })
			if !strings.Contains(s.banner.label.Text, c.want) {
				t.Errorf("banner = %q, want it to contain %q", s.banner.label.Text, c.want)
			}
			// Retry after the cause is gone shows the crashes.
			h.fakeLocked(func() { f.groupsErr, f.panicking = nil, false })
			test.Tap(s.banner.retry)
			h.waitFor("the retry", func() bool { return s.loaded && !s.loader.running })
			if s.banner.box.Visible() || len(s.groups) != 2 {
				t.Errorf("after retry: banner %v, %d groups", s.banner.box.Visible(), len(s.groups))
			}
		})
	}
}

func TestPreviewFailureKeepsSendDisabled(t *testing.T) {
	f := newFixture()
	f.grant()
	f.previewErr = errors.New("envelope could not be built")
	h := newHarness(t, f, testOpts)
	s := h.loadedCrashes()
	s.list.Select(0)
	h.waitFor("the preview error", func() bool { return s.previewErr != nil })
	if !s.sendBtn.Disabled() {
		t.Error("Send is enabled although the user cannot see what would be sent")
	}
	if !strings.Contains(s.payloadNote.Text, "envelope could not be built") {
		t.Errorf("payload note = %q", s.payloadNote.Text)
	}
}

func TestChangesReloadTheScreens(t *testing.T) {
	f := newFixture()
	h := newHarness(t, f, testOpts)
	s := h.loadedCrashes()
	h.fakeLocked(func() {
		f.groups = append(f.groups, agent.CrashGroup{ID: "0000000000000bbb", Type: "OSError", Message: "disk full",
			Count: 1, First: fakeNow, Last: fakeNow, Status: agent.StatusNew})
	})
	f.changes <- struct{}{}
	h.waitFor("the new crash", func() bool { return len(s.groups) == 3 && !s.loader.running })
	if s.groups[0].Type != "OSError" {
		t.Errorf("newest crash is %s, want OSError first", s.groups[0].Type)
	}
	if !contains(visibleTexts(s.list), "OSError: disk full") {
		t.Errorf("list shows %q", visibleTexts(s.list))
	}
}

// --- pure functions ---

func TestGroupTexts(t *testing.T) {
	day := time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC)
	cases := []struct {
		g         agent.CrashGroup
		title, st string
	}{
		{agent.CrashGroup{Type: "KeyError", Message: "'bpm'", Count: 3, First: day, Last: day.Add(48 * time.Hour), Status: agent.StatusQueued},
			"KeyError: 'bpm'", "3 reports · first 2026-01-02 03:04 · last 2026-01-04 03:04 · waiting in the Outbox"},
		{agent.CrashGroup{Type: "ValueError", Message: "line one\n  line two", Count: 1, First: day, Last: day, Status: agent.StatusSent},
			"ValueError: line one line two", "1 report · first 2026-01-02 03:04 · last 2026-01-02 03:04 · sent"},
		{agent.CrashGroup{Type: "SystemExit", Count: 2, Status: agent.StatusDismissed},
			"SystemExit", "2 reports · first unknown · last unknown · not sending (your choice)"},
		{agent.CrashGroup{Message: "segfault"}, "segfault", "0 reports · first unknown · last unknown · unknown"},
		{agent.CrashGroup{}, "Unknown error", "0 reports · first unknown · last unknown · unknown"},
	}
	for _, c := range cases {
		if got := groupTitle(c.g); got != c.title {
			t.Errorf("groupTitle(%+v) = %q, want %q", c.g, got, c.title)
		}
		if got := groupSubtitle(c.g); got != c.st {
			t.Errorf("groupSubtitle(%+v) = %q, want %q", c.g, got, c.st)
		}
	}
}

func TestSortGroups(t *testing.T) {
	d := func(day int) time.Time { return time.Date(2026, 1, day, 0, 0, 0, 0, time.UTC) }
	in := []agent.CrashGroup{{ID: "b", Last: d(1)}, {ID: "c", Last: d(3)}, {ID: "a", Last: d(1)}, {ID: "z"}}
	got := sortGroups(in)
	var ids []string
	for _, g := range got {
		ids = append(ids, g.ID)
	}
	if want := []string{"c", "a", "b", "z"}; !slices.Equal(ids, want) {
		t.Errorf("order = %v, want %v", ids, want)
	}
	if in[0].ID != "b" {
		t.Error("sortGroups modified its input")
	}
}

func TestCrashActionsFor(t *testing.T) {
	granted := consent.Decision{Category: consent.CrashReports, State: consent.Granted, Version: 1}
	ask := consent.Decision{Category: consent.CrashReports, State: consent.Ask, Version: 1}
	stale := consent.Decision{Category: consent.CrashReports, State: consent.Granted, Version: 0}
	staleAsk := consent.Decision{Category: consent.CrashReports, State: consent.Ask, Version: 0}
	const choose = "Choose “Always send” or “Ask each time” above to send."
	denied := consent.Decision{Category: consent.CrashReports, State: consent.Denied, Version: 1}
	undecided := consent.Decision{Category: consent.CrashReports, State: consent.Undecided}
	fresh := agent.CrashGroup{Status: agent.StatusNew}
	cases := []struct {
		name    string
		d       consent.Decision
		known   bool
		g       agent.CrashGroup
		preview bool
		busy    bool
		want    crashActions
	}{
		{"granted", granted, true, fresh, true, false, crashActions{send: true, dontSend: true}},
		{"granted, queued", granted, true, agent.CrashGroup{Status: agent.StatusQueued}, true, false, crashActions{send: true, dontSend: true}},
		{"granted, preview missing", granted, true, fresh, false, false,
			crashActions{dontSend: true, hint: "Send is possible once the preview below is ready."}},
		{"ask each time", ask, true, fresh, true, false, crashActions{send: true, dontSend: true}},
		{"ask each time, preview missing", ask, true, fresh, false, false,
			crashActions{dontSend: true, hint: "Send is possible once the preview below is ready."}},
		{"undecided", undecided, true, fresh, true, false,
			crashActions{dontSend: true, hint: "You have not decided yet. " + choose}},
		{"denied", denied, true, fresh, true, false, crashActions{dontSend: true, hint: "Crash reports are set to “Never”. " + choose}},
		{"stale grant", stale, true, fresh, true, false,
			crashActions{dontSend: true, hint: "What crash reports contain has changed since you agreed. " + choose}},
		{"stale ask", staleAsk, true, fresh, true, false,
			crashActions{dontSend: true, hint: "What crash reports contain has changed since you agreed. " + choose}},
		{"decision unreadable", granted, false, fresh, true, false,
			crashActions{dontSend: true, hint: "Your choice about crash reports could not be read; see above."}},
		{"already sent", granted, true, agent.CrashGroup{Status: agent.StatusSent}, true, false, crashActions{hint: "Already sent."}},
		{"dismissed can still be sent", granted, true, agent.CrashGroup{Status: agent.StatusDismissed}, true, false, crashActions{send: true}},
		{"busy", granted, true, fresh, true, true, crashActions{}},
	}
	for _, c := range cases {
		if got := crashActionsFor(c.d, c.known, c.g, c.preview, c.busy); got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestPayloadText(t *testing.T) {
	cases := []struct {
		in         []byte
		text, note string
	}{
		{[]byte("{\"a\":1}\r\n\tx  \n"), "{\"a\":1}\r\n\tx  \n", "14 bytes"},
		{[]byte("Café"), "Café", "5 bytes"},
		{nil, "", "Nothing (0 bytes)"},
		{[]byte{'a', 0xff, 'b', 0xc3}, `a\xffb\xc3`, `4 bytes, 2 bytes not text, shown as \xNN`},
	}
	for _, c := range cases {
		text, note := payloadText(c.in)
		if text != c.text || note != c.note {
			t.Errorf("payloadText(%q) = %q, %q; want %q, %q", c.in, text, note, c.text, c.note)
		}
	}
}

func TestSendResultText(t *testing.T) {
	cases := []struct {
		r    agent.SendResult
		want string
	}{
		{agent.SendResult{Sent: 3, Message: "Sent 3 reports."}, "Sent 3 reports."},
		{agent.SendResult{Sent: 1}, "1 report sent."},
		{agent.SendResult{Queued: 2, Pending: 2}, "2 reports wait in the Outbox and will be retried."},
		{agent.SendResult{Sent: 1, AlreadySent: 2}, "1 report sent; 2 reports were already sent."},
		{agent.SendResult{}, "Nothing needed sending."},
	}
	for _, c := range cases {
		if got := sendResultText(c.r); got != c.want {
			t.Errorf("sendResultText(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
}

func TestConsentStatusText(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		d    consent.Decision
		want string
	}{
		{consent.Decision{Category: consent.CrashReports}, "You have not decided yet. Nothing is sent until you choose."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Granted, Version: 1, At: at, Source: consent.FromGUI}, "Always send, since 2026-03-01 12:00."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Granted, Version: 1, At: at, Source: consent.FromCLI},
			"Always send, since 2026-03-01 12:00 (set from the command line)."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Ask, Version: 1, At: at, Source: consent.FromCuePoint},
			"Ask each time, since 2026-03-01 12:00 (set inside CuePoint): a report is sent only when you press Send on it."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Denied, Version: 1, At: at}, "Never, since 2026-03-01 12:00. Nothing is sent."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Granted, Version: 0, At: at},
			"You agreed to an earlier version on 2026-03-01 12:00; what is sent has changed since, so nothing is sent until you choose again."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Undecided, Version: 1, At: at, Source: consent.FromErasure},
			"You have not decided yet. Nothing is sent until you choose."},
	}
	for _, c := range cases {
		if got := consentStatusText(c.d); got != c.want {
			t.Errorf("consentStatusText(%+v) = %q, want %q", c.d, got, c.want)
		}
	}
}
