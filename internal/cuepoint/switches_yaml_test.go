package cuepoint

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func fixtureConfigYAML() string { return filepath.Join(fixtureHome, ".cuepoint", "config.yaml") }

// copyToTemp copies src into a fresh temp folder under name and returns the copy's path.
func copyToTemp(t *testing.T, src, name string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	return writeTemp(t, name, string(data))
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func readString(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// splitKeepEOL splits text into lines, each keeping its own line ending.
func splitKeepEOL(s string) []string {
	return strings.SplitAfter(s, "\n")
}

// assertOnlyLinesChanged checks that after has the same lines as before, byte for byte
// (line endings included), except the lines in want (index -> new line without ending).
func assertOnlyLinesChanged(t *testing.T, before, after string, want map[int]string) {
	t.Helper()
	a, b := splitKeepEOL(before), splitKeepEOL(after)
	if len(a) != len(b) {
		t.Fatalf("line count changed from %d to %d:\n%s", len(a), len(b), after)
	}
	for i := range a {
		if w, ok := want[i]; ok {
			eol := a[i][len(strings.TrimRight(a[i], "\r\n")):]
			if b[i] != w+eol {
				t.Errorf("line %d = %q, want %q", i+1, b[i], w+eol)
			}
			continue
		}
		if a[i] != b[i] {
			t.Errorf("line %d changed: %q -> %q", i+1, a[i], b[i])
		}
	}
}

func lineIndex(t *testing.T, text, line string) int {
	t.Helper()
	for i, l := range splitKeepEOL(text) {
		if strings.TrimRight(l, "\r\n") == line {
			return i
		}
	}
	t.Fatalf("no line %q in:\n%s", line, text)
	return -1
}

func TestWriteTelemetryRoundTripOnFixture(t *testing.T) {
	p := copyToTemp(t, fixtureConfigYAML(), "config.yaml")
	if err := os.Chmod(p, 0o640); err != nil {
		t.Fatal(err)
	}
	orig := readString(t, p)
	i := lineIndex(t, orig, "  enabled: true")

	if err := WriteTelemetryEnabled(p, false); err != nil {
		t.Fatal(err)
	}
	off := readString(t, p)
	assertOnlyLinesChanged(t, orig, off, map[int]string{i: "  enabled: false"})
	if bak := readString(t, p+".bak"); bak != orig {
		t.Errorf("backup is not the previous content:\n%s", bak)
	}
	if runtime.GOOS != "windows" {
		for _, f := range []string{p, p + ".bak"} {
			st, _ := os.Stat(f)
			if st.Mode().Perm() != 0o640 {
				t.Errorf("%s permissions = %v, want 0640", f, st.Mode().Perm())
			}
		}
	}
	v, prob := readTelemetryEnabled(p)
	if prob != nil || v == nil || *v {
		t.Fatalf("read back = %v, %v; want false", v, prob)
	}

	if err := WriteTelemetryEnabled(p, true); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, p); got != orig {
		t.Errorf("turning it back on does not restore the original bytes:\n%s", got)
	}
	if bak := readString(t, p+".bak"); bak != off {
		t.Errorf("the older backup was not overwritten with the previous content")
	}
	assertNoTempFiles(t, filepath.Dir(p))
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temp file left behind: %s", e.Name())
		}
	}
}

func TestSetTelemetryEnabledEdits(t *testing.T) {
	cases := []struct {
		name, in string
		on       bool
		want     string // "" = unchanged
	}{
		{"comments, blank lines, quoting and order are kept",
			"# CuePoint settings\nbeatport:\n  base_url: \"https://www.beatport.com\"   # quoted\n  timeout: 30\n\n" +
				"telemetry:\n  # usage statistics\n  enabled: false   # off by default\n  endpoint: 'null'\n  sample_rate: 1.0\n# end\n",
			true,
			"# CuePoint settings\nbeatport:\n  base_url: \"https://www.beatport.com\"   # quoted\n  timeout: 30\n\n" +
				"telemetry:\n  # usage statistics\n  enabled: true   # off by default\n  endpoint: 'null'\n  sample_rate: 1.0\n# end\n"},
		{"flow style section edited in place",
			"ui:\n  theme: dark\ntelemetry: {enabled: false, endpoint: null}  # flow\n",
			true, "ui:\n  theme: dark\ntelemetry: {enabled: true, endpoint: null}  # flow\n"},
		{"flow style section without the key",
			"telemetry: { endpoint: null }\n", true, "telemetry: { enabled: true, endpoint: null }\n"},
		{"empty flow section", "telemetry: {}\n", false, "telemetry: {enabled: false}\n"},
		{"flow section after a non-ASCII key on the same line",
			"telemetry: {ünïcødé: 1, enabled: false}\n", true, "telemetry: {ünïcødé: 1, enabled: true}\n"},
		{"missing key goes after the section's last key, before comments of the next section",
			"telemetry:\n  endpoint: null\n  sample_rate: 1.0\n\n# UI settings\nui:\n  theme: dark\n", true,
			"telemetry:\n  endpoint: null\n  sample_rate: 1.0\n  enabled: true\n\n# UI settings\nui:\n  theme: dark\n"},
		{"missing key keeps the section's indentation",
			"telemetry:\n    endpoint: null\n", true, "telemetry:\n    endpoint: null\n    enabled: true\n"},
		{"missing key after a nested mapping",
			"telemetry:\n  extra:\n    a: 1\nui: {}\n", false, "telemetry:\n  extra:\n    a: 1\n  enabled: false\nui: {}\n"},
		{"missing section is appended", "ui:\n  theme: dark\n# last comment\n", true,
			"ui:\n  theme: dark\n# last comment\ntelemetry:\n  enabled: true\n"},
		{"missing section uses the file's indentation", "ui:\n    theme: dark\n", true,
			"ui:\n    theme: dark\ntelemetry:\n    enabled: true\n"},
		{"missing section, no final line break", "ui:\n  theme: dark", true,
			"ui:\n  theme: dark\ntelemetry:\n  enabled: true\n"},
		{"missing key, no final line break", "telemetry:\n  endpoint: null", true,
			"telemetry:\n  endpoint: null\n  enabled: true"},
		{"CRLF file", "ui:\r\n  theme: dark\r\ntelemetry:\r\n  enabled: true\r\n", false,
			"ui:\r\n  theme: dark\r\ntelemetry:\r\n  enabled: false\r\n"},
		{"CRLF file, missing section", "ui:\r\n  theme: dark\r\n", true,
			"ui:\r\n  theme: dark\r\ntelemetry:\r\n  enabled: true\r\n"},
		{"empty file", "", true, "telemetry:\n  enabled: true\n"},
		{"comments only", "# nothing yet\n", true, "# nothing yet\ntelemetry:\n  enabled: true\n"},
		{"empty section", "telemetry:\nui:\n  theme: dark\n", true, "telemetry:\n  enabled: true\nui:\n  theme: dark\n"},
		{"empty section at the end", "ui: 1\ntelemetry:   # soon\n", true, "ui: 1\ntelemetry:   # soon\n  enabled: true\n"},
		{"null section", "telemetry: null\n", true, "telemetry: {enabled: true}\n"},
		{"empty value", "telemetry:\n  enabled:\n  endpoint: x\n", true, "telemetry:\n  enabled: true\n  endpoint: x\n"},
		{"empty value with comment", "telemetry:\n  enabled:  # ?\n", false, "telemetry:\n  enabled: false  # ?\n"},
		{"YAML 1.1 spelling that already means it is left alone", "telemetry:\n  enabled: yes\n", true, ""},
		{"YAML 1.1 spelling is replaced", "telemetry:\n  enabled: Yes\n", false, "telemetry:\n  enabled: false\n"},
		{"same value: no change", "telemetry:\n  enabled: false\n", false, ""},
		{"tagged value keeps its tag", "telemetry:\n  enabled: !!bool false\n", true, "telemetry:\n  enabled: !!bool true\n"},
		{"quoted text becomes a boolean", "telemetry:\n  enabled: \"false\" # was text\n", true, "telemetry:\n  enabled: true # was text\n"},
		{"single-quoted with escaped quote", "telemetry:\n  enabled: 'it''s off'\n", true, "telemetry:\n  enabled: true\n"},
		{"byte order mark", "\ufefftelemetry: {enabled: false}\n", true, "\ufefftelemetry: {enabled: true}\n"},
		{"document start marker", "---\ntelemetry:\n  enabled: false\n", true, "---\ntelemetry:\n  enabled: true\n"},
		{"secrets and personal paths untouched",
			"incrate:\n  beatport_password: \"p@ss: word # not a comment\"\ntelemetry:\n  enabled: true\n", false,
			"incrate:\n  beatport_password: \"p@ss: word # not a comment\"\ntelemetry:\n  enabled: false\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := setTelemetryEnabled([]byte(c.in), c.on)
			if err != nil {
				t.Fatal(err)
			}
			want := c.want
			if want == "" {
				want = c.in
			}
			if string(got) != want {
				t.Errorf("got\n%q\nwant\n%q", got, want)
			}
		})
	}
}

func TestSetTelemetryEnabledRefuses(t *testing.T) {
	cases := []struct{ name, in, wantMsg string }{
		{"not YAML", "telemetry:\n  enabled: true\n bad: [\n", "not valid YAML"},
		{"tab indentation", "telemetry:\n\tenabled: true\n", "not valid YAML"},
		{"binary", "telemetry:\x00\x01\x02", "not UTF-8 text"},
		{"two documents", "a: 1\n---\nb: 2\n", "more than one YAML document"},
		{"top level is a list", "- a\n- b\n", "not a mapping"},
		{"duplicate section", "telemetry:\n  enabled: true\ntelemetry:\n  enabled: false\n", "already defined"},
		{"duplicate key elsewhere", "ui:\n  a: 1\n  a: 2\ntelemetry:\n  enabled: true\n", "not valid YAML"},
		{"section is a value", "telemetry: true\n", "not a section"},
		{"value is a list", "telemetry:\n  enabled: [true]\n", "not a single value"},
		{"value is a block scalar", "telemetry:\n  enabled: |\n    false\n", "block scalar"},
		{"value is an alias", "x: &t false\ntelemetry:\n  enabled: *t\n", "alias"},
		{"multi-line plain value", "telemetry:\n  enabled: maybe\n    later\n", "several lines"},
		{"document end marker", "ui: 1\n...\n", "document end marker"},
		{"lone carriage returns", "ui: 1\rtelemetry:\r  enabled: true\r", "carriage return"},
		{"flow top level", "{ui: 1}\n", "flow style"},
		{"insertion would change a keep-chomped block scalar", "telemetry:\n  note: |+\n    hi\n\n\nui: 1\n", "would have changed more"},
		{"section is anchored and aliased elsewhere", "telemetry: &t\n  endpoint: x\nother: *t\n", "would have changed more"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := setTelemetryEnabled([]byte(c.in), false)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrUnparseable) || !strings.Contains(err.Error(), c.wantMsg) {
				t.Errorf("error %q: want ErrUnparseable mentioning %q", err, c.wantMsg)
			}
		})
	}
}

func TestWriteTelemetryNeverWritesAFileThatDoesNotParse(t *testing.T) {
	const broken = "# my notes\ntelemetry:\n  enabled: true\n  endpoint: \"unclosed\n"
	p := writeTemp(t, "config.yaml", broken)
	err := WriteTelemetryEnabled(p, false)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{p, "not valid YAML", "fix the file", "nothing"} {
		if !strings.Contains(msg, want) && !(want == "nothing" && strings.Contains(msg, "not written")) {
			t.Errorf("error %q does not mention %q", msg, want)
		}
	}
	if got := readString(t, p); got != broken {
		t.Error("the file was changed")
	}
	if _, err := os.Stat(p + ".bak"); err == nil {
		t.Error("a backup was written for a refused edit")
	}
	assertNoTempFiles(t, filepath.Dir(p))
}

func TestWriteTelemetryMissingFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".cuepoint", "config.yaml")
	if err := WriteTelemetryEnabled(p, false); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("turning telemetry off created config.yaml")
	}
	if err := WriteTelemetryEnabled(p, true); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, p); got != "telemetry:\n  enabled: true\n" {
		t.Errorf("created %q", got)
	}
	if _, err := os.Stat(p + ".bak"); err == nil {
		t.Error("backup of a file that did not exist")
	}
}

func TestWriteTelemetrySameValueDoesNotWrite(t *testing.T) {
	p := copyToTemp(t, fixtureConfigYAML(), "config.yaml")
	if err := WriteTelemetryEnabled(p, true); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p + ".bak"); err == nil {
		t.Error("a no-op wrote the file (backup exists)")
	}
}

func TestWriteTelemetryThroughSymlinkKeepsTheLink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	real := copyToTemp(t, fixtureConfigYAML(), "dotfiles-config.yaml")
	orig := readString(t, real)
	link := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteTelemetryEnabled(link, false); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Fatal("the symlink was replaced by a file")
	}
	assertOnlyLinesChanged(t, orig, readString(t, real), map[int]string{lineIndex(t, orig, "  enabled: true"): "  enabled: false"})
	if readString(t, link+".bak") != orig {
		t.Error("no backup next to the link")
	}
}

func TestReadTelemetryEnabled(t *testing.T) {
	cases := []struct {
		name, in string
		want     *bool
		problem  string
	}{
		{"true", "telemetry:\n  enabled: true\n", ptrBool(true), ""},
		{"YAML 1.1 off", "telemetry:\n  enabled: off\n", ptrBool(false), ""},
		{"flow", "telemetry: {enabled: false}\n", ptrBool(false), ""},
		{"no section", "ui: 1\n", nil, ""},
		{"no key", "telemetry:\n  endpoint: x\n", nil, ""},
		{"null", "telemetry:\n  enabled: ~\n", nil, ""},
		{"empty section", "telemetry:\n", nil, ""},
		{"empty file", "", nil, ""},
		{"text", "telemetry:\n  enabled: \"true\"\n", nil, "not true or false"},
		{"number", "telemetry:\n  enabled: 2\n", nil, "not true or false"},
		{"not YAML", "telemetry: [\n", nil, "not valid YAML"},
		{"section is a list", "telemetry:\n  - a\n", nil, "not a section"},
		{"duplicate key", "telemetry:\n  enabled: true\n  enabled: false\n", nil, "twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeTemp(t, "config.yaml", c.in)
			got, prob := readTelemetryEnabled(p)
			if (got == nil) != (c.want == nil) || (got != nil && *got != *c.want) {
				t.Errorf("got %v, want %v", fmtBoolPtr(got), fmtBoolPtr(c.want))
			}
			switch {
			case c.problem == "" && prob != nil:
				t.Errorf("unexpected problem %v", prob)
			case c.problem != "" && (prob == nil || prob.File != p || !strings.Contains(prob.Message, c.problem)):
				t.Errorf("problem %v, want one for %s mentioning %q", prob, p, c.problem)
			}
		})
	}
}

func ptrBool(b bool) *bool { return &b }

func fmtBoolPtr(b *bool) string {
	if b == nil {
		return "nil"
	}
	if *b {
		return "true"
	}
	return "false"
}
