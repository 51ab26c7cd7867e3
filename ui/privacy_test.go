package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/stuchain/cuepoint-companion/consent"
)

func TestPrivacyRowsShowDecisions(t *testing.T) {
	f := newFake()
	f.decisions[consent.CrashReports] = consent.Decision{Category: consent.CrashReports, State: consent.Denied,
		Version: 1, At: fakeNow, Source: consent.FromCLI}
	h := newHarness(t, f, testOpts)
	s := h.privacy()
	h.waitFor("the decisions to load", func() bool { return s.rows[0].known && !s.loader.running })

	if len(s.rows) != len(consent.Categories) {
		t.Fatalf("%d rows for %d categories", len(s.rows), len(consent.Categories))
	}
	r := s.rows[0]
	if r.radio.Selected != choiceDeny || r.radio.Disabled() {
		t.Errorf("radio = %q (disabled %v), want %q enabled", r.radio.Selected, r.radio.Disabled(), choiceDeny)
	}
	if want := "Not allowed, decided on 2026-03-14 09:30 from the command line. Nothing is sent."; r.when.Text != want {
		t.Errorf("decision line = %q, want %q", r.when.Text, want)
	}
	texts := visibleTexts(s.view())
	info, _ := consent.Lookup(consent.CrashReports)
	for _, want := range []string{"Crash reports", "Undecided", "Allow", "Don't allow", "Sends go to: folder /home/dj/.local/share/cuepoint-companion/outgoing"} {
		if !contains(texts, want) {
			t.Errorf("privacy screen does not show %q; shows %q", want, texts)
		}
	}
	if !contains(texts, info.Explain[:40]) {
		t.Errorf("the explanation is missing; screen shows %q", texts)
	}
	test.AssertObjectRendersToMarkup(t, "privacy.xml", s.view())
}

func TestPrivacyRadioCallsSetDecision(t *testing.T) {
	h := newHarness(t, newFake(), testOpts)
	s := h.privacy()
	r := s.rows[0]
	h.waitFor("the decisions to load", func() bool { return r.known && !s.loader.running })
	if r.radio.Selected != choiceUndecided {
		t.Fatalf("a fresh install shows %q, want %q (nothing pre-ticked)", r.radio.Selected, choiceUndecided)
	}

	var want []setCall
	for _, step := range []struct {
		choice string
		state  consent.State
	}{{choiceAllow, consent.Granted}, {choiceDeny, consent.Denied}, {choiceUndecided, consent.Undecided}} {
		r.radio.SetSelected(step.choice) // what tapping the option does
		h.waitFor("the choice to be saved", func() bool { return !r.saving })
		want = append(want, setCall{consent.CrashReports, step.state, consent.FromGUI})
		var got []setCall
		h.fakeLocked(func() { got = slices.Clone(h.fake.sets) })
		if !slices.Equal(got, want) {
			t.Fatalf("after choosing %q: SetDecision calls = %v, want %v", step.choice, got, want)
		}
		if r.radio.Selected != step.choice || !strings.Contains(r.when.Text, "2026-03-14 09:30 in this app") {
			t.Errorf("after choosing %q: radio %q, line %q", step.choice, r.radio.Selected, r.when.Text)
		}
	}

	// A reload shows the same decision without writing it again.
	h.fake.changes <- struct{}{}
	h.waitFor("a reload", func() bool { return !s.loader.running })
	var n int
	h.fakeLocked(func() { n = len(h.fake.sets) })
	if n != len(want) {
		t.Errorf("a reload called SetDecision: %d calls, want %d", n, len(want))
	}
}

func TestPrivacySaveFailureReverts(t *testing.T) {
	f := newFake()
	f.setErr = errors.New("disk full")
	h := newHarness(t, f, testOpts)
	s := h.privacy()
	r := s.rows[0]
	h.waitFor("the decisions to load", func() bool { return r.known && !s.loader.running })

	r.radio.SetSelected(choiceAllow)
	h.waitFor("the failed save", func() bool { return !r.saving })
	if r.radio.Selected != choiceUndecided {
		t.Errorf("radio shows %q although nothing was saved", r.radio.Selected)
	}
	if !s.banner.box.Visible() || !strings.Contains(s.banner.label.Text, "Could not save your choice about crash reports: disk full.") {
		t.Errorf("banner visible %v, %q", s.banner.box.Visible(), s.banner.label.Text)
	}
}

func TestChoiceAndDecisionText(t *testing.T) {
	at := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		d      consent.Decision
		choice string
		text   string
	}{
		{consent.Decision{Category: consent.CrashReports}, choiceUndecided, "You have not decided yet. Nothing is sent until you allow it."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Granted, Version: 1, At: at, Source: consent.FromGUI},
			choiceAllow, "Allowed on 2026-04-01 08:00 in this app."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Granted, Version: 0, At: at, Source: consent.FromGUI},
			choiceUndecided, "You allowed an earlier version on 2026-04-01 08:00; what is sent has changed since, so nothing is sent until you allow it again."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Denied, Version: 1, At: at, Source: consent.FromCLI},
			choiceDeny, "Not allowed, decided on 2026-04-01 08:00 from the command line. Nothing is sent."},
		{consent.Decision{Category: consent.CrashReports, State: consent.Undecided, Version: 1, At: at, Source: consent.FromGUI},
			choiceUndecided, "Set back to undecided on 2026-04-01 08:00 in this app. Nothing is sent."},
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
	for _, choice := range privacyChoices {
		st, ok := stateFor(choice)
		if !ok || choiceFor(consent.Decision{Category: consent.CrashReports, State: st, Version: 1}) != choice {
			t.Errorf("stateFor(%q) = %q, %v does not round-trip", choice, st, ok)
		}
	}
	if _, ok := stateFor(""); ok {
		t.Error(`stateFor("") accepted an empty choice`)
	}
}
