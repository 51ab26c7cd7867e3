package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/consent"
)

// Options are the facts the screens show but do not own.
type Options struct {
	CuePointHome string // CuePoint's folder, named in the crash screen's empty state
	DataDir      string // the companion's data folder, named on the privacy screen
	// Destination says where sends go when the backend does not say per item, e.g.
	// "folder ~/.local/share/cuepoint-companion/outgoing" or "Sentry at 127.0.0.1:1234 (project 42)".
	Destination string
	// Notices are told once when the window opens (e.g. a damaged data file was moved aside).
	Notices []string
	// Raise, when a value arrives, brings the window to the front (a second start of the app).
	Raise <-chan struct{}
}

// Preference keys. The values survive restarts through the app's Preferences.
const (
	prefWidth  = "window.width"
	prefHeight = "window.height"
	prefScreen = "screen"
)

const windowTitle = "CuePoint Companion"

var defaultWindowSize = fyne.NewSize(1000, 680)

// screen is one page of the window.
type screen interface {
	// view is the screen's content, built once.
	view() fyne.CanvasObject
	// reload asks for fresh data from the backend; it returns at once (UI goroutine).
	reload()
}

// screenSpec registers a screen: ID is what the "screen" preference stores, so it must not
// change once released; Title is what the navigation shows.
type screenSpec struct {
	ID    string
	Title string
	Icon  fyne.Resource
	New   func(e *env) screen
}

// allScreens is the one list of screens, in navigation order. Later screens (feedback,
// performance, diagnostics) are added here.
func allScreens() []screenSpec {
	return []screenSpec{
		{ID: "crashes", Title: "Crashes", Icon: theme.WarningIcon(), New: newCrashesScreen},
		{ID: "outbox", Title: "Outbox", Icon: theme.UploadIcon(), New: newOutboxScreen},
		{ID: "ledger", Title: "What left", Icon: theme.HistoryIcon(), New: newLedgerScreen},
		{ID: "privacy", Title: "Privacy", Icon: theme.VisibilityOffIcon(), New: newPrivacyScreen},
		{ID: "scrub", Title: "Clean a log", Icon: theme.ContentClearIcon(), New: newScrubScreen},
	}
}

// mainWindow is the navigation list and the selected screen.
type mainWindow struct {
	e       *env
	win     fyne.Window
	specs   []screenSpec
	built   []screen // index as specs; nil until first shown
	current int
	nav     *widget.List
	stack   *fyne.Container
	main    fyne.CanvasObject // the navigation and the screens
	first   *firstRun         // the first-run page while it is shown, else nil
	checked bool              // the start-up check for the first-run page is done
}

// NewMainWindow builds the companion's window on a: a navigation list on the left, the
// selected screen on the right, size and last screen restored from a.Preferences(). It
// starts a goroutine that follows b.Changes() until that channel is closed, and loads data
// in the background; the window is not shown. When a consent category needs an answer
// (never asked, or changed since) the window shows the first-run page instead of the
// screens until the user saves or puts it off. Closing the window saves its size and
// closes it; [Run] replaces that with hiding when a system tray is available.
func NewMainWindow(a fyne.App, b Backend, opts Options) fyne.Window {
	return newMainWindow(a, b, opts, defaultThreading()).win
}

func newMainWindow(a fyne.App, b Backend, opts Options, th threading) *mainWindow {
	w := a.NewWindow(windowTitle)
	save, open := fileDialogs(w)
	m := &mainWindow{
		e:     &env{app: a, win: w, b: b, opts: opts, th: th, pickSave: save, pickOpen: open},
		win:   w,
		specs: allScreens(),
	}
	m.e.goTo = func(id string) {
		if i := slices.IndexFunc(m.specs, func(s screenSpec) bool { return s.ID == id }); i >= 0 {
			m.nav.Select(i)
		}
	}
	m.built = make([]screen, len(m.specs))
	m.current = -1
	m.stack = container.NewStack()

	m.nav = widget.NewList(
		func() int { return len(m.specs) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.WarningIcon()), widget.NewLabel("Diagnostics"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(m.specs[id].Icon)
			row.Objects[1].(*widget.Label).SetText(m.specs[id].Title)
		},
	)
	m.nav.OnSelected = func(id widget.ListItemID) { m.show(id) }

	split := container.NewHSplit(m.nav, m.stack)
	split.Offset = 0.18
	m.main = split
	w.SetContent(split)
	w.Resize(restoredSize(a.Preferences()))
	w.SetCloseIntercept(func() {
		m.saveWindowState()
		w.Close()
	})

	m.nav.Select(screenIndex(m.specs, a.Preferences().String(prefScreen)))
	m.checkFirstRun()

	if ch := b.Changes(); ch != nil {
		th.background(func() {
			for range ch {
				th.ui(func() {
					m.reloadBuilt()
					m.refreshFirstRun()
				})
			}
		})
	}
	return m
}

// show makes screen i the visible one, building it on first use, and refreshes it so what
// the user looks at is current.
func (m *mainWindow) show(i int) {
	if i < 0 || i >= len(m.specs) {
		return
	}
	if m.built[i] == nil {
		m.built[i] = m.specs[i].New(m.e)
	}
	if m.current != i {
		m.current = i
		m.stack.Objects = []fyne.CanvasObject{m.built[i].view()}
		m.stack.Refresh()
	}
	m.e.app.Preferences().SetString(prefScreen, m.specs[i].ID)
	m.built[i].reload()
}

// reloadBuilt refreshes every screen built so far (UI goroutine).
func (m *mainWindow) reloadBuilt() {
	for _, s := range m.built {
		if s != nil {
			s.reload()
		}
	}
}

// refreshFirstRun, while the first-run page is open, takes in decisions made elsewhere
// meanwhile, and closes the page when none is left to ask (UI goroutine).
func (m *mainWindow) refreshFirstRun() {
	if m.first == nil {
		return
	}
	b := m.e.b
	call(m.e, loadTimeout, func(context.Context) ([]consent.Decision, error) {
		var ds []consent.Decision
		for _, info := range consent.Categories {
			if d, err := b.Decision(info.Category); err == nil {
				ds = append(ds, d)
			}
		}
		return ds, nil
	}, func(ds []consent.Decision, _ error) {
		if f := m.first; f != nil && f.decidedElsewhere(ds) {
			m.closeFirstRun()
		}
	})
}

// checkFirstRun asks the backend, once per start, whether any category needs an answer,
// and if so shows the first-run page with the user's own examples.
func (m *mainWindow) checkFirstRun() {
	b := m.e.b
	call(m.e, loadTimeout, func(ctx context.Context) (firstRunLoad, error) {
		var r firstRunLoad
		for _, info := range consent.Categories {
			d, err := b.Decision(info.Category)
			if err != nil {
				continue // the Privacy screen explains it; do not ask on a guess
			}
			r.decisions = append(r.decisions, d)
		}
		if len(categoriesToAsk(r.decisions)) == 0 {
			return r, nil
		}
		r.examples, _ = b.Examples(ctx) // without examples the page says so per category
		return r, nil
	}, func(r firstRunLoad, err error) {
		m.checked = true
		ask := categoriesToAsk(r.decisions)
		if err != nil || len(ask) == 0 || m.first != nil {
			return
		}
		m.showFirstRun(newFirstRun(m.e, ask, r.examples, len(r.decisions)-len(ask), m.closeFirstRun))
	})
}

type firstRunLoad struct {
	decisions []consent.Decision
	examples  map[consent.Category]string
}

// showFirstRun puts the first-run page in place of the screens; Escape (with nothing
// focused) is "Decide later".
func (m *mainWindow) showFirstRun(f *firstRun) {
	m.first = f
	m.win.SetContent(f.view())
	m.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name == fyne.KeyEscape && m.first != nil {
			m.first.decideLater()
		}
	})
}

// closeFirstRun brings the screens back and refreshes them (choices may have been saved).
func (m *mainWindow) closeFirstRun() {
	if m.first == nil {
		return
	}
	m.first = nil
	m.win.Canvas().SetOnTypedKey(nil)
	m.win.SetContent(m.main)
	m.reloadBuilt()
}

// saveWindowState remembers the window's size for the next start.
func (m *mainWindow) saveWindowState() {
	size := m.win.Canvas().Size()
	if size.Width <= 0 || size.Height <= 0 {
		return
	}
	p := m.e.app.Preferences()
	p.SetFloat(prefWidth, float64(size.Width))
	p.SetFloat(prefHeight, float64(size.Height))
}

// screenIndex finds the screen a preference names; unknown or empty names (a screen
// removed in a later version, a first start) fall back to the first screen.
func screenIndex(specs []screenSpec, id string) int {
	for i, s := range specs {
		if s.ID == id {
			return i
		}
	}
	return 0
}

// restoredSize is the saved window size, or the default when none (or nonsense) is saved.
func restoredSize(p fyne.Preferences) fyne.Size {
	return sanitizeSize(p.FloatWithFallback(prefWidth, 0), p.FloatWithFallback(prefHeight, 0))
}

func sanitizeSize(w, h float64) fyne.Size {
	const minW, minH, maxSide = 480, 360, 16384
	valid := func(v float64) bool { return v > 0 && v <= maxSide } // false for NaN too
	if !valid(w) || !valid(h) {
		return defaultWindowSize
	}
	return fyne.NewSize(float32(max(w, minW)), float32(max(h, minH)))
}
