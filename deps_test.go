package companion_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencyDirection enforces DESIGN.md's one-way dependencies: only ui and cmd may
// import Fyne, and the domain packages never import ui or cmd.
func TestDependencyDirection(t *testing.T) {
	rules := []struct {
		pkg       string
		forbidden string
		why       string
	}{
		{"./agent/...", "fyne.io/", "the agent runs headless (CLI, background) and must build without cgo"},
		{"./consent/...", "fyne.io/", "consent and the scrubber are pure logic used by every front end"},
		{"./feedback/...", "fyne.io/", "feedback logic is shared by the CLI and the GUI"},
		{"./perf/...", "fyne.io/", "perf probes run headless for beta testers' scripts"},
		{"./internal/...", "fyne.io/", "internal helpers sit below every package"},
		{"./agent/...", mod + "/ui", "dependencies point cmd → ui → agent, never back"},
		{"./consent/...", mod + "/agent", "consent is below the agent"},
		{"./internal/...", mod + "/consent", "internal is below consent"},
		{"./internal/...", mod + "/agent", "internal is below the agent"},
	}
	for _, r := range rules {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", r.pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", r.pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, r.forbidden) {
				t.Errorf("%s depends on %s: forbidden because %s", r.pkg, dep, r.why)
			}
		}
	}
}

const mod = "github.com/stuchain/cuepoint-companion"
