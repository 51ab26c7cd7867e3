package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/getsentry/sentry-go"

	"github.com/stuchain/cuepoint-companion/consent"
	"github.com/stuchain/cuepoint-companion/consent/scrub"
	"github.com/stuchain/cuepoint-companion/internal/cuepoint"
	"github.com/stuchain/cuepoint-companion/internal/envelope"
	"github.com/stuchain/cuepoint-companion/internal/store"
)

// Config is what the agent needs from the outside.
type Config struct {
	StorePath string             // the bbolt file
	CuePoint  cuepoint.Locations // where CuePoint's files are
	Identity  scrub.Identity     // the people on this machine (homes, user names)
	Sink      Sink               // where items go: a FolderSink by default, a SentrySink with a DSN
	Version   string             // the companion's version
	// OutgoingDir is the FolderSink's folder, if any: erasure deletes what waits there.
	OutgoingDir string
	// QtSettings is CuePoint's Qt settings store (nil: do not mirror decisions into
	// CuePoint's own switches).
	QtSettings cuepoint.QtSettings
	Now        func() time.Time // nil: time.Now
	Location   *time.Location   // zone of CuePoint's zone-less timestamps; nil: time.Local
	Log        *slog.Logger     // nil: discard
	// LockTimeout bounds the wait for another process holding the store (default 1 s).
	LockTimeout time.Duration
}

// Agent owns the outbox and moves items from sources to the sink. All methods are safe
// for concurrent use.
type Agent struct {
	cfg      Config
	db       *store.DB
	outbox   *Outbox
	consent  *consent.Store
	changes  chan struct{}
	wake     chan struct{}
	drainSem chan struct{} // one drain at a time; waiting for it honours ctx
	// decideMu makes a decision and its mirror into CuePoint's switches one step, so that
	// concurrent changes (commands forwarded to the window) cannot interleave them.
	decideMu *sync.Mutex
	derived  bool // a view made by WithSettings: shares the store, does not close it
	rnd      *rand.Rand
	rndMu    *sync.Mutex
	closed   *sync.Once
}

// Open opens the store (never hanging: a store held by another process fails after
// cfg.LockTimeout with an error wrapping store.ErrLocked).
func Open(cfg Config) (*Agent, error) {
	if cfg.Sink == nil {
		return nil, errors.New("agent: no sink configured")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.LockTimeout == 0 {
		cfg.LockTimeout = time.Second
	}
	db, err := store.Open(cfg.StorePath, cfg.LockTimeout)
	if err != nil {
		return nil, err
	}
	a := &Agent{
		cfg:      cfg,
		db:       db,
		outbox:   &Outbox{db: db},
		consent:  consent.NewStore(db, cfg.Now),
		changes:  make(chan struct{}, 1),
		wake:     make(chan struct{}, 1),
		drainSem: make(chan struct{}, 1),
		decideMu: &sync.Mutex{},
		rndMu:    &sync.Mutex{},
		closed:   &sync.Once{},
		rnd:      rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7)),
	}
	a.retryPendingMirrors()
	if err := a.outbox.prunePayloads(cfg.Now().AddDate(0, 0, -PayloadDays)); err != nil {
		cfg.Log.Warn("ledger: could not drop old payloads", "err", err)
	}
	if q := db.Quarantined; q != nil {
		cfg.Log.Warn("data file quarantined", "from", q.From, "to", q.To, "reason", q.Reason)
	}
	return a, nil
}

// Notices are things the user must be told once, e.g. that a damaged data file was moved
// aside.
func (a *Agent) Notices() []string {
	if q := a.db.Quarantined; q != nil {
		return []string{q.String()}
	}
	return nil
}

// Close releases the store. Changes is closed. Closing a view made by WithSettings does
// nothing: the agent it came from owns the store.
func (a *Agent) Close() error {
	if a.derived {
		return nil
	}
	var err error
	a.closed.Do(func() {
		err = a.db.Close()
		close(a.changes)
	})
	return err
}

// Changes delivers a value after crashes, outbox, ledger or consent changed.
func (a *Agent) Changes() <-chan struct{} { return a.changes }

func (a *Agent) changed() {
	select {
	case a.changes <- struct{}{}:
	default:
	}
}

// Destination describes where items go.
func (a *Agent) Destination() string { return a.cfg.Sink.Destination() }

// Locations are CuePoint's folders the agent reads.
func (a *Agent) Locations() cuepoint.Locations { return a.cfg.CuePoint }

// scrubberFor knows the machine's people plus the home CuePoint recorded in the crash.
func (a *Agent) scrubberFor(c cuepoint.Crash) *scrub.Scrubber {
	id := a.cfg.Identity
	if c.Home != "" {
		id.Homes = append(append([]string(nil), id.Homes...), c.Home)
		if u := path.Base(strings.ReplaceAll(c.Home, `\`, "/")); u != "" && u != "/" && u != "." {
			id.Users = append(append([]string(nil), id.Users...), u)
		}
	}
	return scrub.New(id)
}

type scanned struct {
	crash cuepoint.Crash
	id    string // event id
}

func (a *Agent) scan() ([]scanned, []Problem) {
	crashes, probs := cuepoint.ReadCrashes(a.cfg.CuePoint.CrashDirs, a.cfg.Location)
	out := make([]scanned, 0, len(crashes))
	seen := map[string]bool{}
	for _, c := range crashes {
		id := string(crashEventID(c))
		if seen[id] { // the same pair in both of CuePoint's log folders
			continue
		}
		seen[id] = true
		out = append(out, scanned{crash: c, id: id})
	}
	problems := make([]Problem, len(probs))
	for i, p := range probs {
		problems[i] = Problem{File: p.File, Message: p.Message}
	}
	return out, problems
}

// CrashGroups lists CuePoint's crashes grouped by report_id, newest group first.
func (a *Agent) CrashGroups(ctx context.Context) ([]CrashGroup, []Problem, error) {
	all, problems := a.scan()
	states, err := a.outbox.states()
	if err != nil {
		return nil, problems, err
	}
	byID := map[string]*CrashGroup{}
	var order []string
	for _, sc := range all {
		c := sc.crash
		g := byID[c.ReportID]
		if g == nil {
			s := a.scrubberFor(c)
			ev := crashEvent(c, a.cfg.Version)
			g = &CrashGroup{ID: c.ReportID, Type: c.Exception.Type, Message: shorten(s.String(c.Exception.Message), 300), Fingerprint: ev.Fingerprint, Culprit: culprit(ev)}
			byID[c.ReportID] = g
			order = append(order, c.ReportID)
		}
		st := a.statusOf(states, sc.id)
		files := []string{}
		for _, f := range []string{c.JSONPath, c.LogPath} {
			if f != "" {
				files = append(files, f)
			}
		}
		g.Reports = append(g.Reports, CrashReport{Name: c.Name, Time: c.Time, EventID: sc.id, Files: files, Partial: c.Partial, Status: st})
		g.Count++
		if g.First.IsZero() || c.Time.Before(g.First) {
			g.First = c.Time
		}
		if !c.Time.Before(g.Last) {
			g.Last = c.Time
			g.Version = c.App.Version
		}
	}
	groups := make([]CrashGroup, 0, len(order))
	for _, id := range order {
		g := byID[id]
		g.Status = groupStatus(g.Reports)
		groups = append(groups, *g)
	}
	sort.SliceStable(groups, func(i, j int) bool { return groups[i].Last.After(groups[j].Last) })
	return groups, problems, nil
}

// statusOf is a report's status for the current destination: a report sent to another
// destination (the offline folder, before a DSN was set) counts as not sent here.
func (a *Agent) statusOf(states map[string]crashState, id string) Status {
	st := states[id]
	switch {
	case st.Status == "":
		return StatusNew
	case st.Status == StatusSent && st.Destination != a.Destination():
		return StatusNew
	}
	return st.Status
}

// shorten keeps a list line readable: at most n runes, on one line.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func groupStatus(rs []CrashReport) Status {
	has := map[Status]bool{}
	for _, r := range rs {
		has[r.Status] = true
	}
	for _, s := range []Status{StatusNew, StatusQueued, StatusDismissed} {
		if has[s] {
			return s
		}
	}
	return StatusSent
}

// culprit names the innermost in-app frame of the final exception, as Sentry titles an
// issue: "cuepoint.data.beatport in parse_results".
func culprit(ev *sentry.Event) string {
	if len(ev.Exception) == 0 || ev.Exception[len(ev.Exception)-1].Stacktrace == nil {
		return ""
	}
	fs := ev.Exception[len(ev.Exception)-1].Stacktrace.Frames
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].InApp {
			return fs[i].Module + " in " + fs[i].Function
		}
	}
	return ""
}

// crashItem builds the outbox item for one crash: the event, scrubbed as one tree (with
// the homes and names of the machine and of the crash file), in an envelope.
func (a *Agent) crashItem(c cuepoint.Crash) (Item, error) {
	s := a.scrubberFor(c)
	ev, clean, err := scrubbedEvent(c, s, a.cfg.Version)
	if err != nil {
		return Item{}, err
	}
	env := &envelope.Envelope{
		Header: envelope.Header{EventID: string(ev.EventID), SDK: &envelope.SDK{Name: SDKName, Version: a.cfg.Version}},
		Items:  []envelope.Item{{Type: "event", ContentType: "application/json", Payload: clean}},
	}
	// The sink-side pass, run now too: what the user previews is what goes on the wire.
	payload, err := rescrub(env.Encode(), scrub.New(a.cfg.Identity))
	if err != nil {
		return Item{}, err
	}
	return Item{
		ID:        string(ev.EventID),
		Category:  consent.CrashReports,
		Summary:   fmt.Sprintf("Crash %s — %s", c.Name, crashSummary(c, s)),
		Payload:   payload,
		CreatedAt: a.cfg.Now().UTC(),
		Approved:  true, // crash items are only made when the user asks to send them
	}, nil
}

// scrubbedEvent is a crash's event as readable JSON, scrubbed as one tree (consistent
// numbering, names learnt anywhere removed everywhere).
func scrubbedEvent(c cuepoint.Crash, s *scrub.Scrubber, version string) (*sentry.Event, []byte, error) {
	ev := crashEvent(c, version)
	raw, err := json.Marshal(ev)
	if err != nil {
		return nil, nil, fmt.Errorf("encode event: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, nil, fmt.Errorf("encode event: %w", err)
	}
	clean, err := json.Marshal(s.Value(tree))
	if err == nil {
		clean, err = envelope.Readable(clean)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("encode event: %w", err)
	}
	return ev, clean, nil
}

// Inspection is what a crash text would become, for support staff triaging what users paste.
type Inspection struct {
	Fingerprint []string        `json:"fingerprint"`
	Partial     bool            `json:"partial"` // something could not be parsed; the event is best effort
	Event       json.RawMessage `json:"event"`   // scrubbed, exactly as it would be sent
}

// Inspect parses any crash text (a CuePoint crash .json or .log, a bare traceback from a
// bug report) and returns the scrubbed event it would become. It touches no store.
func Inspect(name string, b []byte, id scrub.Identity, version string) (Inspection, error) {
	c, err := cuepoint.FromText(name, b, time.Local)
	if err != nil {
		return Inspection{}, fmt.Errorf("%s %w", name, err)
	}
	a := &Agent{cfg: Config{Identity: id}}
	ev, clean, err := scrubbedEvent(c, a.scrubberFor(c), version)
	if err != nil {
		return Inspection{}, err
	}
	_, partial := ev.Tags["partial"]
	return Inspection{Fingerprint: ev.Fingerprint, Partial: partial, Event: clean}, nil
}

// findGroup returns the reports of a group; id may be the group ID (report_id), a report's
// file name (crash-YYYYMMDD-HHMMSS) or its event ID.
func (a *Agent) findReports(id string) ([]cuepoint.Crash, error) {
	all, _ := a.scan()
	var out []cuepoint.Crash
	for _, sc := range all {
		if sc.crash.ReportID == id || sc.crash.Name == id || sc.id == id {
			out = append(out, sc.crash)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no CuePoint crash with ID %q in %s; run `cuepoint-companion crash list` to see the IDs", id, strings.Join(a.cfg.CuePoint.CrashDirs, " or "))
	}
	return out, nil
}

// PreviewCrashGroup returns the exact envelopes SendCrashGroup would send for a group:
// one per report that has not left yet (all of them when every one has).
func (a *Agent) PreviewCrashGroup(ctx context.Context, id string) (Preview, error) {
	reports, err := a.findReports(id)
	if err != nil {
		return Preview{}, err
	}
	states, err := a.outbox.states()
	if err != nil {
		return Preview{}, err
	}
	var unsent []cuepoint.Crash
	for _, c := range reports {
		if a.statusOf(states, string(crashEventID(c))) != StatusSent {
			unsent = append(unsent, c)
		}
	}
	if len(unsent) > 0 {
		reports = unsent
	}
	p := Preview{Destination: a.cfg.Sink.Destination()}
	for _, c := range reports {
		it, err := a.crashItem(c)
		if err != nil {
			return Preview{}, err
		}
		p.Items = append(p.Items, PreviewItem{ItemID: it.ID, Name: c.Name, Payload: it.Payload})
		p.Payload = append(p.Payload, it.Payload...)
	}
	return p, nil
}

// SendCrashGroup queues every report of the group that has not left yet and delivers what
// it can before ctx ends. With crash reports not granted it queues nothing and returns an
// error wrapping consent.ErrNotGranted.
func (a *Agent) SendCrashGroup(ctx context.Context, id string) (SendResult, error) {
	reports, err := a.findReports(id)
	if err != nil {
		return SendResult{}, err
	}
	return a.sendCrashes(ctx, reports)
}

// SendAllCrashes queues every crash report that is neither sent nor dismissed ("Don't
// send" stays respected; sending a dismissed group by its ID overrides it) and delivers.
func (a *Agent) SendAllCrashes(ctx context.Context) (SendResult, error) {
	all, _ := a.scan()
	states, err := a.outbox.states()
	if err != nil {
		return SendResult{}, err
	}
	var crashes []cuepoint.Crash
	for _, sc := range all {
		if a.statusOf(states, sc.id) != StatusDismissed {
			crashes = append(crashes, sc.crash)
		}
	}
	return a.sendCrashes(ctx, crashes)
}

func (a *Agent) gate(c consent.Category, approved bool) error {
	d, err := a.consent.Get(c)
	if err != nil {
		return err
	}
	if d.Allows(approved) {
		return nil
	}
	info, _ := consent.Lookup(c)
	why := "you have not decided yet"
	switch {
	case d.State == consent.Denied:
		why = "you turned them off"
	case d.State == consent.Ask:
		why = "you chose to approve each one, and this one was not approved"
	case d.State == consent.Granted:
		why = "what they contain changed since you agreed"
	}
	return fmt.Errorf("%w: %s are not sent because %s; turn them on in the Privacy screen or run `cuepoint-companion consent set %s on`", consent.ErrNotGranted, strings.ToLower(info.Title), why, c)
}

func (a *Agent) sendCrashes(ctx context.Context, crashes []cuepoint.Crash) (SendResult, error) {
	var res SendResult
	if err := a.gate(consent.CrashReports, true); err != nil { // the user asked for these
		return res, err
	}
	states, err := a.outbox.states() // what had left before this call
	if err != nil {
		return res, err
	}
	for _, c := range crashes {
		it, err := a.crashItem(c)
		if err != nil {
			return res, err
		}
		switch err := a.outbox.Put(it, a.Destination()); {
		case errors.Is(err, errDuplicate):
			if a.statusOf(states, it.ID) == StatusSent {
				res.AlreadySent++
			}
		case err != nil:
			return res, fmt.Errorf("could not queue %s (nothing already queued is lost): %w", c.Name, err)
		default:
			res.Queued++
		}
	}
	a.changed()
	dr, err := a.drain(ctx)
	res.Sent, res.Pending, res.Dropped, res.WaitReason = dr.sent, dr.pending, dr.dropped, dr.waitReason
	res.Message = res.describe(a.cfg.Sink.Destination())
	return res, err
}

func (r SendResult) describe(dest string) string {
	var parts []string
	if r.Sent > 0 {
		parts = append(parts, fmt.Sprintf("%d sent to %s", r.Sent, dest))
	}
	if r.AlreadySent > 0 {
		parts = append(parts, fmt.Sprintf("%d already sent before", r.AlreadySent))
	}
	if len(r.Dropped) > 0 {
		parts = append(parts, fmt.Sprintf("%d refused for good (%s); see `cuepoint-companion ledger list`", len(r.Dropped), r.Dropped[0]))
	}
	if r.Pending > 0 {
		why := ""
		if r.WaitReason != "" {
			why = " (" + r.WaitReason + ")"
		}
		parts = append(parts, fmt.Sprintf("%d waiting in the outbox%s; the companion's window retries them, or run `crash send` again later", r.Pending, why))
	}
	if len(parts) == 0 {
		return "Nothing to send."
	}
	s := strings.Join(parts, "; ") + "."
	return strings.ToUpper(s[:1]) + s[1:]
}

// DismissCrashGroup records "Don't send" for the reports of a group that have not left.
func (a *Agent) DismissCrashGroup(ctx context.Context, id string) error {
	reports, err := a.findReports(id)
	if err != nil {
		return err
	}
	for _, c := range reports {
		if err := a.outbox.setState(string(crashEventID(c)), crashState{Status: StatusDismissed, At: a.cfg.Now().UTC()}); err != nil {
			return err
		}
	}
	a.changed()
	return nil
}

// Decision returns the user's decision for a category.
func (a *Agent) Decision(c consent.Category) (consent.Decision, error) { return a.consent.Get(c) }

// SetDecision records a decision (and its history entry) and wakes the sender, which
// delivers what was held back if the category is now granted.
func (a *Agent) SetDecision(c consent.Category, s consent.State, from consent.Source) error {
	a.decideMu.Lock()
	defer a.decideMu.Unlock()
	if _, err := a.consent.Set(c, s, from); err != nil {
		return err
	}
	a.changed()
	a.Wake()
	if err := a.mirror(c, s); err != nil {
		// The decision stands; the switch write is pending and shown with the conflicts.
		a.cfg.Log.Warn("CuePoint's switch not updated", "category", c, "err", err)
	}
	return nil
}

// ConsentHistory returns every recorded decision, oldest first.
func (a *Agent) ConsentHistory() ([]consent.Decision, error) { return a.consent.History() }

// OutboxItems lists what waits to be sent.
func (a *Agent) OutboxItems(ctx context.Context) ([]OutboxItem, error) {
	items, err := a.outbox.List()
	out := make([]OutboxItem, len(items))
	for i, it := range items {
		out[i] = OutboxItem{ID: it.ID, Category: it.Category, Summary: it.Summary, Bytes: len(it.Payload), CreatedAt: it.CreatedAt,
			Attempts: it.Attempts, NextAttempt: it.NextAttempt, LastError: it.LastError}
		if gerr := a.gate(it.Category, it.Approved); gerr != nil && errors.Is(gerr, consent.ErrNotGranted) {
			out[i].LastError = "held: " + strings.TrimPrefix(gerr.Error(), consent.ErrNotGranted.Error()+": ")
		}
	}
	return out, err
}

// Ledger lists what left the machine (and what was given up), oldest first.
func (a *Agent) Ledger(ctx context.Context) ([]LedgerEntry, error) { return a.outbox.Ledger() }

// Wake asks the background sender (Run) to look at the outbox now.
func (a *Agent) Wake() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

// backoff is the wait after the n-th failed attempt: 5 s doubling to at most 10 min, with
// ±20 % jitter so that many machines do not retry in step.
func (a *Agent) backoff(attempts int) time.Duration {
	d := 5 * time.Second << min(attempts, 7)
	d = min(d, 10*time.Minute)
	a.rndMu.Lock()
	j := 0.8 + 0.4*a.rnd.Float64()
	a.rndMu.Unlock()
	return time.Duration(float64(d) * j)
}

// Drain sends every due item whose category is granted, one at a time, until the outbox
// has nothing due, the destination asks to wait, or ctx ends. It returns how many were sent
// and how many are still queued.
func (a *Agent) Drain(ctx context.Context) (sent, pending int, err error) {
	r, err := a.drain(ctx)
	return r.sent, r.pending, err
}

type drainResult struct {
	sent, pending int
	dropped       []string // why items were refused for good
	waitReason    string   // why the rest waits (the last retryable failure)
}

func (a *Agent) drain(ctx context.Context) (r drainResult, err error) {
	select {
	case a.drainSem <- struct{}{}:
	case <-ctx.Done():
		items, _ := a.outbox.List()
		return drainResult{pending: len(items)}, nil
	}
	defer func() { <-a.drainSem }()
	defer a.changed()
	items, err := a.outbox.List()
	if err != nil {
		return r, err
	}
	guard := scrub.New(a.cfg.Identity)
	stop := false // the destination asked to wait: do not hammer it with the rest
	for _, it := range items {
		if it.Payload == nil { // damaged on disk: it can never be sent; say so once, in the ledger
			err = errors.Join(err, a.outbox.Drop(it, a.ledgerEntry(it, 0, "dropped", it.LastError)))
			r.dropped = append(r.dropped, it.LastError)
			continue
		}
		if stop || ctx.Err() != nil || it.NextAttempt.After(a.cfg.Now()) {
			r.pending++
			if r.waitReason == "" && it.LastError != "" {
				r.waitReason = it.LastError
			}
			continue
		}
		if gerr := a.gate(it.Category, it.Approved); gerr != nil {
			r.pending++ // held, not sent: consent was withdrawn after queueing
			continue
		}
		payload, rerr := rescrub(it.Payload, guard)
		if rerr != nil {
			err = errors.Join(err, a.outbox.Drop(it, a.ledgerEntry(it, 0, "dropped", rerr.Error())))
			r.dropped = append(r.dropped, rerr.Error())
			continue
		}
		out := it
		out.Payload = payload
		wire, serr := a.cfg.Sink.Send(ctx, out)
		var final *FinalError
		var retry *RetryError
		switch {
		case serr == nil:
			e := a.ledgerEntry(it, len(wire), "sent", "")
			e.Payload = wire
			if derr := a.outbox.Done(it, e); derr != nil {
				return r, fmt.Errorf("sent %s but could not record it (it may be sent again, as the same event): %w", it.ID, derr)
			}
			r.sent++
		case errors.As(serr, &final):
			err = errors.Join(err, a.outbox.Drop(it, a.ledgerEntry(it, 0, "dropped", final.Reason)))
			r.dropped = append(r.dropped, final.Reason)
			a.cfg.Log.Warn("item dropped", "id", it.ID, "reason", final.Reason)
		case ctx.Err() != nil:
			r.pending++ // cancelled by the caller: not the destination's fault, not an attempt
		default:
			wait := a.backoff(it.Attempts)
			if errors.As(serr, &retry) && retry.After > wait {
				wait = retry.After
			}
			if rerr := a.outbox.Retry(it.ID, a.cfg.Now().Add(wait), serr.Error()); rerr != nil {
				err = errors.Join(err, rerr)
			}
			r.pending++
			r.waitReason = serr.Error()
			stop = true
			a.cfg.Log.Info("send failed, will retry", "id", it.ID, "in", wait.Round(time.Second), "reason", serr)
		}
	}
	return r, err
}

func (a *Agent) ledgerEntry(it Item, n int, outcome, detail string) LedgerEntry {
	return LedgerEntry{At: a.cfg.Now().UTC(), ItemID: it.ID, Category: it.Category, Destination: a.cfg.Sink.Destination(), Bytes: n, Outcome: outcome, Detail: detail}
}

// nextDue is when the earliest waiting item becomes due (zero: nothing waits).
func (a *Agent) nextDue() time.Time {
	items, _ := a.outbox.List()
	var next time.Time
	for _, it := range items {
		if it.Payload == nil {
			continue
		}
		if ok, _ := a.consent.Allowed(it.Category, it.Approved); !ok {
			continue
		}
		if next.IsZero() || it.NextAttempt.Before(next) {
			next = it.NextAttempt
		}
	}
	return next
}

// Run delivers queued items in the background until ctx ends: it sleeps until the next
// item is due, a new item arrives or Wake is called — no polling while idle.
func (a *Agent) Run(ctx context.Context) {
	for {
		if _, _, err := a.Drain(ctx); err != nil {
			a.cfg.Log.Error("outbox", "err", err)
		}
		var timer *time.Timer
		var due <-chan time.Time
		if next := a.nextDue(); !next.IsZero() {
			timer = time.NewTimer(max(time.Until(next), 100*time.Millisecond))
			due = timer.C
		}
		select {
		case <-ctx.Done():
			if timer != nil {
				timer.Stop()
			}
			return
		case <-a.wake:
		case <-due:
		}
		if timer != nil {
			timer.Stop()
		}
	}
}

// rescrub is the sink-side second pass: every JSON item of the envelope goes through the
// scrubber again. Payloads scrubbed at the source come back unchanged (same bytes); anything
// that slipped through is removed before it can leave.
func rescrub(payload []byte, s *scrub.Scrubber) ([]byte, error) {
	env, err := envelope.Decode(payload)
	if err != nil {
		return nil, fmt.Errorf("queued item is not a valid envelope: %w", err)
	}
	changed := false
	for i, it := range env.Items {
		if it.Type != "event" && !strings.Contains(it.ContentType, "json") {
			continue
		}
		var v any
		dec := json.NewDecoder(strings.NewReader(string(it.Payload)))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("queued %s item is not JSON: %w", it.Type, err)
		}
		clean := s.Value(v)
		if reflect.DeepEqual(v, clean) {
			continue
		}
		b, err := json.Marshal(clean)
		if err == nil {
			b, err = envelope.Readable(b)
		}
		if err != nil {
			return nil, err
		}
		env.Items[i].Payload = b
		changed = true
	}
	if !changed {
		return payload, nil
	}
	return env.Encode(), nil
}

// Settings are what a command may set differently from the running window.
type Settings struct {
	CuePoint    cuepoint.Locations
	Identity    scrub.Identity
	Sink        Sink
	OutgoingDir string
	QtSettings  cuepoint.QtSettings
}

// WithSettings is a view of the agent with other CuePoint locations and destination, on
// the same store (outbox, ledger, consent, locks): a command forwarded to the running
// window with its own --cuepoint-home or --sentry-dsn works as it would alone.
func (a *Agent) WithSettings(s Settings) *Agent {
	v := *a
	v.cfg.CuePoint, v.cfg.Identity, v.cfg.Sink, v.cfg.OutgoingDir, v.cfg.QtSettings = s.CuePoint, s.Identity, s.Sink, s.OutgoingDir, s.QtSettings
	v.derived = true
	return &v
}
