package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// readOnlyEntry is a multi-line widget.Entry that can be scrolled, selected and copied from
// but not changed. A disabled Entry would also refuse edits, but it greys the text out;
// the payload must stay readable, since reading it is the point.
type readOnlyEntry struct {
	widget.Entry
}

// newPayloadEntry shows bytes exactly: monospace, no wrapping, scrollable both ways.
func newPayloadEntry() *readOnlyEntry {
	e := &readOnlyEntry{}
	e.MultiLine = true
	e.TextStyle = fyne.TextStyle{Monospace: true}
	e.Wrapping = fyne.TextWrapOff
	e.Scroll = fyne.ScrollBoth
	e.ExtendBaseWidget(e)
	e.SetMinRowsVisible(8)
	return e
}

// TypedRune ignores typing.
func (e *readOnlyEntry) TypedRune(rune) {}

// TypedKey lets through only the keys that move the cursor or the selection.
func (e *readOnlyEntry) TypedKey(key *fyne.KeyEvent) {
	if isEditingKey(key.Name) {
		return
	}
	e.Entry.TypedKey(key)
}

// TypedShortcut allows copying and selecting, and drops every shortcut that edits. The
// Entry's right-click menu goes through here too, so its Cut and Paste do nothing.
func (e *readOnlyEntry) TypedShortcut(s fyne.Shortcut) {
	if !allowedReadOnlyShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// AcceptsTab is false so Tab moves the focus on instead of being swallowed.
func (e *readOnlyEntry) AcceptsTab() bool { return false }

func isEditingKey(k fyne.KeyName) bool {
	switch k {
	case fyne.KeyBackspace, fyne.KeyDelete, fyne.KeyReturn, fyne.KeyEnter, fyne.KeyTab:
		return true
	}
	return false
}

func allowedReadOnlyShortcut(s fyne.Shortcut) bool {
	switch s := s.(type) {
	case *fyne.ShortcutCopy, *fyne.ShortcutSelectAll:
		return true
	case *fyne.ShortcutCut, *fyne.ShortcutPaste, *fyne.ShortcutUndo, *fyne.ShortcutRedo:
		return false
	case *desktop.CustomShortcut:
		// word-wise movement and selection are fine; word-wise deletion is not
		return !isEditingKey(s.KeyName)
	}
	return true
}
