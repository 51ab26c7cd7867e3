package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/consent"
)

// Deadlines for Backend calls. Reads come from the local store and CuePoint's folder, so
// anything slower than loadTimeout is a hang worth reporting. A send may wait on the
// network; the user can cancel it sooner.
const (
	loadTimeout = 10 * time.Second
	sendTimeout = 2 * time.Minute
)

// threading is how work leaves and re-enters the UI goroutine. The app uses goroutines and
// fyne.Do; tests substitute a queue they drain on the test goroutine, so widgets are only
// ever touched by one goroutine there too.
type threading struct {
	background func(func()) // start work off the UI goroutine
	ui         func(func()) // apply a result on the UI goroutine
}

func defaultThreading() threading {
	return threading{
		background: func(f func()) { go f() },
		ui:         fyne.Do,
	}
}

// env is what every screen is built with.
type env struct {
	app  fyne.App
	win  fyne.Window // parent for dialogs
	b    Backend
	opts Options
	th   threading

	// pickSave asks where to save a file (suggesting name) and pickOpen which file to
	// open; the callback gets nil, nil when the user cancels. They are file dialogs in the
	// app; tests substitute temporary files. UI goroutine.
	pickSave func(name string, done func(fyne.URIWriteCloser, error))
	pickOpen func(done func(fyne.URIReadCloser, error))
	// goTo shows the screen with the given ID (see allScreens).
	goTo func(id string)
}

// fileDialogs are the pickers of the real app.
func fileDialogs(w fyne.Window) (save func(string, func(fyne.URIWriteCloser, error)), open func(func(fyne.URIReadCloser, error))) {
	save = func(name string, done func(fyne.URIWriteCloser, error)) {
		d := dialog.NewFileSave(done, w)
		d.SetFileName(name)
		d.Show()
	}
	open = func(done func(fyne.URIReadCloser, error)) {
		dialog.NewFileOpen(done, w).Show()
	}
	return save, open
}

// uriPlace says where a URI points, for a person: the path for a file, else the URI.
func uriPlace(u fyne.URI) string {
	if u == nil {
		return "unknown"
	}
	if u.Scheme() == "file" && u.Path() != "" {
		return u.Path()
	}
	return u.String()
}

// call runs work off the UI goroutine under a deadline and hands its result to apply on
// the UI goroutine. A panic in work becomes an error: a misbehaving backend must not take
// the window down. The returned cancel stops the work early (the Cancel button of a send);
// calling it after the work finished is harmless.
func call[T any](e *env, timeout time.Duration, work func(ctx context.Context) (T, error), apply func(T, error)) context.CancelFunc {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	e.th.background(func() {
		defer cancel()
		v, err := safely(ctx, work)
		e.th.ui(func() { apply(v, err) })
	})
	return cancel
}

func safely[T any](ctx context.Context, work func(ctx context.Context) (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			var zero T
			v, err = zero, fmt.Errorf("internal error: %v", r)
		}
	}()
	return work(ctx)
}

// reloader coalesces refresh requests for one screen: at most one load runs at a time, and
// any number of requests made meanwhile cause exactly one more load afterwards, so a burst
// of backend changes costs two loads, not one per change. UI goroutine only.
type reloader struct {
	// start begins a load and must call done (on the UI goroutine) once its result is applied.
	start   func(done func())
	running bool
	again   bool
}

func (r *reloader) request() {
	if r.running {
		r.again = true
		return
	}
	r.running = true
	r.start(r.finished)
}

func (r *reloader) finished() {
	r.running = false
	if r.again {
		r.again = false
		r.request()
	}
}

// problemText says, for a person, what went wrong while doing something and what they can
// do about it. doing completes "Could not …", e.g. "load the crashes".
func problemText(doing string, err error) string {
	var what, todo string
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		what = "the companion did not answer in time"
		todo = "Try again. If it keeps happening, quit and restart CuePoint Companion."
	case errors.Is(err, context.Canceled):
		what = "it was cancelled"
		todo = "Nothing else changed; you can try again."
	case errors.Is(err, consent.ErrNotGranted):
		what = "you have not allowed this kind of data to leave the machine"
		todo = "Turn it on (here or under Privacy) to send it."
	default:
		what = strings.TrimSpace(err.Error())
		todo = "Try again. If it keeps happening, quit and restart CuePoint Companion."
	}
	return fmt.Sprintf("Could not %s: %s. %s", doing, what, todo)
}

// errorBanner is the place in a screen where a failed load or action is explained, with a
// Retry button when retrying makes sense.
type errorBanner struct {
	label *widget.Label
	retry *widget.Button
	box   *fyne.Container
}

func newErrorBanner(retry func()) *errorBanner {
	eb := &errorBanner{label: widget.NewLabel("")}
	eb.label.Wrapping = fyne.TextWrapWord
	eb.label.Importance = widget.DangerImportance
	eb.retry = widget.NewButton("Retry", retry)
	eb.box = container.NewBorder(nil, nil, nil, eb.retry, eb.label)
	eb.box.Hide()
	return eb
}

func (eb *errorBanner) show(msg string) {
	eb.label.SetText(msg)
	eb.box.Show()
}

func (eb *errorBanner) clear() {
	eb.label.SetText("")
	eb.box.Hide()
}

// formatTime is how the screens write a moment: local time, to the minute.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Local().Format("2006-01-02 15:04")
}

// formatBytes writes a size the way file managers do (1 KB = 1000 bytes).
func formatBytes(n int) string {
	switch {
	case n < 0:
		return "unknown"
	case n < 1000:
		if n == 1 {
			return "1 byte"
		}
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1000)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1000*1000))
	}
}

// plural writes "1 report", "3 reports".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// categoryTitle is the person-facing name of a consent category.
func categoryTitle(c consent.Category) string {
	if info, ok := consent.Lookup(c); ok {
		return info.Title
	}
	return string(c)
}

// boldLabel is a label in the theme's bold text style.
func boldLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// wrapLabel is a label that wraps at word boundaries.
func wrapLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
