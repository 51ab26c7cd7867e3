package pytb

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const crashDir = "../../testdata/home-linux/.local/share/StuChain/CuePoint/CuePoint/Logs/crashes"

// crashTraceback returns exception.traceback of a fixture crash JSON.
func crashTraceback(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(crashDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Exception struct {
			Traceback string `json:"traceback"`
		} `json:"exception"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Exception.Traceback == "" {
		t.Fatalf("%s: no exception.traceback", name)
	}
	return doc.Exception.Traceback
}

// wantReadTimeoutChain is crash-20261120-101502 (and -20261121-214009).
var wantReadTimeoutChain = Traceback{Exceptions: []Exception{
	{
		Type: "requests.exceptions.ReadTimeout", Module: "requests.exceptions", Name: "ReadTimeout",
		Value: "HTTPSConnectionPool(host='www.beatport.com', port=443): Read timed out. (read timeout=8)",
		Frames: []Frame{
			{"/tmp/_MEIx8Qz1a/cuepoint/data/beatport.py", 1133, "search_tracks", "resp = self.session.get(url, params=params, timeout=(3, 8))"},
			{"/tmp/_MEIx8Qz1a/requests/sessions.py", 602, "get", `return self.request("GET", url, **kwargs)`},
			{"/tmp/_MEIx8Qz1a/requests/adapters.py", 713, "send", "raise ReadTimeout(e, request=request)"},
		},
	},
	{
		Type: "KeyError", Name: "KeyError", Value: "'results'", Link: "context",
		Frames: []Frame{
			{"/tmp/_MEIx8Qz1a/cuepoint/core/matcher.py", 1422, "best_beatport_match", "candidates = self._collect_candidates(track, queries)"},
			{"/tmp/_MEIx8Qz1a/cuepoint/core/matcher.py", 980, "_collect_candidates", `results.extend(parse_results(html, source_file="/home/alice/Music/rekordbox/Alice Collection 2026.xml"))`},
			{"/tmp/_MEIx8Qz1a/cuepoint/data/beatport.py", 1187, "parse_results", `return [r["track"] for r in payload["results"]]`},
		},
	},
}}

// wantReError is crash-20261122-080355.
var wantReError = Traceback{Exceptions: []Exception{{
	Type: "re.error", Module: "re", Name: "error",
	Value: "missing ), unterminated subpattern at position 0",
	Frames: []Frame{
		{"/tmp/_MEIk2Lm9p/cuepoint/ui/widgets/results_view.py", 1702, "_apply_filter", "self._proxy.setFilterRegularExpression(pattern)"},
		{"/tmp/_MEIk2Lm9p/cuepoint/ui/widgets/results_view.py", 1688, "_build_pattern", "return re.compile(text, re.IGNORECASE)"},
		{"/usr/lib/python3.13/re/__init__.py", 289, "compile", "return _compile(pattern, flags)"},
		{"/usr/lib/python3.13/re/_parser.py", 865, "_parse", `raise source.error("missing ), unterminated subpattern",`},
	},
}}}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file string
		want Traceback
	}{
		{"crash-20261120-101502.json", wantReadTimeoutChain},
		{"crash-20261121-214009.json", wantReadTimeoutChain},
		{"crash-20261122-080355.json", wantReError},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			text := crashTraceback(t, tt.file)
			checkTraceback(t, Parse(text), tt.want)
			// The same text with CRLF endings parses the same.
			checkTraceback(t, Parse(strings.ReplaceAll(text, "\n", "\r\n")), tt.want)
			// The .log beside it has the same traceback between a header and recent log entries.
			b, err := os.ReadFile(filepath.Join(crashDir, strings.TrimSuffix(tt.file, ".json")+".log"))
			if err != nil {
				t.Fatal(err)
			}
			checkTraceback(t, Parse(string(b)), tt.want)
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		text string
		want Traceback
	}{
		{
			name: "empty",
			text: "",
			want: Traceback{},
		},
		{
			name: "only junk",
			text: "hello\nworld\n",
			want: Traceback{Partial: true},
		},
		{
			name: "plain",
			text: `Traceback (most recent call last):
  File "/tmp/_MEIabc/cuepoint/app.py", line 10, in main
    run()
  File "/tmp/_MEIabc/cuepoint/app.py", line 5, in run
    raise ValueError("bad value")
ValueError: bad value
`,
			want: Traceback{Exceptions: []Exception{{
				Type: "ValueError", Name: "ValueError", Value: "bad value",
				Frames: []Frame{
					{"/tmp/_MEIabc/cuepoint/app.py", 10, "main", "run()"},
					{"/tmp/_MEIabc/cuepoint/app.py", 5, "run", `raise ValueError("bad value")`},
				},
			}}},
		},
		{
			name: "cause chain",
			text: `Traceback (most recent call last):
  File "a.py", line 2, in f
    d["k"]
KeyError: 'k'

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "a.py", line 4, in g
    raise LookupFailed("no k") from e
pkg.errors.LookupFailed: no k
`,
			want: Traceback{Exceptions: []Exception{
				{Type: "KeyError", Name: "KeyError", Value: "'k'", Frames: []Frame{{"a.py", 2, "f", `d["k"]`}}},
				{Type: "pkg.errors.LookupFailed", Module: "pkg.errors", Name: "LookupFailed", Value: "no k", Link: "cause",
					Frames: []Frame{{"a.py", 4, "g", `raise LookupFailed("no k") from e`}}},
			}},
		},
		{
			name: "three-link chain with context and cause",
			text: `Traceback (most recent call last):
  File "a.py", line 1, in <module>
OSError: disk

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "a.py", line 2, in <module>
RuntimeError: wrap

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "a.py", line 3, in <module>
SystemExit: 1
`,
			want: Traceback{Exceptions: []Exception{
				{Type: "OSError", Name: "OSError", Value: "disk", Frames: []Frame{{"a.py", 1, "<module>", ""}}},
				{Type: "RuntimeError", Name: "RuntimeError", Value: "wrap", Link: "context", Frames: []Frame{{"a.py", 2, "<module>", ""}}},
				{Type: "SystemExit", Name: "SystemExit", Value: "1", Link: "cause", Frames: []Frame{{"a.py", 3, "<module>", ""}}},
			}},
		},
		{
			name: "cause without traceback",
			text: `KeyError: 'k'

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "a.py", line 4, in g
    raise RuntimeError("x") from KeyError("k")
RuntimeError: x
`,
			want: Traceback{Exceptions: []Exception{
				{Type: "KeyError", Name: "KeyError", Value: "'k'"},
				{Type: "RuntimeError", Name: "RuntimeError", Value: "x", Link: "cause",
					Frames: []Frame{{"a.py", 4, "g", `raise RuntimeError("x") from KeyError("k")`}}},
			}},
		},
		{
			name: "multi-line value",
			text: `Traceback (most recent call last):
  File "v.py", line 7, in check
    raise ValueError("first line\nsecond line\n  third, indented")
ValueError: first line
second line
  third, indented
`,
			want: Traceback{Exceptions: []Exception{{
				Type: "ValueError", Name: "ValueError", Value: "first line\nsecond line\n  third, indented",
				Frames: []Frame{{"v.py", 7, "check", `raise ValueError("first line\nsecond line\n  third, indented")`}},
			}}},
		},
		{
			name: "multi-line value then chain",
			text: `Traceback (most recent call last):
  File "v.py", line 1, in f
pydantic.ValidationError: 1 validation error
name
  field required

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "v.py", line 2, in g
TypeError: boom
`,
			want: Traceback{Exceptions: []Exception{
				{Type: "pydantic.ValidationError", Module: "pydantic", Name: "ValidationError",
					Value: "1 validation error\nname\n  field required", Frames: []Frame{{"v.py", 1, "f", ""}}},
				{Type: "TypeError", Name: "TypeError", Value: "boom", Link: "context", Frames: []Frame{{"v.py", 2, "g", ""}}},
			}},
		},
		{
			name: "frames without source",
			text: `Traceback (most recent call last):
  File "<string>", line 1, in <module>
  File "<frozen importlib._bootstrap>", line 1360, in _find_and_load
  File "/tmp/_MEIabc/cuepoint/x.py", line 3, in <module>
    import missing
ModuleNotFoundError: No module named 'missing'
`,
			want: Traceback{Exceptions: []Exception{{
				Type: "ModuleNotFoundError", Name: "ModuleNotFoundError", Value: "No module named 'missing'",
				Frames: []Frame{
					{"<string>", 1, "<module>", ""},
					{"<frozen importlib._bootstrap>", 1360, "_find_and_load", ""},
					{"/tmp/_MEIabc/cuepoint/x.py", 3, "<module>", "import missing"},
				},
			}}},
		},
		{
			name: "caret and tilde markers, elision, repeat",
			text: `Traceback (most recent call last):
  File "/tmp/m.py", line 12, in <module>
    total = compute(
            ~~~~~~~^
        items,
        ^^^^^^
    ...<3 lines>...
    )
    ^
  File "/tmp/m.py", line 4, in compute
    return compute(x)
           ^^^^^^^^^^
  File "/tmp/m.py", line 4, in compute
    return compute(x)
           ^^^^^^^^^^
  [Previous line repeated 996 more times]
  File "/tmp/m.py", line 3, in compute
    return 1 / len(x) ~ 2
           ~~^~~~~~~~
RecursionError: maximum recursion depth exceeded
`,
			want: Traceback{Exceptions: []Exception{{
				Type: "RecursionError", Name: "RecursionError", Value: "maximum recursion depth exceeded",
				Frames: []Frame{
					{"/tmp/m.py", 12, "<module>", "total = compute("},
					{"/tmp/m.py", 4, "compute", "return compute(x)"},
					{"/tmp/m.py", 4, "compute", "return compute(x)"},
					{"/tmp/m.py", 3, "compute", "return 1 / len(x) ~ 2"},
				},
			}}},
		},
		{
			name: "CRLF",
			text: "Traceback (most recent call last):\r\n" +
				"  File \"C:\\Users\\bob\\AppData\\Local\\Temp\\_MEI12345\\cuepoint\\ui\\main_window.py\", line 88, in on_click\r\n" +
				"    self.start()\r\n" +
				"    ~~~~~~~~~~^^\r\n" +
				"AttributeError: 'NoneType' object has no attribute 'start'\r\n",
			want: Traceback{Exceptions: []Exception{{
				Type: "AttributeError", Name: "AttributeError", Value: "'NoneType' object has no attribute 'start'",
				Frames: []Frame{{`C:\Users\bob\AppData\Local\Temp\_MEI12345\cuepoint\ui\main_window.py`, 88, "on_click", "self.start()"}},
			}}},
		},
		{
			name: "leading and trailing junk",
			text: `2026-11-20 10:15:02 [ERROR   ] cuepoint: unhandled exception
Exception: KeyError
Message: 'k'

Traceback:
Traceback (most recent call last):
  File "a.py", line 2, in f
    d["k"]
KeyError: 'k'


============================================================
Recent Log Entries (last 200 lines)
2026-11-20 10:15:00 [INFO    ] cuepoint: Starting
Message: not an exception
`,
			want: Traceback{Exceptions: []Exception{
				{Type: "KeyError", Name: "KeyError", Value: "'k'", Frames: []Frame{{"a.py", 2, "f", `d["k"]`}}},
			}},
		},
		{
			name: "truncated after a frame",
			text: `Traceback (most recent call last):
  File "/tmp/_MEIabc/cuepoint/app.py", line 10, in main
    run()
  File "/tmp/_MEIabc/cuepoint/app.py", line 5, in run
    raise Val`,
			want: Traceback{Partial: true, Exceptions: []Exception{{
				Frames: []Frame{
					{"/tmp/_MEIabc/cuepoint/app.py", 10, "main", "run()"},
					{"/tmp/_MEIabc/cuepoint/app.py", 5, "run", "raise Val"},
				},
			}}},
		},
		{
			name: "truncated inside a File line",
			text: `Traceback (most recent call last):
  File "/tmp/_MEIabc/cuepoint/app.py", line 10, in main
    run()
  File "/tmp/_MEIabc/cuepoint/ap`,
			want: Traceback{Partial: true, Exceptions: []Exception{{
				Frames: []Frame{{"/tmp/_MEIabc/cuepoint/app.py", 10, "main", "run()"}},
			}}},
		},
		{
			name: "truncated after a chain sentence",
			text: `Traceback (most recent call last):
  File "a.py", line 2, in f
KeyError: 'k'

During handling of the above exception, another exception occurred:
`,
			want: Traceback{Partial: true, Exceptions: []Exception{
				{Type: "KeyError", Name: "KeyError", Value: "'k'", Frames: []Frame{{"a.py", 2, "f", ""}}},
			}},
		},
		{
			name: "truncated then junk",
			text: `Traceback (most recent call last):
  File "a.py", line 2, in f
    g()

==== end of file ====
`,
			want: Traceback{Partial: true, Exceptions: []Exception{
				{Frames: []Frame{{"a.py", 2, "f", "g()"}}},
			}},
		},
		{
			name: "frames without header (start cut off)",
			text: `  File "a.py", line 2, in f
    g()
ZeroDivisionError: division by zero
`,
			want: Traceback{Partial: true, Exceptions: []Exception{
				{Type: "ZeroDivisionError", Name: "ZeroDivisionError", Value: "division by zero", Frames: []Frame{{"a.py", 2, "f", "g()"}}},
			}},
		},
		{
			name: "SyntaxError",
			text: `Traceback (most recent call last):
  File "/tmp/_MEIabc/cuepoint/plugins/loader.py", line 41, in load
    exec(compile(code, path, "exec"), ns)
                                      ^^
  File "/home/alice/.cuepoint/plugins/mine.py", line 3
    def f(:
          ^
SyntaxError: invalid syntax
`,
			want: Traceback{Exceptions: []Exception{{
				Type: "SyntaxError", Name: "SyntaxError", Value: "invalid syntax",
				Frames: []Frame{
					{"/tmp/_MEIabc/cuepoint/plugins/loader.py", 41, "load", `exec(compile(code, path, "exec"), ns)`},
					{"/home/alice/.cuepoint/plugins/mine.py", 3, "", "def f(:"},
				},
			}}},
		},
		{
			name: "SyntaxError without traceback",
			text: `  File "/tmp/bad.py", line 1
    print "x"
    ^^^^^^^^^
SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?
`,
			want: Traceback{Exceptions: []Exception{{
				Type: "SyntaxError", Name: "SyntaxError", Value: "Missing parentheses in call to 'print'. Did you mean print(...)?",
				Frames: []Frame{{"/tmp/bad.py", 1, "", `print "x"`}},
			}}},
		},
		{
			name: "no message",
			text: `Traceback (most recent call last):
  File "/tmp/_MEIabc/cuepoint/app.py", line 20, in exec_loop
    app.exec()
KeyboardInterrupt
`,
			want: Traceback{Exceptions: []Exception{{
				Type: "KeyboardInterrupt", Name: "KeyboardInterrupt",
				Frames: []Frame{{"/tmp/_MEIabc/cuepoint/app.py", 20, "exec_loop", "app.exec()"}},
			}}},
		},
		{
			name: "no trailing newline, line None, locals type",
			text: `Traceback (most recent call last):
  File "t.py", line None, in <lambda>
t.test.<locals>.Boom: x`,
			want: Traceback{Exceptions: []Exception{{
				Type: "t.test.<locals>.Boom", Module: "t.test.<locals>", Name: "Boom", Value: "x",
				Frames: []Frame{{"t.py", 0, "<lambda>", ""}},
			}}},
		},
		{
			name: "ANSI colours",
			text: "Traceback (most recent call last):\n" +
				"  File \x1b[35m\"a.py\"\x1b[0m, line \x1b[35m1\x1b[0m, in \x1b[35mf\x1b[0m\n" +
				"    \x1b[31mg\x1b[0m()\n" +
				"\x1b[1;35mNameError\x1b[0m: \x1b[35mname 'g' is not defined\x1b[0m\n",
			want: Traceback{Exceptions: []Exception{{
				Type: "NameError", Name: "NameError", Value: "name 'g' is not defined",
				Frames: []Frame{{"a.py", 1, "f", "g()"}},
			}}},
		},
		{
			name: "exception group is not understood",
			text: `  + Exception Group Traceback (most recent call last):
  |   File "a.py", line 1, in <module>
  | ExceptionGroup: eg (1 sub-exception)
  +-+---------------- 1 ----------------
    | ValueError: 1
    +------------------------------------
`,
			want: Traceback{Partial: true},
		},
		{
			name: "line number overflow",
			text: `Traceback (most recent call last):
  File "a.py", line 99999999999999999999999, in f
E: e
`,
			want: Traceback{Partial: true, Exceptions: []Exception{{
				Type: "E", Name: "E", Value: "e", Frames: []Frame{{"a.py", 0, "f", ""}},
			}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkTraceback(t, Parse(tt.text), tt.want)
		})
	}
}

func checkTraceback(t *testing.T, got, want Traceback) {
	t.Helper()
	if got.Partial != want.Partial {
		t.Errorf("Partial = %v, want %v", got.Partial, want.Partial)
	}
	if len(got.Exceptions) != len(want.Exceptions) {
		t.Fatalf("got %d exceptions, want %d:\n%s", len(got.Exceptions), len(want.Exceptions), dump(got))
	}
	for i, g := range got.Exceptions {
		w := want.Exceptions[i]
		if g.Type != w.Type || g.Module != w.Module || g.Name != w.Name || g.Value != w.Value || g.Link != w.Link {
			t.Errorf("exception %d = {Type:%q Module:%q Name:%q Value:%q Link:%q}, want {Type:%q Module:%q Name:%q Value:%q Link:%q}",
				i, g.Type, g.Module, g.Name, g.Value, g.Link, w.Type, w.Module, w.Name, w.Value, w.Link)
		}
		if len(g.Frames) != len(w.Frames) {
			t.Errorf("exception %d: got %d frames, want %d:\n%s", i, len(g.Frames), len(w.Frames), dump(got))
			continue
		}
		for j := range g.Frames {
			if !reflect.DeepEqual(g.Frames[j], w.Frames[j]) {
				t.Errorf("exception %d frame %d = %+v, want %+v", i, j, g.Frames[j], w.Frames[j])
			}
		}
	}
}

func dump(tb Traceback) string {
	var b strings.Builder
	for i, e := range tb.Exceptions {
		fmt.Fprintf(&b, "  [%d] %q %q link=%q\n", i, e.Type, e.Value, e.Link)
		for _, f := range e.Frames {
			fmt.Fprintf(&b, "      %+v\n", f)
		}
	}
	return b.String()
}

func TestModuleFromPath(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/tmp/_MEIx8Qz1a/cuepoint/data/beatport.py", "cuepoint.data.beatport"},
		{"/tmp/_MEIx8Qz1a/requests/sessions.py", "requests.sessions"},
		{"/tmp/_MEIx8Qz1a/cuepoint/__init__.py", "cuepoint"},
		{"/tmp/_MEIx8Qz1a/base_library.zip/re/_parser.py", "re._parser"},
		{"/usr/lib/python3.13/re/__init__.py", "re"},
		{"/usr/lib/python3.13/re/_parser.py", "re._parser"},
		{"/usr/lib/python3.13/threading.py", "threading"},
		{"/usr/lib/python3.13t/json/decoder.py", "json.decoder"},
		{"/home/alice/.venv/lib/python3.13/site-packages/requests/sessions.py", "requests.sessions"},
		{"/usr/lib/python3/dist-packages/urllib3/connectionpool.py", "urllib3.connectionpool"},
		{"/opt/x/site-packages/pip/_internal/cli/main.py", "pip._internal.cli.main"},
		{`C:\Users\bob\AppData\Local\Temp\_MEI12345\cuepoint\ui\x.py`, "cuepoint.ui.x"},
		{`C:\Program Files\Python313\Lib\re\__init__.py`, "re"},
		{`C:\Program Files\Python313\Lib\site-packages\PySide6\__init__.py`, "PySide6"},
		{`C:\Program Files\CuePoint\_internal\cuepoint\ui\x.py`, "cuepoint.ui.x"},
		{"/Applications/CuePoint.app/Contents/Frameworks/cuepoint/core/matcher.py", "cuepoint.core.matcher"},
		{"cuepoint/data/beatport.py", "cuepoint.data.beatport"},
		{`cuepoint\data\beatport.py`, "cuepoint.data.beatport"},
		{"./cuepoint/app.py", "cuepoint.app"},
		{"beatport.py", "beatport"},
		{"<frozen importlib._bootstrap>", "importlib._bootstrap"},
		{"<frozen runpy>", "runpy"},
		{"<string>", ""},
		{"<stdin>", ""},
		{"/home/alice/script.py", ""},
		{`D:\work\script.py`, ""},
		{"../x.py", ""},
		{"/tmp/_MEIx8Qz1a/lib-dynload/_ssl.so", ""},
		{"/tmp/_MEIx8Qz1a/my-pkg/x.py", ""},
		{"", ""},
		{".py", ""},
	}
	for _, tt := range tests {
		if got := ModuleFromPath(tt.path); got != tt.want {
			t.Errorf("ModuleFromPath(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"crash-20261120-101502.json", "crash-20261122-080355.json"} {
		f.Add(crashTraceback(f, name))
	}
	f.Add("Traceback (most recent call last):\n  File \"a.py\", line 1\n    x\n    ^\nSyntaxError: bad\n")
	f.Add("KeyError: 'k'\n\nThe above exception was the direct cause of the following exception:\n\nE\n")
	f.Add("Traceback (most recent call last):\r\n  File \"a.py\", line 9, in f\r\n    ...<2 lines>...\r\n  [Previous line repeated 3 more times]\r\nX: y\r\nz\r\n")
	f.Fuzz(func(t *testing.T, text string) {
		tb := Parse(text)
		for i, e := range tb.Exceptions {
			switch {
			case i == 0 && e.Link != "":
				t.Fatalf("first exception has Link %q", e.Link)
			case i > 0 && e.Link != "context" && e.Link != "cause":
				t.Fatalf("exception %d has Link %q", i, e.Link)
			}
			if e.Type == "" && (e.Module != "" || e.Name != "" || e.Value != "") {
				t.Fatalf("exception %d without Type has %+v", i, e)
			}
			if e.Type != "" && e.Type != strings.TrimPrefix(e.Module+"."+e.Name, ".") {
				t.Fatalf("exception %d: Type %q != Module %q + Name %q", i, e.Type, e.Module, e.Name)
			}
			for _, fr := range e.Frames {
				if fr.Line < 0 {
					t.Fatalf("negative line in %+v", fr)
				}
			}
		}
		for _, e := range tb.Exceptions {
			for _, fr := range e.Frames {
				ModuleFromPath(fr.File)
			}
		}
	})
}

func TestParseManyBlankLinesIsLinear(t *testing.T) {
	text := "Traceback (most recent call last):\n  File \"a.py\", line 1, in f\nE: x" +
		strings.Repeat("\n", 1<<20) + contextLine + "\n\nF: y\n"
	got := Parse(text)
	want := Traceback{Exceptions: []Exception{
		{Type: "E", Name: "E", Value: "x", Frames: []Frame{{"a.py", 1, "f", ""}}},
		{Type: "F", Name: "F", Value: "y", Link: "context"},
	}}
	checkTraceback(t, got, want)
}

func TestParseLongValueIsLinear(t *testing.T) {
	text := "Traceback (most recent call last):\n  File \"a.py\", line 1, in f\nE: x" + strings.Repeat("\nv", 1<<20) + "\n"
	got := Parse(text)
	if len(got.Exceptions) != 1 || got.Partial || len(got.Exceptions[0].Value) != 1+2<<20 {
		t.Fatalf("got %d exceptions, partial %v", len(got.Exceptions), got.Partial)
	}
}
