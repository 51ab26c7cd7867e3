package ui

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/stuchain/cuepoint-companion/consent"
)

func TestReloaderCoalesces(t *testing.T) {
	var starts int
	var pending []func()
	r := &reloader{start: func(done func()) { starts++; pending = append(pending, done) }}

	r.request()
	r.request()
	r.request()
	if starts != 1 {
		t.Fatalf("%d loads started while one was running, want 1", starts)
	}
	pending[0]() // first load applied: exactly one more for the three requests made meanwhile
	if starts != 2 {
		t.Fatalf("%d loads after the first finished, want 2", starts)
	}
	pending[1]()
	if starts != 2 || r.running {
		t.Fatalf("loads = %d, running = %v after all were applied", starts, r.running)
	}
	r.request()
	if starts != 3 {
		t.Errorf("a request when idle did not start a load")
	}
}

func TestProblemText(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{errors.New("permission denied"), "Could not load the crashes: permission denied. Try again. If it keeps happening, quit and restart CuePoint Companion."},
		{fmt.Errorf("list: %w", context.DeadlineExceeded), "Could not load the crashes: the companion did not answer in time. Try again. If it keeps happening, quit and restart CuePoint Companion."},
		{context.Canceled, "Could not load the crashes: it was cancelled. Nothing else changed; you can try again."},
		{fmt.Errorf("queue: %w", consent.ErrNotGranted), "Could not load the crashes: you have not allowed this kind of data to leave the machine. Turn it on (here or under Privacy) to send it."},
	}
	for _, c := range cases {
		if got := problemText("load the crashes", c.err); got != c.want {
			t.Errorf("problemText(%v) =\n %q\nwant\n %q", c.err, got, c.want)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	cases := map[int]string{0: "0 bytes", 1: "1 byte", 999: "999 bytes", 1000: "1.0 KB", 2480: "2.5 KB", 1_500_000: "1.5 MB", -1: "unknown"}
	for n, want := range cases {
		if got := formatBytes(n); got != want {
			t.Errorf("formatBytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSafelyTurnsPanicsIntoErrors(t *testing.T) {
	v, err := safely(context.Background(), func(context.Context) (int, error) { panic("boom") })
	if v != 0 || err == nil || err.Error() != "internal error: boom" {
		t.Errorf("safely = %v, %v", v, err)
	}
}

func TestReadOnlyShortcuts(t *testing.T) {
	cases := []struct {
		s    fyne.Shortcut
		want bool
	}{
		{&fyne.ShortcutCopy{}, true},
		{&fyne.ShortcutSelectAll{}, true},
		{&fyne.ShortcutCut{}, false},
		{&fyne.ShortcutPaste{}, false},
		{&fyne.ShortcutUndo{}, false},
		{&fyne.ShortcutRedo{}, false},
		{&desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierControl}, true},
		{&desktop.CustomShortcut{KeyName: fyne.KeyBackspace, Modifier: fyne.KeyModifierControl}, false},
		{&desktop.CustomShortcut{KeyName: fyne.KeyDelete, Modifier: fyne.KeyModifierAlt}, false},
	}
	for _, c := range cases {
		if got := allowedReadOnlyShortcut(c.s); got != c.want {
			t.Errorf("allowedReadOnlyShortcut(%s) = %v, want %v", c.s.ShortcutName(), got, c.want)
		}
	}
}
