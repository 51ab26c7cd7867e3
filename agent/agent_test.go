package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stuchain/cuepoint-companion/consent"
	"github.com/stuchain/cuepoint-companion/consent/scrub"
	"github.com/stuchain/cuepoint-companion/internal/cuepoint"
	"github.com/stuchain/cuepoint-companion/internal/envelope"
	"github.com/stuchain/cuepoint-companion/internal/sentrytest"
	"github.com/stuchain/cuepoint-companion/internal/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

const fixtureHome = "../testdata/home-linux"

// personal is what the fixture home holds about its user and must never leave.
var personal = []string{"alice", "Alice", "ALICE", "alice.dj@example.com", "192.168.1.23", "abc123secretvalue", "hunter2-not-real",
	"eyJhbGciOiJIUzI1NiJ9.ZmFrZS10b2tlbi1mb3ItdGVzdHM.c2lnbmF0dXJl", "eyJhbGciOiJIUzI1NiJ9", "_MEIx8Qz1a", "_MEIk2Lm9p"}

var fixedNow = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func newAgent(t *testing.T, dataDir string, sink Sink, now func() time.Time) *Agent {
	t.Helper()
	a, err := openTestAgent(dataDir, sink, now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func openTestAgent(dataDir string, sink Sink, now func() time.Time) (*Agent, error) {
	if now == nil {
		now = func() time.Time { return fixedNow }
	}
	locs, err := cuepoint.Locate(fixtureHome, nil)
	if err != nil {
		return nil, err
	}
	return Open(Config{
		StorePath: filepath.Join(dataDir, "companion.db"),
		CuePoint:  locs,
		Identity:  scrub.Identity{},
		Sink:      sink,
		Version:   "test",
		Now:       now,
		Location:  time.UTC,
	})
}

func sentrySink(t *testing.T, srv *sentrytest.Server) *SentrySink {
	t.Helper()
	s, err := NewSentrySink(srv.DSN(), "test")
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return fixedNow }
	return s
}

func TestFixtureListsTwoGroupsOfThreeReports(t *testing.T) {
	a := newAgent(t, t.TempDir(), &FolderSink{Dir: t.TempDir()}, nil)
	groups, problems, err := a.CrashGroups(context.Background())
	if err != nil || len(problems) > 0 {
		t.Fatalf("err %v problems %v", err, problems)
	}
	if len(groups) != 2 {
		t.Fatalf("%d groups, want 2", len(groups))
	}
	if groups[0].ID != "af1dcb1dd2c13a0e" || groups[0].Count != 1 || groups[1].ID != "f3a7b538e3318257" || groups[1].Count != 2 {
		t.Fatalf("groups = %+v", groups)
	}
	g := groups[1]
	if !g.First.Equal(time.Date(2026, 11, 20, 10, 15, 2, 250113000, time.UTC)) || !g.Last.Equal(time.Date(2026, 11, 21, 21, 40, 9, 4512000, time.UTC)) {
		t.Errorf("dates %v %v", g.First, g.Last)
	}
	if g.Culprit != "cuepoint.data.beatport in parse_results" {
		t.Errorf("culprit %q", g.Culprit)
	}
	if g.Reports[0].EventID == g.Reports[1].EventID {
		t.Error("two reports of one group share an event_id: the second would be dropped by Sentry")
	}
	if g.Status != StatusNew {
		t.Errorf("status %s", g.Status)
	}
}

// TestEnvelopesGolden pins the exact bytes of each crash's envelope and checks that the
// scrubbed payload kept the traceback's structure and lost the user's data.
func TestEnvelopesGolden(t *testing.T) {
	a := newAgent(t, t.TempDir(), &FolderSink{Dir: t.TempDir()}, nil)
	crashes, _ := cuepoint.ReadCrashes(a.cfg.CuePoint.CrashDirs, time.UTC)
	for _, c := range crashes {
		it, err := a.crashItem(c)
		if err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", c.Name+".envelope")
		if *update {
			os.WriteFile(golden, it.Payload, 0o644)
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./agent -update to create it)", err)
		}
		if !bytes.Equal(it.Payload, want) {
			t.Errorf("%s differs from %s (run with -update and review the diff)", c.Name, golden)
		}
		assertClean(t, c.Name, it.Payload)
	}
}

func assertClean(t *testing.T, name string, payload []byte) {
	t.Helper()
	for _, p := range personal {
		if bytes.Contains(bytes.ToLower(payload), bytes.ToLower([]byte(p))) {
			t.Errorf("%s: envelope contains %q", name, p)
		}
	}
}

func decodeEvent(t *testing.T, payload []byte) map[string]any {
	t.Helper()
	env, err := envelope.Decode(payload)
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	if err := json.Unmarshal(env.Items[0].Payload, &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestCrashEventStructure(t *testing.T) {
	a := newAgent(t, t.TempDir(), &FolderSink{Dir: t.TempDir()}, nil)
	p, err := a.PreviewCrashGroup(context.Background(), "f3a7b538e3318257")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 2 || !bytes.Equal(p.Payload, append(append([]byte(nil), p.Items[0].Payload...), p.Items[1].Payload...)) {
		t.Fatalf("the preview of a group of 2 must hold both envelopes: %d", len(p.Items))
	}
	ev := decodeEvent(t, p.Items[1].Payload)
	if ev["release"] != "cuepoint@1.0.3" || ev["dist"] != "412" || ev["level"] != "fatal" || ev["platform"] != "python" {
		t.Errorf("release/dist/level/platform: %v %v %v %v", ev["release"], ev["dist"], ev["level"], ev["platform"])
	}
	values := ev["exception"].([]any) // sentry-go writes the list form, which Sentry accepts
	if len(values) != 2 {
		t.Fatalf("%d exceptions, want the chain of 2", len(values))
	}
	type fr struct {
		file, fn, module string
		line             float64
		inApp            bool
		ctx              string
	}
	want := [][]fr{
		{{"cuepoint/data/beatport.py", "search_tracks", "cuepoint.data.beatport", 1133, true, "resp = self.session.get(url, params=params, timeout=(3, 8))"},
			{"requests/sessions.py", "get", "requests.sessions", 602, false, `return self.request("GET", url, **kwargs)`},
			{"requests/adapters.py", "send", "requests.adapters", 713, false, "raise ReadTimeout(e, request=request)"}},
		{{"cuepoint/core/matcher.py", "best_beatport_match", "cuepoint.core.matcher", 1422, true, "candidates = self._collect_candidates(track, queries)"},
			{"cuepoint/core/matcher.py", "_collect_candidates", "cuepoint.core.matcher", 980, true, `results.extend(parse_results(html, source_file="~/Music/rekordbox/<user> Collection 2026.xml"))`},
			{"cuepoint/data/beatport.py", "parse_results", "cuepoint.data.beatport", 1187, true, `return [r["track"] for r in payload["results"]]`}},
	}
	types := []string{"ReadTimeout", "KeyError"}
	for i, v := range values {
		ex := v.(map[string]any)
		if ex["type"] != types[i] {
			t.Errorf("exception %d type %v, want %s", i, ex["type"], types[i])
		}
		frames := ex["stacktrace"].(map[string]any)["frames"].([]any)
		if len(frames) != len(want[i]) {
			t.Fatalf("exception %d: %d frames", i, len(frames))
		}
		for j, f := range frames {
			m := f.(map[string]any)
			w := want[i][j]
			got := fr{m["filename"].(string), m["function"].(string), m["module"].(string), m["lineno"].(float64), m["in_app"].(bool), m["context_line"].(string)}
			if got != w {
				t.Errorf("exception %d frame %d:\n got %+v\nwant %+v", i, j, got, w)
			}
		}
	}
	mech0 := values[0].(map[string]any)["mechanism"].(map[string]any)
	mech1 := values[1].(map[string]any)["mechanism"].(map[string]any)
	if mech1["exception_id"] != 0.0 || mech0["exception_id"] != 1.0 || mech0["parent_id"] != 0.0 || mech0["source"] != "__context__" {
		t.Errorf("chain links: %v / %v", mech0, mech1)
	}
	if fp := fmt.Sprint(ev["fingerprint"]); fp != "[cuepoint-crash requests.exceptions.ReadTimeout KeyError cuepoint.core.matcher.best_beatport_match cuepoint.core.matcher._collect_candidates cuepoint.data.beatport.parse_results]" {
		t.Errorf("fingerprint %s", fp)
	}
	crumbs := ev["breadcrumbs"].([]any)
	if len(crumbs) != 3 || crumbs[2].(map[string]any)["message"] != "Sending crash email to <email-1> from <ip-1>" {
		t.Errorf("breadcrumbs %v", crumbs)
	}
	contexts := ev["contexts"].(map[string]any)
	if contexts["os"].(map[string]any)["name"] != "Linux" || contexts["runtime"].(map[string]any)["version"] != "3.13.1" {
		t.Errorf("contexts %v", contexts)
	}
}

// The same crash read from either half gives the same event_id, so a pair whose JSON
// shows up later is not a new event.
func TestEventIDStableAcrossHalves(t *testing.T) {
	src := filepath.Join(fixtureHome, ".local/share/StuChain/CuePoint/CuePoint/Logs/crashes")
	ids := map[string]string{}
	for _, keep := range []string{".json", ".log", "both"} {
		dir := t.TempDir()
		for _, ext := range []string{".json", ".log"} {
			if keep != "both" && ext != keep {
				continue
			}
			b, _ := os.ReadFile(filepath.Join(src, "crash-20261120-101502"+ext))
			os.WriteFile(filepath.Join(dir, "crash-20261120-101502"+ext), b, 0o600)
		}
		crashes, _ := cuepoint.ReadCrashes([]string{dir}, time.UTC)
		if len(crashes) != 1 {
			t.Fatalf("%s: %d crashes", keep, len(crashes))
		}
		ids[keep] = string(crashEventID(crashes[0]))
	}
	if ids[".json"] != ids["both"] || ids[".log"] != ids["both"] {
		t.Fatalf("event ids differ by half: %v", ids)
	}
}

func TestConsentOnDeliversEachEventOnce(t *testing.T) {
	srv := sentrytest.New()
	defer srv.Close()
	a := newAgent(t, t.TempDir(), sentrySink(t, srv), nil)
	if err := a.SetDecision(consent.CrashReports, consent.Granted, consent.FromCLI); err != nil {
		t.Fatal(err)
	}
	res, err := a.SendAllCrashes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Queued != 3 || res.Sent != 3 || res.Pending != 0 {
		t.Fatalf("result %+v", res)
	}
	got := srv.Envelopes()
	if len(got) != 3 || len(srv.Rejected()) > 0 {
		t.Fatalf("server got %d envelopes, rejected %v", len(got), srv.Rejected())
	}
	groups, _, _ := a.CrashGroups(context.Background())
	want := map[string]bool{}
	for _, g := range groups {
		for _, r := range g.Reports {
			want[r.EventID] = true
			if r.Status != StatusSent {
				t.Errorf("%s status %s after send", r.Name, r.Status)
			}
		}
	}
	for _, r := range got {
		h := r.Envelope.Header
		if !want[h.EventID] {
			t.Errorf("unexpected event %s", h.EventID)
		}
		delete(want, h.EventID)
		if h.DSN != srv.DSN() || !h.SentAt.Equal(fixedNow) || h.SDK == nil || h.SDK.Name != SDKName {
			t.Errorf("envelope header %+v", h)
		}
		if !strings.Contains(r.Auth, "sentry_client=cuepoint-companion/test") {
			t.Errorf("auth %q", r.Auth)
		}
		assertClean(t, h.EventID, r.Raw)
	}
	// Sending again sends nothing: the ledger knows.
	res, err = a.SendAllCrashes(context.Background())
	if err != nil || res.AlreadySent != 3 || res.Sent != 0 || len(srv.Envelopes()) != 3 {
		t.Fatalf("resend: %+v %v, server has %d", res, err, len(srv.Envelopes()))
	}
	ledger, _ := a.Ledger(context.Background())
	if len(ledger) != 3 || ledger[0].Outcome != "sent" || ledger[0].Bytes == 0 || !strings.Contains(ledger[0].Destination, "127.0.0.1") {
		t.Fatalf("ledger %+v", ledger)
	}
}

func TestConsentOffSendsNothingAtAll(t *testing.T) {
	for _, st := range []consent.State{consent.Undecided, consent.Denied} {
		t.Run(string(st), func(t *testing.T) {
			srv := sentrytest.New()
			defer srv.Close()
			a := newAgent(t, t.TempDir(), sentrySink(t, srv), nil)
			if st != consent.Undecided {
				a.SetDecision(consent.CrashReports, st, consent.FromGUI)
			}
			_, err := a.SendAllCrashes(context.Background())
			if !errors.Is(err, consent.ErrNotGranted) {
				t.Fatalf("err = %v, want ErrNotGranted", err)
			}
			_, err = a.SendCrashGroup(context.Background(), "f3a7b538e3318257")
			if !errors.Is(err, consent.ErrNotGranted) {
				t.Fatalf("group send err = %v", err)
			}
			a.Drain(context.Background())
			if items, _ := a.OutboxItems(context.Background()); len(items) != 0 {
				t.Fatalf("%d items queued without consent", len(items))
			}
			if n := srv.Requests(); n != 0 {
				t.Fatalf("server received %d requests", n)
			}
		})
	}
}

func TestWithdrawnConsentHoldsQueuedItems(t *testing.T) {
	srv := sentrytest.New()
	defer srv.Close()
	srv.Respond = func(int, http.ResponseWriter) bool { return false }
	a := newAgent(t, t.TempDir(), sentrySink(t, srv), nil)
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromGUI)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // queue only
	if _, err := a.SendAllCrashes(ctx); err != nil {
		t.Fatal(err)
	}
	a.SetDecision(consent.CrashReports, consent.Denied, consent.FromGUI)
	sent, pending, _ := a.Drain(context.Background())
	if sent != 0 || pending != 3 || srv.Requests() != 0 {
		t.Fatalf("sent %d pending %d requests %d after consent was withdrawn", sent, pending, srv.Requests())
	}
	items, _ := a.OutboxItems(context.Background())
	if len(items) != 3 || !strings.HasPrefix(items[0].LastError, "held: crash reports are not sent because you turned them off") {
		t.Fatalf("the outbox does not say why items wait: %+v", items)
	}
}

func TestRetryAndFinalAnswers(t *testing.T) {
	now := fixedNow
	clock := func() time.Time { return now }
	srv := sentrytest.New()
	defer srv.Close()
	srv.Respond = func(n int, w http.ResponseWriter) bool {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
			return true
		case 2:
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	}
	s := sentrySink(t, srv)
	s.Now = clock
	a := newAgent(t, t.TempDir(), s, clock)
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromGUI)
	res, err := a.SendCrashGroup(context.Background(), "af1dcb1dd2c13a0e")
	if err != nil || res.Pending != 1 {
		t.Fatalf("first try: %+v %v", res, err)
	}
	items, _ := a.OutboxItems(context.Background())
	if len(items) != 1 || items[0].Attempts != 1 || items[0].NextAttempt.Sub(now) < 120*time.Second {
		t.Fatalf("429 Retry-After not honoured: %+v", items)
	}
	if sent, _, _ := a.Drain(context.Background()); sent != 0 || srv.Requests() != 1 {
		t.Fatal("item sent before it was due")
	}
	now = now.Add(121 * time.Second)
	a.Drain(context.Background()) // 503
	items, _ = a.OutboxItems(context.Background())
	if len(items) != 1 || items[0].Attempts != 2 || !strings.Contains(items[0].LastError, "503") {
		t.Fatalf("after 503: %+v", items)
	}
	now = now.Add(time.Hour)
	if sent, _, _ := a.Drain(context.Background()); sent != 1 {
		t.Fatal("not sent once the server recovered")
	}
	if len(srv.Envelopes()) != 1 {
		t.Fatalf("server has %d", len(srv.Envelopes()))
	}
}

func TestRefusedItemIsDroppedWithReason(t *testing.T) {
	srv := sentrytest.New()
	defer srv.Close()
	srv.Respond = func(n int, w http.ResponseWriter) bool {
		http.Error(w, `{"detail":"envelope too large"}`, http.StatusRequestEntityTooLarge)
		return true
	}
	a := newAgent(t, t.TempDir(), sentrySink(t, srv), nil)
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromGUI)
	a.SendCrashGroup(context.Background(), "af1dcb1dd2c13a0e")
	items, _ := a.OutboxItems(context.Background())
	ledger, _ := a.Ledger(context.Background())
	if len(items) != 0 || len(ledger) != 1 || ledger[0].Outcome != "dropped" || !strings.Contains(ledger[0].Detail, "413") {
		t.Fatalf("items %+v ledger %+v", items, ledger)
	}
}

// The sink-side pass removes what a buggy producer let through.
func TestUnscrubbedItemIsScrubbedBeforeSending(t *testing.T) {
	srv := sentrytest.New()
	defer srv.Close()
	a := newAgent(t, t.TempDir(), sentrySink(t, srv), nil)
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromGUI)
	raw := `{"event_id":"00000000000000000000000000000001","message":"mail alice.dj@example.com from 192.168.1.23 at /home/alice/x.py","extra":{"password":"hunter2-not-real"}}`
	env := &envelope.Envelope{Header: envelope.Header{EventID: "00000000000000000000000000000001"}, Items: []envelope.Item{{Type: "event", Payload: []byte(raw)}}}
	if err := a.outbox.Put(Item{ID: "00000000000000000000000000000001", Category: consent.CrashReports, Payload: env.Encode(), CreatedAt: fixedNow}, a.Destination()); err != nil {
		t.Fatal(err)
	}
	if sent, _, _ := a.Drain(context.Background()); sent != 1 {
		t.Fatal("not sent")
	}
	assertClean(t, "raw item", srv.Envelopes()[0].Raw)
}

func TestFolderSinkWritesReadyToSendEnvelopes(t *testing.T) {
	out := t.TempDir()
	a := newAgent(t, t.TempDir(), &FolderSink{Dir: out, Now: func() time.Time { return fixedNow }}, nil)
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromCLI)
	res, err := a.SendAllCrashes(context.Background())
	if err != nil || res.Sent != 3 {
		t.Fatalf("%+v %v", res, err)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.envelope"))
	if len(files) != 3 {
		t.Fatalf("%d files", len(files))
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		env, err := envelope.Decode(b)
		if err != nil || env.Header.SentAt.IsZero() || filepath.Base(f) != env.Header.EventID+".envelope" {
			t.Errorf("%s: %v %+v", f, err, env.Header)
		}
		assertClean(t, f, b)
	}
}

func TestRateLimitDelay(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		h    map[string]string
		want time.Duration
	}{
		{map[string]string{"Retry-After": "30"}, 30 * time.Second},
		{map[string]string{"Retry-After": now.Add(90 * time.Second).Format(http.TimeFormat)}, 90 * time.Second},
		{map[string]string{"X-Sentry-Rate-Limits": "60:transaction:key, 2700:error;default:organization"}, 2700 * time.Second},
		{map[string]string{"X-Sentry-Rate-Limits": "120::organization"}, 120 * time.Second},
		{map[string]string{"X-Sentry-Rate-Limits": "120:transaction:key", "Retry-After": "5"}, 5 * time.Second},
		{nil, 0},
	}
	for _, c := range cases {
		h := http.Header{}
		for k, v := range c.h {
			h.Set(k, v)
		}
		if got := rateLimitDelay(h, now); got != c.want {
			t.Errorf("%v: got %v want %v", c.h, got, c.want)
		}
	}
}

// blockingSink holds every Send until release is closed or the caller gives up.
type blockingSink struct {
	entered chan struct{}
	release chan struct{}
}

func (b *blockingSink) Destination() string { return "blocking test sink" }
func (b *blockingSink) Send(ctx context.Context, it Item) ([]byte, error) {
	b.entered <- struct{}{}
	select {
	case <-b.release:
		return it.Payload, nil
	case <-ctx.Done():
		return nil, &RetryError{Reason: ctx.Err().Error()}
	}
}

// A caller waiting behind a slow send can give up (the GUI's Cancel), and a cancelled
// send is not counted as a failed attempt.
func TestCancelWhileAnotherDrainRuns(t *testing.T) {
	sink := &blockingSink{entered: make(chan struct{}, 4), release: make(chan struct{})}
	a := newAgent(t, t.TempDir(), sink, nil)
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromGUI)
	q, cancelQ := context.WithCancel(context.Background())
	cancelQ()
	a.SendAllCrashes(q) // queue only

	first, cancelFirst := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.Drain(first); close(done) }()
	<-sink.entered

	second, cancelSecond := context.WithCancel(context.Background())
	returned := make(chan struct{})
	go func() { a.Drain(second); close(returned) }()
	cancelSecond()
	select {
	case <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("a cancelled Drain kept waiting for the running one")
	}
	cancelFirst()
	<-done
	items, _ := a.OutboxItems(context.Background())
	if len(items) != 3 {
		t.Fatalf("%d items after cancel", len(items))
	}
	for _, it := range items {
		if it.Attempts != 0 {
			t.Errorf("cancelled send counted as attempt: %+v", it)
		}
	}
}

// A wrong or revoked DSN is not the reports' fault: they stay queued, the user is told.
func TestUnauthorizedKeepsReportsQueued(t *testing.T) {
	srv := sentrytest.New()
	defer srv.Close()
	sink := sentrySink(t, srv)
	srv.Key = "ffffffffffffffffffffffffffffffff" // the project's key was revoked: 401
	a := newAgent(t, t.TempDir(), sink, nil)
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromGUI)
	res, err := a.SendAllCrashes(context.Background())
	if err != nil || res.Pending != 3 || len(res.Dropped) != 0 || !strings.Contains(res.Message, "check --sentry-dsn") {
		t.Fatalf("%+v %v", res, err)
	}
	if srv.Requests() != 1 {
		t.Errorf("%d requests: after the first refusal the rest must wait, not hammer the server", srv.Requests())
	}
}

func TestRefusalIsReportedNotHidden(t *testing.T) {
	srv := sentrytest.New()
	defer srv.Close()
	srv.Respond = func(n int, w http.ResponseWriter) bool {
		http.Error(w, "bad event", http.StatusBadRequest)
		return true
	}
	a := newAgent(t, t.TempDir(), sentrySink(t, srv), nil)
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromGUI)
	res, _ := a.SendCrashGroup(context.Background(), "af1dcb1dd2c13a0e")
	if len(res.Dropped) != 1 || !strings.Contains(res.Message, "refused for good") || !strings.Contains(res.Message, "400") {
		t.Fatalf("%+v", res)
	}
}

func TestRateLimitWithoutHeaderWaitsTheDefault(t *testing.T) {
	srv := sentrytest.New()
	defer srv.Close()
	srv.Respond = func(n int, w http.ResponseWriter) bool { w.WriteHeader(http.StatusTooManyRequests); return true }
	a := newAgent(t, t.TempDir(), sentrySink(t, srv), nil)
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromGUI)
	a.SendCrashGroup(context.Background(), "af1dcb1dd2c13a0e")
	items, _ := a.OutboxItems(context.Background())
	if len(items) != 1 || items[0].NextAttempt.Sub(fixedNow) < 60*time.Second {
		t.Fatalf("%+v", items)
	}
	if d := rateLimitDelay(http.Header{"Retry-After": {"999999999999"}}, fixedNow); d != maxWait {
		t.Errorf("an absurd Retry-After is not capped: %v", d)
	}
}

// Reports saved to the offline folder can still go to Sentry once a DSN is configured.
func TestFolderThenSentry(t *testing.T) {
	dir := t.TempDir()
	a := newAgent(t, dir, &FolderSink{Dir: t.TempDir()}, nil)
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromCLI)
	if res, _ := a.SendAllCrashes(context.Background()); res.Sent != 3 {
		t.Fatalf("%+v", res)
	}
	a.Close()
	srv := sentrytest.New()
	defer srv.Close()
	a = newAgent(t, dir, sentrySink(t, srv), nil)
	res, err := a.SendAllCrashes(context.Background())
	if err != nil || res.Sent != 3 || len(srv.Envelopes()) != 3 {
		t.Fatalf("%+v %v", res, err)
	}
}

// What the user previews is byte for byte what leaves, but for the sent_at stamp.
func TestPreviewIsWhatLeaves(t *testing.T) {
	srv := sentrytest.New()
	defer srv.Close()
	a := newAgent(t, t.TempDir(), sentrySink(t, srv), nil)
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromCLI)
	p, _ := a.PreviewCrashGroup(context.Background(), "af1dcb1dd2c13a0e")
	a.SendCrashGroup(context.Background(), "af1dcb1dd2c13a0e")
	got := srv.Envelopes()[0].Envelope
	want, _ := envelope.Decode(p.Items[0].Payload)
	if !bytes.Equal(got.Items[0].Payload, want.Items[0].Payload) {
		t.Fatal("the event sent differs from the one previewed")
	}
}

func TestDamagedRecordIsDroppedWithReason(t *testing.T) {
	a := newAgent(t, t.TempDir(), &FolderSink{Dir: t.TempDir()}, nil)
	a.db.Update(func(tx *store.Tx) error {
		return tx.Put(store.BucketOutbox, "x", Item{ID: "x", Payload: []byte("a"), Checksum: "nope"})
	})
	a.Drain(context.Background())
	items, _ := a.OutboxItems(context.Background())
	ledger, _ := a.Ledger(context.Background())
	if len(items) != 0 || len(ledger) != 1 || !strings.Contains(ledger[0].Detail, "checksum") {
		t.Fatalf("items %+v ledger %+v", items, ledger)
	}
}

func TestEraseKeepsOnlyTheRecordOfIt(t *testing.T) {
	out := t.TempDir()
	a := newAgent(t, t.TempDir(), &FolderSink{Dir: out}, nil)
	a.cfg.OutgoingDir = out
	a.SetDecision(consent.CrashReports, consent.Granted, consent.FromCLI)
	a.SendAllCrashes(context.Background())
	plan, _ := a.ErasePlan(context.Background())
	if plan.LedgerEntries != 3 || plan.OutgoingFiles != 3 || plan.ConsentHistory != 1 {
		t.Fatalf("plan %+v", plan)
	}
	if _, err := a.EraseData(context.Background()); err != nil {
		t.Fatal(err)
	}
	x, _ := a.ExportData(context.Background())
	var got Export
	json.Unmarshal(x, &got)
	if len(got.Ledger) != 0 || len(got.ConsentHistory) != 0 || len(got.Erasures) != 1 || got.Erasures[0].LedgerEntries != 3 {
		t.Fatalf("after erase: %s", x)
	}
	if d, _ := a.Decision(consent.CrashReports); d.State != consent.Undecided {
		t.Fatalf("decision survived: %+v", d)
	}
	if files, _ := filepath.Glob(filepath.Join(out, "*")); len(files) != 0 {
		t.Fatalf("files left: %v", files)
	}
}

func TestExamplesComeFromTheUsersOwnFilesScrubbed(t *testing.T) {
	a := newAgent(t, t.TempDir(), &FolderSink{Dir: t.TempDir()}, nil)
	ex, err := a.Examples(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []consent.Category{consent.CrashReports, consent.ErrorEvents, consent.UsageStatistics, consent.PerformanceReports} {
		if ex[c] == "" {
			t.Errorf("no example for %s", c)
		}
		assertClean(t, string(c), []byte(ex[c]))
	}
	if !strings.Contains(ex[consent.PerformanceReports], "1000 tracks") {
		t.Errorf("perf example %q", ex[consent.PerformanceReports])
	}
}

// A name learnt from a home path in one string of the crash is removed from every other
// string of the event, and numbered replacements are consistent across the event.
func TestScrubbingSpansTheWholeEvent(t *testing.T) {
	home := t.TempDir()
	dir := filepath.Join(home, ".local/share/StuChain/CuePoint/CuePoint/Logs/crashes")
	os.MkdirAll(dir, 0o755)
	log := strings.Join([]string{
		"============================================================", "CuePoint Crash Report",
		"============================================================",
		"Timestamp: 2026-11-23T09:00:00.000001", "Exception: ValueError", "Message: bad bpm for bob@example.org", "",
		"Traceback:", "Traceback (most recent call last):",
		`  File "/home/bob/src/cuepoint/core/bpm.py", line 12, in parse`, "    raise ValueError(msg)",
		"ValueError: bad bpm for bob@example.org", "", "",
		"============================================================", "Recent Log Entries (last 200 lines)",
		"============================================================",
		"2026-11-23 08:59:59 [INFO    ] cuepoint: loaded playlist Bob Party Mix user=bob mail=bob@example.org run_id=- version=1.0.3 os=Linux",
	}, "\n") + "\n"
	os.WriteFile(filepath.Join(dir, "crash-20261123-090000.log"), []byte(log), 0o600)
	locs, _ := cuepoint.Locate(home, nil)
	a, err := Open(Config{StorePath: filepath.Join(t.TempDir(), "c.db"), CuePoint: locs, Sink: &FolderSink{Dir: t.TempDir()}, Version: "test", Now: func() time.Time { return fixedNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	groups, _, _ := a.CrashGroups(context.Background())
	if len(groups) != 1 {
		t.Fatalf("%d groups", len(groups))
	}
	p, err := a.PreviewCrashGroup(context.Background(), groups[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	body := string(p.Payload)
	if strings.Contains(strings.ToLower(body), "bob") {
		t.Errorf("the name leaks:\n%s", body)
	}
	if strings.Count(body, "<email-1>") < 2 || strings.Contains(body, "<email-2>") {
		t.Errorf("one address must be <email-1> everywhere:\n%s", body)
	}
}

// Decisions made at the same time (commands forwarded to the window) leave CuePoint's
// switch agreeing with the last recorded decision.
func TestConcurrentDecisionsStayMirrored(t *testing.T) {
	home := t.TempDir()
	os.MkdirAll(filepath.Join(home, ".cuepoint"), 0o755)
	os.WriteFile(filepath.Join(home, ".cuepoint", "config.yaml"), []byte("telemetry:\n  enabled: false\n"), 0o644)
	locs := cuepoint.LocationsFor("linux", home, nil)
	a, err := Open(Config{StorePath: filepath.Join(t.TempDir(), "c.db"), CuePoint: locs, Sink: &FolderSink{Dir: t.TempDir()},
		Version: "test", QtSettings: cuepoint.NewFakeQtSettings()})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := consent.Granted
			if i%2 == 0 {
				st = consent.Denied
			}
			a.SetDecision(consent.UsageStatistics, st, consent.FromCLI)
		}()
	}
	wg.Wait()
	d, _ := a.Decision(consent.UsageStatistics)
	b, _ := os.ReadFile(locs.ConfigYAML)
	want := "enabled: " + strconv.FormatBool(d.State == consent.Granted)
	if !strings.Contains(string(b), want) {
		t.Fatalf("decision %s but config.yaml says:\n%s", d.State, b)
	}
	if k, _ := a.SwitchConflicts(context.Background()); len(k) != 0 {
		t.Fatalf("made-up conflicts: %+v", k)
	}
}
