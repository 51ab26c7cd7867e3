package cuepoint

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func fixtureQtConf() string {
	return filepath.Join(fixtureHome, ".config", "StuChain", "CuePoint.conf")
}

func TestWriteErrorReportingRoundTripOnFixture(t *testing.T) {
	p := copyToTemp(t, fixtureQtConf(), "CuePoint.conf")
	if err := os.Chmod(p, 0o644); err != nil {
		t.Fatal(err)
	}
	orig := readString(t, p)
	qt := &iniSettings{path: p}

	if err := WriteErrorReporting(qt, false, true); err != nil {
		t.Fatal(err)
	}
	step1 := readString(t, p)
	assertOnlyLinesChanged(t, orig, step1, map[int]string{lineIndex(t, orig, "enabled=true"): "enabled=false"})
	if readString(t, p+".bak") != orig {
		t.Error("backup is not the previous content")
	}

	if err := WriteErrorReporting(qt, false, false); err != nil {
		t.Fatal(err)
	}
	assertOnlyLinesChanged(t, orig, readString(t, p), map[int]string{
		lineIndex(t, orig, "enabled=true"):   "enabled=false",
		lineIndex(t, orig, "consented=true"): "consented=false",
	})
	if readString(t, p+".bak") != step1 {
		t.Error("the older backup was not overwritten")
	}
	if runtime.GOOS != "windows" {
		if st, _ := os.Stat(p); st.Mode().Perm() != 0o644 {
			t.Errorf("permissions = %v, want 0644", st.Mode().Perm())
		}
	}

	if err := WriteErrorReporting(qt, true, true); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, p); got != orig {
		t.Errorf("turning it back on does not restore the original bytes:\n%s", got)
	}
	assertNoTempFiles(t, filepath.Dir(p))
}

func TestSetQtINIEdits(t *testing.T) {
	all := map[string]string{"enabled": "false", "consented": "false", "first_run_prompt_shown": "true"}
	cases := []struct {
		name, in string
		values   map[string]string
		want     string // "" = unchanged
	}{
		{"CRLF with ; and # comments and other sections",
			"; written by CuePoint\r\n[General]\r\nrecent=/home/alice/a.xml\r\n\r\n# consent\r\n[error_reporting]\r\n" +
				"consented=true\r\nenabled=true\r\nfirst_run_prompt_shown=true\r\n\r\n[ui]\r\ntheme=dark\r\n",
			all,
			"; written by CuePoint\r\n[General]\r\nrecent=/home/alice/a.xml\r\n\r\n# consent\r\n[error_reporting]\r\n" +
				"consented=false\r\nenabled=false\r\nfirst_run_prompt_shown=true\r\n\r\n[ui]\r\ntheme=dark\r\n"},
		{"spaces around = and a trailing ; comment are kept",
			"[error_reporting]\nenabled = true   ; set by the dialog\n", map[string]string{"enabled": "false"},
			"[error_reporting]\nenabled = false   ; set by the dialog\n"},
		{"quoted value is replaced whole",
			"[error_reporting]\nenabled=\"true\"\n", map[string]string{"enabled": "false"},
			"[error_reporting]\nenabled=false\n"},
		{"empty value", "[error_reporting]\nenabled=\n", map[string]string{"enabled": "true"},
			"[error_reporting]\nenabled=true\n"},
		{"missing keys go after the section's last key, sorted",
			"[error_reporting]\nenabled=true\n\n; next\n[ui]\ntheme=dark\n", all,
			"[error_reporting]\nenabled=false\nconsented=false\nfirst_run_prompt_shown=true\n\n; next\n[ui]\ntheme=dark\n"},
		{"missing keys in an empty section",
			"[error_reporting]\n[ui]\ntheme=dark\n", map[string]string{"enabled": "true"},
			"[error_reporting]\nenabled=true\n[ui]\ntheme=dark\n"},
		{"missing keys, no final line break",
			"[error_reporting]\nenabled=true", map[string]string{"enabled": "true", "consented": "true"},
			"[error_reporting]\nenabled=true\nconsented=true"},
		{"missing section goes at the end after a blank line",
			"[ui]\r\ntheme=dark\r\n", map[string]string{"enabled": "true", "consented": "true"},
			"[ui]\r\ntheme=dark\r\n\r\n[error_reporting]\r\nconsented=true\r\nenabled=true\r\n"},
		{"missing section, no final line break",
			"[ui]\ntheme=dark", map[string]string{"enabled": "true"},
			"[ui]\ntheme=dark\n\n[error_reporting]\nenabled=true\n"},
		{"missing section after a trailing blank line",
			"[ui]\ntheme=dark\n\n", map[string]string{"enabled": "true"},
			"[ui]\ntheme=dark\n\n[error_reporting]\nenabled=true\n"},
		{"empty file", "", map[string]string{"enabled": "true"}, "[error_reporting]\nenabled=true\n"},
		{"a section appearing twice: every occurrence agrees, new keys in the last one",
			"[error_reporting]\nenabled=true\n[ui]\nx=1\n[error_reporting]\nenabled=true\n", map[string]string{"enabled": "false", "consented": "false"},
			"[error_reporting]\nenabled=false\n[ui]\nx=1\n[error_reporting]\nenabled=false\nconsented=false\n"},
		{"same key in another section is not touched",
			"[other]\nenabled=true\n[error_reporting]\nenabled=true\n", map[string]string{"enabled": "false"},
			"[other]\nenabled=true\n[error_reporting]\nenabled=false\n"},
		{"same values: no change", "[error_reporting]\nenabled=true\n", map[string]string{"enabled": "true"}, ""},
		{"old Mac line endings", "[error_reporting]\renabled=true\r", map[string]string{"enabled": "false"},
			"[error_reporting]\renabled=false\r"},
		{"byte order mark", "\ufeff[error_reporting]\nenabled=true\n", map[string]string{"enabled": "false"},
			"\ufeff[error_reporting]\nenabled=false\n"},
		{"root group is [General]", "top=1\n[General]\nx=2\n", map[string]string{"x": "3", "y": "4"},
			"top=1\n[General]\nx=3\ny=4\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			group := ErrorReportingGroup
			if strings.HasPrefix(c.name, "root group") {
				group = ""
			}
			got, err := setQtINI([]byte(c.in), group, c.values)
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

func TestQtINIThatDoesNotParseIsNeverWritten(t *testing.T) {
	cases := []struct{ name, in, wantMsg string }{
		{"binary", "[error_reporting]\nenabled=true\n\x00\x01\xff\xfe", "it is not a text file"},
		{"not a key=value line", "[error_reporting]\nenabled true\n", "line 2 is neither"},
		{"unclosed section", "[error_reporting\nenabled=true\n", "line 1 starts a [section]"},
		{"no key", "[error_reporting]\n=true\n", "line 2 has a value but no key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeTemp(t, "CuePoint.conf", c.in)
			qt := &iniSettings{path: p}
			err := WriteErrorReporting(qt, false, false)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrUnparseable) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), c.wantMsg) {
				t.Errorf("error %q: want ErrUnparseable naming the file and %q", err, c.wantMsg)
			}
			if readString(t, p) != c.in {
				t.Error("the file was changed")
			}
			if _, err := os.Stat(p + ".bak"); err == nil {
				t.Error("a backup was written for a refused edit")
			}
			if _, _, err := qt.Get(ErrorReportingGroup, "enabled"); err == nil || !strings.Contains(err.Error(), c.wantMsg) {
				t.Errorf("Get error = %v", err)
			}
		})
	}
}

func TestIniSettingsGet(t *testing.T) {
	p := writeTemp(t, "CuePoint.conf", "top=a\n[error_reporting]\nenabled = true ; c\nconsented=\"false\"\nenabled=false\n")
	qt := &iniSettings{path: p}
	for _, c := range []struct {
		group, key, want string
		ok               bool
	}{
		{ErrorReportingGroup, "enabled", "false", true}, // a later duplicate wins, as in Qt
		{ErrorReportingGroup, "consented", "false", true},
		{ErrorReportingGroup, "first_run_prompt_shown", "", false},
		{"", "top", "a", true},
		{"General", "top", "a", true},
	} {
		v, ok, err := qt.Get(c.group, c.key)
		if err != nil || ok != c.ok || v != c.want {
			t.Errorf("Get(%q, %q) = %q, %v, %v; want %q, %v", c.group, c.key, v, ok, err, c.want, c.ok)
		}
	}
	missing := &iniSettings{path: filepath.Join(t.TempDir(), "none.conf")}
	if _, ok, err := missing.Get(ErrorReportingGroup, "enabled"); ok || err != nil {
		t.Errorf("missing file: ok=%v err=%v", ok, err)
	}
}

func TestIniSettingsCreatesAMissingFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "StuChain", "CuePoint.conf")
	if err := WriteErrorReporting(&iniSettings{path: p}, true, false); err != nil {
		t.Fatal(err)
	}
	want := "[error_reporting]\nconsented=false\nenabled=true\nfirst_run_prompt_shown=true\n"
	if got := readString(t, p); got != want {
		t.Errorf("created %q, want %q", got, want)
	}
}

func TestIniSettingsRefusesValuesNeedingEscapes(t *testing.T) {
	p := writeTemp(t, "CuePoint.conf", "[error_reporting]\n")
	qt := &iniSettings{path: p}
	for _, v := range []map[string]string{{"enabled": "a;b"}, {"en abled": "x"}, {"k": "line\nbreak"}, {"a/b": "x"}} {
		if err := qt.Set(ErrorReportingGroup, v); err == nil {
			t.Errorf("Set(%q) accepted", v)
		}
	}
	if readString(t, p) != "[error_reporting]\n" {
		t.Error("file changed")
	}
}
