package ui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

const pastedLog = "2026-03-14 09:30:00 ERROR cuepoint.data.beatport: login failed for alice@example.com\n" +
	"  File \"/home/alice/cuepoint/beatport.py\", line 42, in parse_results\n"

const cleanedLog = "2026-03-14 09:30:00 ERROR cuepoint.data.beatport: login failed for <email-1>\n" +
	"  File \"~/cuepoint/beatport.py\", line 42, in parse_results\n"

func TestScrubCleansPastedTextAndCopies(t *testing.T) {
	h := newHarness(t, newFake(), testOpts)
	s := h.scrub()
	if !s.clean.Disabled() || !s.copyBtn.Disabled() {
		t.Error("Clean or Copy enabled with nothing to work on")
	}

	s.input.SetText(pastedLog) // what pasting does
	if s.clean.Disabled() {
		t.Fatal("Clean stays disabled after pasting")
	}
	test.Tap(s.clean)
	h.waitFor("the cleaned text", func() bool { return !s.cleaning && s.result.Text != "" })

	if s.result.Text != cleanedLog {
		t.Errorf("result = %q, want the backend's scrubbed text %q", s.result.Text, cleanedLog)
	}
	var calls []string
	h.fakeLocked(func() { calls = slices.Clone(h.fake.scrubCalls) })
	if !slices.Equal(calls, []string{pastedLog}) {
		t.Errorf("Scrub calls = %q, want exactly the pasted text", calls)
	}
	if !s.result.TextStyle.Monospace || s.result.Wrapping != fyne.TextWrapOff {
		t.Error("the result is not in the read-only monospace box")
	}
	test.Type(s.result, "x")
	if s.result.Text != cleanedLog {
		t.Error("the result can be edited")
	}

	test.Tap(s.copyBtn)
	if got := h.app.Clipboard().Content(); got != cleanedLog {
		t.Errorf("clipboard = %q, want %q", got, cleanedLog)
	}
	if !strings.HasPrefix(s.status.Text, "Copied the cleaned text") {
		t.Errorf("status after copying = %q", s.status.Text)
	}

	// Changing the text after cleaning says the result is stale.
	s.input.SetText(pastedLog + "more\n")
	if !strings.Contains(s.status.Text, "press Clean again") {
		t.Errorf("status after editing = %q", s.status.Text)
	}
}

func TestScrubOpensAFileAndCleansIt(t *testing.T) {
	h := newHarness(t, newFake(), testOpts)
	s := h.scrub()
	path := filepath.Join(t.TempDir(), "cuepoint.log")
	if err := os.WriteFile(path, []byte(pastedLog), 0o600); err != nil {
		t.Fatal(err)
	}
	h.m.e.pickOpen = func(done func(fyne.URIReadCloser, error)) {
		r, err := storage.Reader(storage.NewFileURI(path))
		done(r, err)
	}
	test.Tap(s.openBtn)
	h.waitFor("the file to be opened and cleaned", func() bool { return !s.cleaning && s.result.Text != "" })
	if s.input.Text != pastedLog || s.result.Text != cleanedLog {
		t.Errorf("input %q, result %q", s.input.Text, s.result.Text)
	}

	// A failing dialog is explained; a cancelled one changes nothing.
	h.m.e.pickOpen = func(done func(fyne.URIReadCloser, error)) { done(nil, errors.New("permission denied")) }
	test.Tap(s.openBtn)
	if !strings.Contains(s.status.Text, "Could not open the file: permission denied.") {
		t.Errorf("status = %q", s.status.Text)
	}
	h.m.e.pickOpen = func(done func(fyne.URIReadCloser, error)) { done(nil, nil) }
	test.Tap(s.openBtn)
	if s.input.Text != pastedLog {
		t.Error("a cancelled open changed the text")
	}
}

func TestFileText(t *testing.T) {
	cases := []struct {
		in   []byte
		want string
	}{
		{[]byte("plain\r\n\ttabs  "), "plain\r\n\ttabs  "},
		{[]byte("Café"), "Café"},
		{[]byte{'a', 0xff, 'b'}, "a\uFFFDb"},
		{nil, ""},
	}
	for _, c := range cases {
		if got := fileText(c.in); got != c.want {
			t.Errorf("fileText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
