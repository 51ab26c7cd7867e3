package ui

import (
	"context"
	"errors"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent"
)

func TestMain(m *testing.M) {
	// Screens write local times; pin the zone so expectations and golden files hold anywhere.
	time.Local = time.UTC
	os.Exit(m.Run())
}

// fakeBackend is an in-memory Backend that records what the UI asked of it.
type fakeBackend struct {
	mu sync.Mutex

	groups    []agent.CrashGroup
	problems  []agent.Problem
	groupsErr error
	panicking bool // CrashGroups panics

	previews   map[string]agent.Preview
	previewErr error

	sendResult agent.SendResult
	sendErr    error
	sendWait   bool // SendCrashGroup waits for its context to end
	dismissErr error

	decisions map[consent.Category]consent.Decision
	setErr    error

	outbox    []agent.OutboxItem
	outboxErr error
	ledger    []agent.LedgerEntry
	ledgerErr error

	history      []consent.Decision
	historyErr   error
	examples     map[consent.Category]string
	exportData   []byte
	exportErr    error
	erasePlan    agent.EraseReport
	eraseErr     error
	conflicts    []agent.SwitchConflict
	resolveErr   error
	scrubCalls   []string
	exampleCalls int

	changes chan struct{}
	gate    chan struct{} // when set, every call waits for it to close

	// records
	groupCalls   int
	previewCalls []string
	sends        []string
	dismisses    []string
	sets         []setCall
	erases       int
	resolves     []resolveCall
}

type resolveCall struct {
	c     consent.Category
	adopt bool
}

type setCall struct {
	c    consent.Category
	s    consent.State
	from consent.Source
}

func newFake() *fakeBackend {
	return &fakeBackend{
		previews:  map[string]agent.Preview{},
		decisions: map[consent.Category]consent.Decision{},
		changes:   make(chan struct{}, 16),
	}
}

func (f *fakeBackend) wait() {
	f.mu.Lock()
	g := f.gate
	f.mu.Unlock()
	if g != nil {
		<-g
	}
}

func (f *fakeBackend) CrashGroups(context.Context) ([]agent.CrashGroup, []agent.Problem, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.groupCalls++
	if f.panicking {
		panic("fake backend exploded")
	}
	if f.groupsErr != nil {
		return nil, nil, f.groupsErr
	}
	return slices.Clone(f.groups), slices.Clone(f.problems), nil
}

func (f *fakeBackend) PreviewCrashGroup(_ context.Context, id string) (agent.Preview, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.previewCalls = append(f.previewCalls, id)
	if f.previewErr != nil {
		return agent.Preview{}, f.previewErr
	}
	p, ok := f.previews[id]
	if !ok {
		return agent.Preview{}, errors.New("no such crash group " + id)
	}
	return p, nil
}

func (f *fakeBackend) SendCrashGroup(ctx context.Context, id string) (agent.SendResult, error) {
	f.wait()
	f.mu.Lock()
	f.sends = append(f.sends, id)
	waitCtx := f.sendWait
	f.mu.Unlock()
	if waitCtx {
		<-ctx.Done()
		return agent.SendResult{}, ctx.Err()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sendErr != nil {
		return agent.SendResult{}, f.sendErr
	}
	// like the agent: the group's reports are now sent
	for i := range f.groups {
		if f.groups[i].ID == id {
			f.groups[i].Status = agent.StatusSent
		}
	}
	return f.sendResult, nil
}

func (f *fakeBackend) DismissCrashGroup(_ context.Context, id string) error {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dismisses = append(f.dismisses, id)
	if f.dismissErr != nil {
		return f.dismissErr
	}
	for i := range f.groups {
		if f.groups[i].ID == id {
			f.groups[i].Status = agent.StatusDismissed
		}
	}
	return nil
}

func (f *fakeBackend) Decision(c consent.Category) (consent.Decision, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	d, ok := f.decisions[c]
	if !ok {
		return consent.Decision{Category: c, State: consent.Undecided}, nil
	}
	return d, nil
}

func (f *fakeBackend) SetDecision(c consent.Category, s consent.State, from consent.Source) error {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sets = append(f.sets, setCall{c, s, from})
	if f.setErr != nil {
		return f.setErr
	}
	info, _ := consent.Lookup(c)
	d := consent.Decision{Category: c, State: s, Version: info.Version, PolicyVersion: consent.PolicyVersion, At: fakeNow, Source: from}
	f.decisions[c] = d
	f.history = append(f.history, d)
	return nil
}

func (f *fakeBackend) OutboxItems(context.Context) ([]agent.OutboxItem, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.outboxErr != nil {
		return nil, f.outboxErr
	}
	return slices.Clone(f.outbox), nil
}

func (f *fakeBackend) Ledger(context.Context) ([]agent.LedgerEntry, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ledgerErr != nil {
		return nil, f.ledgerErr
	}
	return slices.Clone(f.ledger), nil
}

func (f *fakeBackend) ConsentHistory() ([]consent.Decision, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.historyErr != nil {
		return nil, f.historyErr
	}
	return slices.Clone(f.history), nil
}

func (f *fakeBackend) Examples(context.Context) (map[consent.Category]string, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.exampleCalls++
	return maps.Clone(f.examples), nil
}

func (f *fakeBackend) ExportData(context.Context) ([]byte, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.exportErr != nil {
		return nil, f.exportErr
	}
	return slices.Clone(f.exportData), nil
}

func (f *fakeBackend) ErasePlan(context.Context) (agent.EraseReport, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.erasePlan, nil
}

// EraseData does what the agent does: everything goes, every category is undecided again
// and the erasure itself is recorded.
func (f *fakeBackend) EraseData(context.Context) (agent.EraseReport, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.erases++
	if f.eraseErr != nil {
		return agent.EraseReport{}, f.eraseErr
	}
	r := f.erasePlan
	r.At = fakeNow
	f.outbox, f.ledger, f.history = nil, nil, nil
	f.decisions = map[consent.Category]consent.Decision{}
	for _, info := range consent.Categories {
		f.history = append(f.history, consent.Decision{Category: info.Category, State: consent.Undecided,
			Version: info.Version, PolicyVersion: consent.PolicyVersion, At: fakeNow, Source: consent.FromErasure})
	}
	return r, nil
}

// Scrub stands in for the scrubber with two fixed replacements.
func (f *fakeBackend) Scrub(text string) string {
	f.mu.Lock()
	f.scrubCalls = append(f.scrubCalls, text)
	f.mu.Unlock()
	return strings.NewReplacer("alice@example.com", "<email-1>", "/home/alice", "~").Replace(text)
}

func (f *fakeBackend) SwitchConflicts(context.Context) ([]agent.SwitchConflict, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.conflicts), nil
}

func (f *fakeBackend) ResolveSwitchConflict(_ context.Context, c consent.Category, adopt bool) error {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resolves = append(f.resolves, resolveCall{c, adopt})
	if f.resolveErr != nil {
		return f.resolveErr
	}
	f.conflicts = slices.DeleteFunc(f.conflicts, func(x agent.SwitchConflict) bool { return x.Category == c })
	return nil
}

// decideAll records a current answer for every category, so the first-run page stays away.
func (f *fakeBackend) decideAll() {
	f.locked(func() {
		for _, info := range consent.Categories {
			if _, ok := f.decisions[info.Category]; !ok {
				f.decisions[info.Category] = consent.Decision{Category: info.Category, State: consent.Denied,
					Version: info.Version, PolicyVersion: consent.PolicyVersion, At: fakeNow, Source: consent.FromGUI}
			}
		}
	})
}

func (f *fakeBackend) Changes() <-chan struct{} { return f.changes }

// locked runs fn with the fake's lock held, for reading records and changing answers.
func (f *fakeBackend) locked(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
}

func (f *fakeBackend) grant() {
	f.locked(func() {
		f.decisions[consent.CrashReports] = consent.Decision{
			Category: consent.CrashReports, State: consent.Granted, Version: 1, At: fakeNow, Source: consent.FromGUI}
	})
}

var fakeNow = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// The fixture: two crashes, the newer one listed second by the fake so the UI's order is
// its own doing.
var (
	olderGroup = agent.CrashGroup{
		ID: "00000000000000aa", Type: "ValueError", Message: "bad tempo",
		Culprit: "cuepoint.audio.tempo in estimate", Count: 1,
		First: time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC), Last: time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC),
		Version: "1.4.0", Status: agent.StatusNew,
		Reports: []agent.CrashReport{{Name: "crash-20260102-100000", Status: agent.StatusNew}},
	}
	newerGroup = agent.CrashGroup{
		ID: "1f2e3d4c5b6a7980", Type: "KeyError", Message: "'bpm'",
		Culprit: "cuepoint.data.beatport in parse_results", Count: 3,
		First: time.Date(2026, 2, 1, 8, 15, 0, 0, time.UTC), Last: time.Date(2026, 3, 10, 21, 5, 0, 0, time.UTC),
		Version: "1.5.2", Status: agent.StatusNew,
		Reports: []agent.CrashReport{
			{Name: "crash-20260201-081500", Status: agent.StatusNew},
			{Name: "crash-20260305-120000", Status: agent.StatusNew, Partial: true},
			{Name: "crash-20260310-210500", Status: agent.StatusNew},
		},
	}
	// Payload bytes with everything a careless display would change: tabs, trailing
	// spaces, CRLF, non-ASCII, long lines and a blank last line.
	fakePayload = []byte("{\"event_id\":\"0123456789abcdef0123456789abcdef\",\"sent_at\":\"2026-03-14T09:30:00Z\"}\n" +
		"{\"type\":\"event\",\"length\":61}\r\n" +
		"{\"exception\":{\"values\":[{\"type\":\"KeyError\",\"value\":\"'bpm'\"}]},\t\"user\":\"[redacted]\", \"note\":\"Café – ü\"}  \n")
)

func newFixture() *fakeBackend {
	f := newFake()
	f.groups = []agent.CrashGroup{olderGroup, newerGroup}
	f.previews[newerGroup.ID] = agent.Preview{Destination: "Sentry at 127.0.0.1:9 (project 42)", Payload: fakePayload,
		Items: []agent.PreviewItem{{ItemID: "crash-20260310-210500", Name: "crash-20260310-210500", Payload: fakePayload}}}
	f.previews[olderGroup.ID] = agent.Preview{Destination: "Sentry at 127.0.0.1:9 (project 42)", Payload: []byte("older\n"),
		Items: []agent.PreviewItem{{ItemID: "crash-20260102-100000", Name: "crash-20260102-100000", Payload: []byte("older\n")}}}
	f.sendResult = agent.SendResult{Queued: 3, Sent: 3, Message: "Sent 3 reports to the CuePoint maintainers."}
	return f
}

// testLoop stands in for Fyne's UI goroutine: fyne.Do callbacks are queued and run by the
// test goroutine when it polls, so widgets are never touched concurrently (go test -race).
type testLoop struct {
	mu sync.Mutex
	q  []func()
}

func (l *testLoop) threading() threading {
	return threading{
		background: func(f func()) { go f() },
		ui: func(f func()) {
			l.mu.Lock()
			l.q = append(l.q, f)
			l.mu.Unlock()
		},
	}
}

func (l *testLoop) drain() {
	for {
		l.mu.Lock()
		q := l.q
		l.q = nil
		l.mu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, f := range q {
			f()
		}
	}
}

// waitFor runs queued UI work until cond holds, failing the test after a short deadline.
func (l *testLoop) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		l.drain()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// harness is a main window on a test app, driven by a testLoop.
type harness struct {
	t    *testing.T
	app  fyne.App
	fake *fakeBackend
	loop *testLoop
	m    *mainWindow
}

func newHarness(t *testing.T, f *fakeBackend, opts Options) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	return newHarnessOn(t, a, f, opts)
}

func newHarnessOn(t *testing.T, a fyne.App, f *fakeBackend, opts Options) *harness {
	t.Helper()
	loop := &testLoop{}
	m := newMainWindow(a, f, opts, loop.threading())
	m.win.Resize(fyne.NewSize(1200, 800))
	m.e.pickSave = func(string, func(fyne.URIWriteCloser, error)) { t.Error("a save dialog opened unexpectedly") }
	m.e.pickOpen = func(func(fyne.URIReadCloser, error)) { t.Error("an open dialog opened unexpectedly") }
	t.Cleanup(func() {
		m.win.Close()
		loop.drain()
	})
	return &harness{t: t, app: a, fake: f, loop: loop, m: m}
}

func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	h.loop.waitFor(h.t, what, cond)
}

// show selects the screen with the given ID in the navigation and returns it.
func (h *harness) show(id string) screen {
	h.t.Helper()
	i := slices.IndexFunc(h.m.specs, func(s screenSpec) bool { return s.ID == id })
	if i < 0 {
		h.t.Fatalf("no screen %q", id)
	}
	h.m.nav.Select(i)
	return h.m.built[i]
}

// crashes returns the crash screen, shown.
func (h *harness) crashes() *crashesScreen { return h.show("crashes").(*crashesScreen) }

func (h *harness) outbox() *outboxScreen { return h.show("outbox").(*outboxScreen) }

func (h *harness) ledger() *ledgerScreen { return h.show("ledger").(*ledgerScreen) }

func (h *harness) privacy() *privacyScreen { return h.show("privacy").(*privacyScreen) }

func (h *harness) scrub() *scrubScreen { return h.show("scrub").(*scrubScreen) }

// loadedCrashes shows the crash screen and waits for its first load to be applied.
func (h *harness) loadedCrashes() *crashesScreen {
	h.t.Helper()
	s := h.crashes()
	h.waitFor("the crash list to load", func() bool { return s.loaded && !s.loader.running && s.decisionKnown })
	return s
}

func (h *harness) fakeLocked(fn func()) { h.fake.locked(fn) }

// firstRunChecked waits for the start-up check for the first-run page to be applied.
func (h *harness) firstRunChecked() {
	h.t.Helper()
	h.waitFor("the first-run check", func() bool { return h.m.checked })
}

// findButton is the visible button labelled text under o, or nil.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == text {
				found = x
			}
			return
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return found
}

// visibleTexts is every piece of text drawn under o that is visible on screen, in layout
// order: what a person would read.
func visibleTexts(o fyne.CanvasObject) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			if x.Text != "" {
				out = append(out, x.Text)
			}
			return
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
			return
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// topDialogTexts is the text of the dialog on top of the window, or nil without one.
func topDialogTexts(w fyne.Window) []string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	return visibleTexts(top)
}
