package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestNavigationListsTheScreens(t *testing.T) {
	h := newHarness(t, newFixture(), testOpts)
	if h.m.win.Title() != "CuePoint Companion" {
		t.Errorf("title = %q", h.m.win.Title())
	}
	texts := visibleTexts(h.m.nav)
	for _, want := range []string{"Crashes", "Outbox", "What left", "Privacy", "Clean a log"} {
		if !contains(texts, want) {
			t.Errorf("navigation does not list %q: %q", want, texts)
		}
	}
	if h.m.current != 0 || h.m.stack.Objects[0] != h.m.built[0].view() {
		t.Error("a fresh start does not open the Crashes screen")
	}
	p := h.privacy()
	if h.m.stack.Objects[0] != p.view() || h.m.specs[h.m.current].ID != "privacy" {
		t.Error("selecting Privacy does not show it")
	}
}

func TestPreferencesRememberLastScreen(t *testing.T) {
	a := test.NewTempApp(t)
	h := newHarnessOn(t, a, newFixture(), testOpts)
	h.m.nav.Select(1)
	if got := a.Preferences().String(prefScreen); got != "outbox" {
		t.Fatalf("preference %q = %q, want outbox", prefScreen, got)
	}

	again := newHarnessOn(t, a, newFixture(), testOpts)
	if again.m.current != 1 || again.m.built[1] == nil || again.m.stack.Objects[0] != again.m.built[1].view() {
		t.Errorf("a new window opened screen %d, want the Outbox (1)", again.m.current)
	}
	if again.m.built[0] != nil {
		t.Error("screens not shown are built anyway")
	}

	a.Preferences().SetString(prefScreen, "a-screen-from-the-future")
	third := newHarnessOn(t, a, newFixture(), testOpts)
	if third.m.current != 0 {
		t.Errorf("an unknown saved screen opened %d, want the first", third.m.current)
	}
}

func TestPreferencesRememberWindowSize(t *testing.T) {
	a := test.NewTempApp(t)
	h := newHarnessOn(t, a, newFixture(), testOpts)
	h.m.win.Resize(fyne.NewSize(900, 640))
	h.m.saveWindowState()
	if w, hh := a.Preferences().Float(prefWidth), a.Preferences().Float(prefHeight); w != 900 || hh != 640 {
		t.Fatalf("saved %vx%v, want 900x640", w, hh)
	}

	loop := &testLoop{}
	m := newMainWindow(a, newFixture(), testOpts, loop.threading())
	t.Cleanup(func() { m.win.Close(); loop.drain() })
	if got := m.win.Canvas().Size(); got != fyne.NewSize(900, 640) {
		t.Errorf("restored size %v, want 900x640", got)
	}
}

func TestNewMainWindowStartsWithoutBlocking(t *testing.T) {
	a := test.NewTempApp(t)
	f := newFixture()
	// Never opened: the backend hangs, so the real fyne.Do (which the test driver runs on
	// the calling goroutine) never touches widgets behind this test's back.
	f.gate = make(chan struct{})
	w := NewMainWindow(a, f, testOpts)
	if w.Title() != "CuePoint Companion" || w.Content() == nil {
		t.Errorf("window %q with content %v", w.Title(), w.Content())
	}
	if a.Preferences().String(prefScreen) != "crashes" {
		t.Errorf("first screen not recorded: %q", a.Preferences().String(prefScreen))
	}
}

func TestSanitizeSize(t *testing.T) {
	nan := func() float64 { z := 0.0; return z / z }()
	cases := []struct {
		w, h float64
		want fyne.Size
	}{
		{1200, 800, fyne.NewSize(1200, 800)},
		{0, 0, defaultWindowSize},
		{-5, 800, defaultWindowSize},
		{300, 200, fyne.NewSize(480, 360)},
		{1e9, 800, defaultWindowSize},
		{nan, 800, defaultWindowSize},
	}
	for _, c := range cases {
		if got := sanitizeSize(c.w, c.h); got != c.want {
			t.Errorf("sanitizeSize(%v, %v) = %v, want %v", c.w, c.h, got, c.want)
		}
	}
}

func TestScreenIndex(t *testing.T) {
	specs := allScreens()
	for i, s := range specs {
		if got := screenIndex(specs, s.ID); got != i {
			t.Errorf("screenIndex(%q) = %d, want %d", s.ID, got, i)
		}
	}
	if screenIndex(specs, "") != 0 || screenIndex(specs, "gone") != 0 {
		t.Error("unknown screens do not fall back to the first")
	}
	seen := map[string]bool{}
	for _, s := range specs {
		if s.ID == "" || seen[s.ID] || s.Title == "" || s.New == nil || s.Icon == nil {
			t.Errorf("bad screen registration %+v", s)
		}
		seen[s.ID] = true
	}
}
