// Package feedback will hold the feedback model and its validation, the rendering of
// GitHub issue forms, screenshots with redaction and diagnostic bundles (issues #6 and #8).
// It must not import Fyne except where a screenshot needs the window.
//
// It is empty in this version: the walking skeleton ships crash reports only.
package feedback
