package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

const (
	scrubIntro = "Paste a log (or open a file) and press Clean: names, home folders, emails, IP addresses, " +
		"tokens and keys are replaced the same way as in everything the companion sends. Check the result, " +
		"then copy it into a public issue. Nothing here leaves this machine."
	scrubPlaceholder = "Paste a log here…"
	// maxScrubFile is the largest file "Open file…" loads: a text box holding more becomes
	// too slow to use. The command line (cuepoint-companion scrub FILE) has no such limit.
	maxScrubFile = 20 << 20
)

// scrubScreen is "Clean a log before sharing": any text in, the scrubbed text out.
type scrubScreen struct {
	e        *env
	cleaning bool
	cleanSeq int
	cleaned  string // the input the result belongs to

	input   *widget.Entry
	openBtn *widget.Button
	clean   *widget.Button
	result  *readOnlyEntry
	copyBtn *widget.Button
	status  *widget.Label
	content fyne.CanvasObject
}

func newScrubScreen(e *env) screen {
	s := &scrubScreen{e: e}
	s.input = widget.NewMultiLineEntry()
	s.input.SetPlaceHolder(scrubPlaceholder)
	s.input.TextStyle = fyne.TextStyle{Monospace: true}
	s.input.Wrapping = fyne.TextWrapOff
	s.input.Scroll = fyne.ScrollBoth
	s.input.SetMinRowsVisible(8)
	s.input.OnChanged = func(string) { s.renderStatus() }

	s.openBtn = widget.NewButton("Open file…", s.open)
	s.clean = widget.NewButton("Clean", s.cleanNow)
	s.clean.Importance = widget.HighImportance
	s.result = newPayloadEntry()
	s.copyBtn = widget.NewButton("Copy", s.copy)
	s.status = wrapLabel("")
	s.status.Hide()

	top := container.NewVBox(boldLabel("Clean a log before sharing"), wrapLabel(scrubIntro))
	in := container.NewBorder(nil, container.NewHBox(s.openBtn, layout.NewSpacer(), s.clean), nil, nil, s.input)
	out := container.NewBorder(boldLabel("Cleaned"), container.NewVBox(s.status, container.NewHBox(layout.NewSpacer(), s.copyBtn)),
		nil, nil, s.result)
	split := container.NewVSplit(in, out)
	s.content = container.NewBorder(top, nil, nil, nil, split)
	s.renderStatus()
	return s
}

func (s *scrubScreen) view() fyne.CanvasObject { return s.content }

// reload has nothing to fetch: the screen holds only what the user put in.
func (s *scrubScreen) reload() {}

// cleanNow scrubs the input off the UI goroutine (a long log takes a moment).
func (s *scrubScreen) cleanNow() {
	text := s.input.Text
	s.cleanSeq++
	seq := s.cleanSeq
	s.cleaning = true
	s.renderStatus()
	b := s.e.b
	call(s.e, loadTimeout, func(context.Context) (string, error) {
		return b.Scrub(text), nil
	}, func(out string, err error) {
		if seq != s.cleanSeq {
			return // a newer Clean owns the result
		}
		s.cleaning = false
		if err != nil {
			s.cleaned = ""
			s.result.SetText("")
			s.renderStatus()
			s.showStatus(problemText("clean the text", err))
			return
		}
		s.cleaned = text
		s.result.SetText(out)
		s.renderStatus()
	})
}

// open loads a file into the input and cleans it.
func (s *scrubScreen) open() {
	s.e.pickOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.showStatus(problemText("open the file", err))
			return
		}
		if r == nil {
			return // cancelled
		}
		where := uriPlace(r.URI())
		s.openBtn.Disable()
		call(s.e, loadTimeout, func(context.Context) (string, error) {
			defer r.Close()
			data, err := io.ReadAll(io.LimitReader(r, maxScrubFile+1))
			if err != nil {
				return "", fmt.Errorf("reading %s: %w", where, err)
			}
			if len(data) > maxScrubFile {
				return "", errors.New(where + " is larger than " + formatBytes(maxScrubFile) +
					"; clean it with `cuepoint-companion scrub FILE` instead")
			}
			return fileText(data), nil
		}, func(text string, err error) {
			s.openBtn.Enable()
			if err != nil {
				s.showStatus(problemText("open the file", err))
				return
			}
			s.input.SetText(text)
			s.cleanNow()
		})
	})
}

func (s *scrubScreen) copy() {
	if s.result.Text == "" {
		return
	}
	s.e.app.Clipboard().SetContent(s.result.Text)
	s.showStatus("Copied the cleaned text (" + formatBytes(len(s.result.Text)) + ") to the clipboard.")
}

func (s *scrubScreen) showStatus(text string) {
	s.status.SetText(text)
	s.status.Show()
}

// renderStatus enables the buttons that make sense and warns when the result is stale.
func (s *scrubScreen) renderStatus() {
	setEnabled(s.clean, !s.cleaning && strings.TrimSpace(s.input.Text) != "")
	setEnabled(s.copyBtn, !s.cleaning && s.result.Text != "")
	switch {
	case s.cleaning:
		s.showStatus("Cleaning…")
	case s.result.Text != "" && s.input.Text != s.cleaned:
		s.showStatus("The text above changed since it was cleaned; press Clean again before copying.")
	case s.result.Text != "":
		s.showStatus("Cleaned. Read it through before sharing: the scrubber cannot know every secret.")
	default:
		s.status.Hide()
	}
}

// fileText turns a file's bytes into text for the box: valid UTF-8 as it is, anything else
// with the bytes that are not text replaced by U+FFFD.
func fileText(data []byte) string {
	if utf8.Valid(data) {
		return string(data)
	}
	return strings.ToValidUTF8(string(data), "\uFFFD")
}
