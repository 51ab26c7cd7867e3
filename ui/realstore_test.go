package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/stuchain/cuepoint-companion/agent"
	"github.com/stuchain/cuepoint-companion/consent"
	"github.com/stuchain/cuepoint-companion/internal/cuepoint"
)

// TestAnswersReachTheRealStoreAndCuePoint drives the window against the real agent (bbolt
// store, CuePoint's switches in a copy of the fixture home): the first-run answers and a
// later change on the Privacy screen are recorded as made in the window and mirrored into
// CuePoint's config.yaml.
func TestAnswersReachTheRealStoreAndCuePoint(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	if err := os.CopyFS(home, os.DirFS("../testdata/home-linux")); err != nil {
		t.Fatal(err)
	}
	yamlPath := filepath.Join(home, ".cuepoint", "config.yaml")
	os.Chmod(filepath.Dir(yamlPath), 0o755)
	os.Chmod(yamlPath, 0o644)
	locs := cuepoint.LocationsFor("linux", home, nil)
	qt := cuepoint.NewFakeQtSettings()
	a, err := agent.Open(agent.Config{StorePath: filepath.Join(t.TempDir(), "c.db"), CuePoint: locs,
		Sink: &agent.FolderSink{Dir: t.TempDir()}, Version: "test", QtSettings: qt})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()

	app := test.NewTempApp(t)
	loop := &testLoop{}
	m := newMainWindow(app, a, testOpts, loop.threading())
	m.win.Resize(fyne.NewSize(1200, 800))
	t.Cleanup(func() { m.win.Close(); loop.drain() })
	h := &harness{t: t, app: app, loop: loop, m: m}

	fr := h.firstRunPage()
	for _, info := range consent.Categories {
		choice := choiceDeny
		if info.Category == consent.CrashReports {
			choice = choiceAsk
		}
		fr.radios[info.Category].SetSelected(choice)
	}
	test.Tap(fr.saveBtn)
	h.waitFor("the first-run page to close", func() bool { return h.m.first == nil })
	for _, info := range consent.Categories {
		d, err := a.Decision(info.Category)
		if err != nil || d.Source != consent.FromGUI || d.State == consent.Undecided {
			t.Fatalf("%s: %+v %v", info.Category, d, err)
		}
	}
	if v := qt.Values(cuepoint.ErrorReportingGroup); v["consented"] != "false" || v["first_run_prompt_shown"] != "true" {
		t.Errorf("CuePoint's error-reporting switch: %v", v)
	}

	p := h.loadedPrivacy()
	rowOf(p, consent.UsageStatistics).radio.SetSelected(choiceAllow)
	h.waitFor("the choice to be saved and mirrored into config.yaml", func() bool {
		d, _ := a.Decision(consent.UsageStatistics)
		b, _ := os.ReadFile(yamlPath)
		return d.State == consent.Granted && d.Source == consent.FromGUI && strings.Contains(string(b), "telemetry:\n  enabled: true")
	})
	h.waitFor("the history to show it", func() bool { return len(p.history) == len(consent.Categories)+1 })
}
