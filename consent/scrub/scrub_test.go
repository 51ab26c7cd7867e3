package scrub

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

const fixtures = "../../testdata/home-linux"

var (
	alice   = Identity{Homes: []string{"/home/alice"}, Users: []string{"alice"}}
	ghToken = "ghp_" + strings.Repeat("A1b2C3d4E5", 4)[:36]
	jwt     = "eyJhbGciOiJIUzI1NiJ9.ZmFrZS10b2tlbi1mb3ItdGVzdHM.c2lnbmF0dXJl"
)

type stringCase struct {
	name, in, want string
}

// check runs cases through s.String and also checks that the output is a fixed point.
func check(t *testing.T, s *Scrubber, cases []stringCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := s.String(c.in)
			if got != c.want {
				t.Errorf("String(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
			if again := s.String(got); again != got {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestHomes(t *testing.T) {
	cases := []stringCase{
		{"posix", "/home/alice/Music/x.xml", "~/Music/x.xml"},
		{"posix alone", "home is /home/alice", "home is ~"},
		{"posix end of sentence", "saved in /home/alice.", "saved in ~."},
		{"mac", "/Users/alice/Music/rekordbox.xml", "~/Music/rekordbox.xml"},
		{"windows backslash", `C:\Users\alice\AppData\Local`, `~\AppData\Local`},
		{"windows slash", "C:/Users/alice/AppData", "~/AppData"},
		{"windows lower case", `c:\users\alice\Desktop`, `~\Desktop`},
		{"windows doubled backslashes", `"C:\\Users\\alice\\AppData"`, `"~\\AppData"`},
		{"windows quoted end", `home="C:\Users\alice"`, `home="~"`},
		{"file url posix", "file:///home/alice/Music/a%20b.mp3", "file://~/Music/a%20b.mp3"},
		{"file url localhost mac", "file://localhost/Users/alice/Music/x.mp3", "file://~/Music/x.mp3"},
		{"file url windows", "file:///C:/Users/alice/Music/x.mp3", "file://~/Music/x.mp3"},
		{"file url windows localhost", "file://localhost/C:/Users/alice/Music/x.mp3", "file://~/Music/x.mp3"},
		{"wsl", "/mnt/c/Users/alice/Music", "~/Music"},
		{"several", "/home/alice/a and C:\\Users\\alice\\b", `~/a and ~\b`},
		{"name elsewhere", "Alice Collection by alice, ALICE", "<user> Collection by <user>, <user>"},
		{"name word boundary", "malice aliced alice2 alice_dj alice-dj", "malice aliced alice2 <user>_dj <user>-dj"},
		{"name in url", "https://github.com/alice/repo", "https://github.com/<user>/repo"},
		{"possessive", "Alice's set", "<user>'s set"},
	}
	check(t, New(alice), cases)
	// Generic detection finds the same homes without being told; the name only when a home
	// in the same text gives it away.
	check(t, New(Identity{}), cases[:15])
	check(t, New(Identity{}), []stringCase{
		{"name elsewhere", "/home/alice: Alice Collection by alice, ALICE", "~: <user> Collection by <user>, <user>"},
		{"name word boundary", "/home/alice malice aliced alice2 alice_dj alice-dj", "~ malice aliced alice2 <user>_dj <user>-dj"},
	})
}

func TestHomesGeneric(t *testing.T) {
	cases := []stringCase{
		{"posix then name", "/home/bob/x.xml; Bob's set", "~/x.xml; <user>'s set"},
		{"name before home", "Bob opened /Users/bob/set.xml", "<user> opened ~/set.xml"},
		{"windows spaces", `C:\Users\John Smith\Desktop\set.xml by John Smith`, `~\Desktop\set.xml by <user>`},
		{"windows space not a folder", `C:\Users\john is here`, `~ is here`},
		{"percent-encoded name", "file://localhost/Users/Alice%20Smith/Music/x.mp3 by Alice Smith", "file://~/Music/x.mp3 by <user>"},
		{"percent-encoded utf8", "file:///C:/Users/Jos%C3%A9/Music/x.mp3 José Jos%C3%A9", "file://~/Music/x.mp3 <user> <user>"},
		{"dotted name", "/home/bob.smith/x and bob.smith", "~/x and <user>"},
		{"public", `C:\Users\Public\Documents\x`, `C:\Users\Public\Documents\x`},
		{"shared", "/Users/Shared/CuePoint", "/Users/Shared/CuePoint"},
		{"default user", `C:\Users\Default User\NTUSER.DAT`, `C:\Users\Default User\NTUSER.DAT`},
		{"all users", `C:\Users\All Users\x`, `C:\Users\All Users\x`},
		{"default", `C:\Users\Default\x`, `C:\Users\Default\x`},
		{"token as name", "/home/<user>/x", "/home/<user>/x"},
		{"web url path", "https://example.com/home/about and about", "https://example.com/home/about and about"},
		{"query path is a path", "https://x.com/open?path=/home/bob/x bob", "https://x.com/open?path=~/x <user>"},
		{"short name kept elsewhere", "/home/a/x a b", "~/x a b"},
		{"numeric name kept elsewhere", "/home/1000/x 1000 tracks", "~/x 1000 tracks"},
		{"user named like a token", "/home/user/x user <user> <email>", "~/x <user> <user> <email>"},
	}
	check(t, New(Identity{}), cases)
}

func TestKnownIdentity(t *testing.T) {
	s := New(Identity{
		Homes: []string{"/data/music-box", `D:\Profiles\bob`, "/home/carol/"},
		Users: []string{`CORP\dave`, "Erin Smith"},
	})
	check(t, s, []stringCase{
		{"nonstandard posix home", "/data/music-box/set.xml", "~/set.xml"},
		{"nonstandard home prefix only", "/data/music-boxes/set.xml", "/data/music-boxes/set.xml"},
		{"windows home", `D:\Profiles\bob\x`, `~\x`},
		{"windows home slash", `D:/Profiles/bob/x`, `~/x`},
		{"windows home doubled", `D:\\Profiles\\bob\\x`, `~\\x`},
		{"windows home url", `file:///D:/Profiles/bob/x`, `file://~/x`},
		{"trailing slash home and derived name", "/home/carol/x by Carol", "~/x by <user>"},
		{"domain user", `CORP\dave and dave`, "<user> and <user>"},
		{"name with space", "Erin Smith, Erin%20Smith, Erin+Smith, Erin", "<user>, <user>, <user>, Erin"},
	})
}

func TestPyInstaller(t *testing.T) {
	check(t, New(Identity{}), []stringCase{
		{"posix", `File "/tmp/_MEIx8Qz1a/cuepoint/data/beatport.py", line 1133`, `File "cuepoint/data/beatport.py", line 1133`},
		{"posix log tail", "ok - /tmp/_MEIx8Qz1a/cuepoint/core/matcher.py:1417", "ok - cuepoint/core/matcher.py:1417"},
		{"mac tmpdir", "/var/folders/ab/cd12/T/_MEI12345/cuepoint/x.py", "cuepoint/x.py"},
		{"windows", `C:\Users\alice\AppData\Local\Temp\_MEI123456\cuepoint\x.py`, `cuepoint\x.py`},
		{"windows spaces", `File "C:\Users\John Smith\AppData\Local\Temp\_MEI123456\cuepoint\x.py"`, `File "cuepoint\x.py"`},
		{"windows doubled", `C:\\Users\\alice\\AppData\\Local\\Temp\\_MEI123456\\cuepoint\\x.py`, `cuepoint\\x.py`},
		{"two paths one line", "/a/b.xml then /tmp/_MEI1/cuepoint/x.py", "/a/b.xml then cuepoint/x.py"},
		{"not frozen", `File "/usr/lib/python3.13/re/__init__.py", line 289`, `File "/usr/lib/python3.13/re/__init__.py", line 289`},
	})
}

func TestShapes(t *testing.T) {
	check(t, New(Identity{}), []stringCase{
		// e-mail
		{"email", "mail alice.dj@example.com now", "mail <email> now"},
		{"email percent", "to=bob%40example.co.uk&x=1", "to=<email>&x=1"},
		{"email unicode", "josé@exämple.de", "<email>"},
		{"no email: decorator", "@property def x", "@property def x"},
		{"no email: no tld", "git@localhost", "git@localhost"},
		{"no email: pin", "pkg@1.0.3", "pkg@1.0.3"},
		// IPv4
		{"ipv4", "from 192.168.1.23 ok", "from <ip> ok"},
		{"ipv4 port", "connect 10.0.0.1:8080 failed", "connect <ip> failed"},
		{"ipv4 colon", "from 192.168.1.23: refused", "from <ip>: refused"},
		{"ipv4 end of sentence", "host 8.8.8.8.", "host <ip>."},
		{"no ipv4: version", "version=1.0.3 os=Linux 6.8.0-49-generic", "version=1.0.3 os=Linux 6.8.0-49-generic"},
		{"no ipv4: bad octet", "256.1.1.1 1.2.3.999", "256.1.1.1 1.2.3.999"},
		{"no ipv4: five parts", "1.2.3.4.5", "1.2.3.4.5"},
		{"no ipv4: windows build", "10.0.19045.1234", "10.0.19045.1234"},
		{"no ipv4: prefixed", "v1.2.3.4", "v1.2.3.4"},
		// IPv6
		{"ipv6", "addr 2001:db8::1 up", "addr <ip> up"},
		{"ipv6 full", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "<ip>"},
		{"ipv6 zone", "fe80::1%eth0 link", "<ip> link"},
		{"ipv6 brackets port", "https://[2001:db8::42]:443/x", "https://[<ip>]:443/x"},
		{"ipv6 mapped", "::ffff:192.168.1.23", "<ip>"},
		{"no ipv6: time", "2026-11-20 10:15:00,112 at 10:15:00", "2026-11-20 10:15:00,112 at 10:15:00"},
		{"no ipv6: iso time", "2026-11-20T10:14:59.812345+00:00", "2026-11-20T10:14:59.812345+00:00"},
		{"no ipv6: python slices", "x[::2] y[1::2] z[::-1] a::b ::", "x[::2] y[1::2] z[::-1] a::b ::"},
		{"no ipv6: c++", "std::vector<int> Foo::bar", "std::vector<int> Foo::bar"},
		// URLs
		{"userinfo", "https://bob:s3cret@host.example.com/x", "https://<redacted>@host.example.com/x"},
		{"userinfo token only", "https://x-token@github.com/o/r.git", "https://<redacted>@github.com/o/r.git"},
		{"query token", "/search?q=Artist+12&token=abc123secretvalue&page=2", "/search?q=Artist+12&token=<redacted>&page=2"},
		{"query access_token", "?access_token=xyz", "?access_token=<redacted>"},
		{"query api_key", "?api_key=xyz&apikey=abc", "?api_key=<redacted>&apikey=<redacted>"},
		{"query key sig", "?key=1&sig=2&signature=3&X-Amz-Signature=4", "?key=<redacted>&sig=<redacted>&signature=<redacted>&X-Amz-Signature=<redacted>"},
		{"query misc", "?password=a&secret=b&auth=c&code=d&session=e", "?password=<redacted>&secret=<redacted>&auth=<redacted>&code=<redacted>&session=<redacted>"},
		{"query kept", "/search/tracks?q=Artist+12+Track+12&error_code=E1&run_id=a1b2", "/search/tracks?q=Artist+12+Track+12&error_code=E1&run_id=a1b2"},
		// auth schemes
		{"bearer", "Authorization: Bearer abcdef123456", "Authorization: Bearer <redacted>"},
		{"bearer short", "Authorization: Bearer abc", "Authorization: Bearer <redacted>"},
		{"basic", "sent Basic YWxhZGRpbjpvcGVuc2VzYW1l", "sent Basic <redacted>"},
		{"token scheme", "header token ab12cd34ef56", "header token <redacted>"},
		{"no auth: words", "basic functionality, token expired, bearer of news", "basic functionality, token expired, bearer of news"},
		// tokens
		{"github", "using " + ghToken + " now", "using <github-token> now"},
		{"github other kinds", "gho_" + ghToken[4:] + " ghs_" + ghToken[4:], "<github-token> <github-token>"},
		{"github pat", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "<github-token>"},
		{"github in header", "Authorization: token " + ghToken, "Authorization: token <github-token>"},
		{"no github: short", "ghp_short", "ghp_short"},
		{"jwt", "tok " + jwt + " end", "tok <jwt> end"},
		{"no jwt: header only", "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9"},
		{"sentry dsn", "dsn https://0123456789abcdef0123456789abcdef@o123.ingest.sentry.io/4505 ok", "dsn <sentry-dsn> ok"},
		{"sentry dsn with secret", "https://0123456789abcdef0123456789abcdef:fedcba9876543210fedcba9876543210@sentry.example.com/sub/42", "<sentry-dsn>"},
		{"no dsn: issue url", "https://sentry.io/organizations/x/issues/123/", "https://sentry.io/organizations/x/issues/123/"},
		// assignments
		{"assign eq", "password=hunter2 next", "password=<redacted> next"},
		{"assign colon", "beatport_password: hunter2-not-real", "beatport_password: <redacted>"},
		{"assign dotted", "incrate.beatport_access_token=abc", "incrate.beatport_access_token=<redacted>"},
		{"assign json", `{"client_secret": "abc def", "x": 1}`, `{"client_secret": "<redacted>", "x": 1}`},
		{"assign python", `{'api_key': 'abc', 'Authorization': 'Bearer x'}`, `{'api_key': '<redacted>', 'Authorization': '<redacted>'}`},
		{"assign escaped json", `{\"token\": \"abc\"}`, `{\"token\": \"<redacted>\"}`},
		{"assign header scheme", "Authorization: Basic abc", "Authorization: Basic <redacted>"},
		{"assign ini", "secret_key = s3cr3t", "secret_key = <redacted>"},
		{"assign value holds assignment", "KeyError: password=abc", "KeyError: password=<redacted>"},
		{"no assign: ids", "run_id=a1b2c3d4e5f6 session_id=s-1 report_id=f3a7b538e3318257", "run_id=a1b2c3d4e5f6 session_id=s-1 report_id=f3a7b538e3318257"},
		{"no assign: python", "KeyError: 'results' author=Bob beatport_key=8A", "KeyError: 'results' author=Bob beatport_key=8A"},
		{"no assign: file line", "cuepoint/auth/token.py:12 auth_service.py:1251", "cuepoint/auth/token.py:12 auth_service.py:1251"},
		{"assign scheme in parens", "(Authorization: Bearer Zm9vYmFyYmF6cXV4)", "(Authorization: Bearer <redacted>)"},
		{"no assign: code call", "session = requests.Session(); token = get_token(x)", "session = requests.Session(); token = get_token(x)"},
		{"no assign: missing secret", "token=None password: null", "token=None password: null"},
		{"no assign: call", "resp = self.session.get(url, params=params, timeout=(3, 8))", "resp = self.session.get(url, params=params, timeout=(3, 8))"},
	})
}

func TestKeepsHarmless(t *testing.T) {
	for _, in := range []string{
		"9f2c1e7d5b3a4c6e8f0a1b2c3d4e5f6a7b8c9d0e",
		"report_id f3a7b538e3318257",
		"6f1d2a9e-3b4c-4d5e-8f90-a1b2c3d4e5f6",
		"version=1.0.3 (build 412)",
		"os=Linux 6.8.0-49-generic",
		"2026-11-20 10:15:00,112 - cuepoint - INFO - x",
		"2026-11-20T10:15:02.250113",
		`File "cuepoint/data/beatport.py", line 1133, in search_tracks`,
		"cuepoint.utils.logger: requests.exceptions.ReadTimeout",
		"run_id=a1b2c3d4e5f6",
		`"total": 502468108288, "free_gb": 187.41`,
		"3.13.1 (main, Dec  3 2024, 17:59:52) [GCC 12.2.0]",
		"HTTPSConnectionPool(host='www.beatport.com', port=443): Read timed out. (read timeout=8)",
		"#50-Ubuntu SMP PREEMPT_DYNAMIC Sat Nov  9 17:58:29 UTC 2024",
		"(José González",
		"~/Music <user> <email> <ip> <redacted> <jwt> <github-token> <sentry-dsn> [redacted]",
	} {
		for _, s := range []*Scrubber{New(Identity{}), New(alice)} {
			if got := s.String(in); got != in {
				t.Errorf("String(%q) = %q, want unchanged", in, got)
			}
		}
	}
}

func TestInvalidUTF8(t *testing.T) {
	s := New(alice)
	got := s.String("a\xffb /home/alice/\xfe")
	if want := "a\uFFFDb ~/\uFFFD"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	var nilS *Scrubber
	if got := nilS.String("mail a@b.com"); got != "mail <email>" {
		t.Errorf("nil scrubber: %q", got)
	}
}

func TestIsSecretKey(t *testing.T) {
	yes := []string{
		"password", "Password", "user_password", "passwd", "passphrase", "secret", "client_secret",
		"token", "beatport_access_token", "accessToken", "refresh-token", "api_key", "apiKey", "API-KEY",
		"access_key", "aws_access_key_id", "private_key", "privateKey", "auth", "Authorization",
		"proxy-authorization", "oauth", "auth_token", "credential", "credentials", "session",
		"sessionid", "JSESSIONID", "PHPSESSID", "session_cookie", "session_token", "cookie",
		"Set-Cookie", "csrf_token", "pwd", "pass", "sentry_dsn",
	}
	no := []string{
		"", "author", "authority", "username", "beatport_username", "session_id", "run_id",
		"report_id", "key", "beatport_key", "keys", "version", "path", "home", "commit_sha",
		"playlist", "monkey", "passenger_count",
	}
	for _, k := range yes {
		if !IsSecretKey(k) {
			t.Errorf("IsSecretKey(%q) = false", k)
		}
	}
	for _, k := range no {
		if IsSecretKey(k) {
			t.Errorf("IsSecretKey(%q) = true", k)
		}
	}
}

func TestValue(t *testing.T) {
	in := map[string]any{
		"home": "/home/bob",
		"list": []any{"Bob Peak Time", 1.5, true, nil},
		"incrate": map[string]any{
			"beatport_access_token": "abc",
			"beatport_password":     "hunter2",
			"beatport_username":     "bob@example.com",
			"nested": map[string]any{
				"credentials": map[string]any{"user": "bob", "pin": 1234, "enabled": true, "expires": nil},
			},
		},
		"/home/bob/set.xml": "key with a home",
		"api_key":           []any{"a", "b"},
	}
	orig, _ := json.Marshal(in)
	got := New(Identity{}).Value(in)
	want := map[string]any{
		"home": "~",
		"list": []any{"<user> Peak Time", 1.5, true, nil},
		"incrate": map[string]any{
			"beatport_access_token": "[redacted]",
			"beatport_password":     "[redacted]",
			"beatport_username":     "<email>",
			"nested": map[string]any{
				"credentials": map[string]any{"user": "[redacted]", "pin": "[redacted]", "enabled": true, "expires": nil},
			},
		},
		"~/set.xml": "key with a home",
		"api_key":   []any{"[redacted]", "[redacted]"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Value:\n got %#v\nwant %#v", got, want)
	}
	if after, _ := json.Marshal(in); !bytes.Equal(orig, after) {
		t.Error("Value modified its input")
	}
	if again := New(Identity{}).Value(got); !reflect.DeepEqual(again, got) {
		t.Errorf("Value not idempotent: %#v", again)
	}
	// Other decoded shapes.
	other := New(alice).Value(map[any]any{"password": "x", 1: []string{"/home/alice/a"}})
	wantOther := map[string]any{"password": "[redacted]", "1": []any{"~/a"}}
	if !reflect.DeepEqual(other, wantOther) {
		t.Errorf("Value(map[any]any) = %#v", other)
	}
	// Keys that scrub to the same string are both kept.
	coll := New(alice).Value(map[string]any{"/home/alice": 1, "~": 2})
	if m := coll.(map[string]any); len(m) != 2 {
		t.Errorf("key collision lost a value: %#v", m)
	}
	// Self-reference does not recurse forever.
	cyc := map[string]any{}
	cyc["self"] = cyc
	_ = New(alice).Value(cyc)
}

func TestJSON(t *testing.T) {
	s := New(Identity{})
	out, err := s.JSON([]byte(`{"b": "/home/bob/x <tag>", "a": 12345678901234567890, "token": "x", "f": 1.50}`))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"a":12345678901234567890,"b":"~/x <tag>","f":1.50,"token":"[redacted]"}` + "\n"
	if string(out) != want {
		t.Errorf("JSON:\n got %s\nwant %s", out, want)
	}
	lines, err := s.JSON([]byte("{\"e\":\"/home/bob\"}\n{\"e\":\"Bob\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "{\"e\":\"~\"}\n{\"e\":\"<user>\"}\n"; string(lines) != want {
		t.Errorf("JSON lines: got %q want %q", lines, want)
	}
	indented, err := s.JSON([]byte("{\n  \"x\": [1]\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"x\": [\n    1\n  ]\n}\n"; string(indented) != want {
		t.Errorf("indented: got %q", indented)
	}
	for _, bad := range []string{"", "{", `{"a":}`, "[1,]"} {
		if _, err := s.JSON([]byte(bad)); err == nil {
			t.Errorf("JSON(%q): no error", bad)
		}
	}
}

func TestYAML(t *testing.T) {
	in := `# config of /home/bob
incrate:
  beatport_access_token: eyJhbGciOiJIUzI1NiJ9.ZmFrZS10b2tlbi1mb3ItdGVzdHM.c2lnbmF0dXJl
  beatport_password: "hunter2-not-real" # set by Bob
  beatport_username: bob@example.com
  auth_enabled: true
  api_token:
product:
  last_xml_path: /home/bob/Music/Bob Collection.xml
  home: /home/bob
anchors:
  shared: &s sekrit
  client_secret: *s
  credentials:
    - one
    - {pin: 1234}
`
	s := New(Identity{})
	out, err := s.YAML([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `# config of ~
incrate:
  beatport_access_token: '[redacted]'
  beatport_password: "[redacted]" # set by <user>
  beatport_username: <email>
  auth_enabled: true
  api_token:
product:
  last_xml_path: ~/Music/<user> Collection.xml
  home: "~"
anchors:
  shared: &s '[redacted]'
  client_secret: *s
  credentials:
    - '[redacted]'
    - {pin: '[redacted]'}
`
	if string(out) != want {
		t.Errorf("YAML:\n got:\n%s\nwant:\n%s", out, want)
	}
	var tree map[string]any
	if err := yaml.Unmarshal(out, &tree); err != nil {
		t.Fatalf("output is not YAML: %v", err)
	}
	if home := tree["product"].(map[string]any)["home"]; home != "~" {
		t.Errorf("home decoded as %#v", home)
	}
	again, err := s.YAML(out)
	if err != nil || string(again) != string(out) {
		t.Errorf("YAML not idempotent (%v):\n%s", err, again)
	}
	if out, err := s.YAML(nil); err != nil || len(out) != 0 {
		t.Errorf("YAML(nil) = %q, %v", out, err)
	}
	if _, err := s.YAML([]byte("a: [1,\n")); err == nil {
		t.Error("YAML: no error for broken input")
	}
}

// scrubFile scrubs one fixture the way the companion would.
func scrubFile(t *testing.T, s *Scrubber, path string, b []byte) string {
	t.Helper()
	switch {
	case strings.HasSuffix(path, ".json"):
		out, err := s.JSON(b)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return string(out)
	case strings.HasSuffix(path, ".yaml"):
		out, err := s.YAML(b)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return string(out)
	}
	return s.String(string(b))
}

func fixtureFiles(t testing.TB) map[string][]byte {
	files := map[string][]byte{}
	err := filepath.WalkDir(fixtures, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[p] = b
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("fixtures: %v (%d files)", err, len(files))
	}
	return files
}

func TestFixtures(t *testing.T) {
	files := fixtureFiles(t)
	gone := []string{"alice.dj@example.com", "192.168.1.23", "abc123secretvalue", "hunter2-not-real", "eyJhbGciOiJIUzI1NiJ9"}
	// Each survivor must come out of every fixture that holds it (the frozen-app prefix of
	// the beatport.py frames goes, the module path stays).
	survive := []string{"cuepoint/data/beatport.py", "line 1133", "search_tracks", "9f2c1e7d5b3a4c6e8f0a1b2c3d4e5f6a7b8c9d0e",
		"run_id=a1b2c3d4e5f6", "502468108288", "1.0.3", "6.8.0-49-generic", "2026-11-20 10:15:00,112", "f3a7b538e3318257",
		"6f1d2a9e-3b4c-4d5e-8f90-a1b2c3d4e5f6", "cuepoint.utils.logger", "(José González"}
	for name, s := range map[string]*Scrubber{"known": New(alice), "generic": New(Identity{})} {
		seen := map[string]bool{}
		for path, b := range files {
			rel, _ := filepath.Rel(fixtures, path)
			t.Run(name+"/"+rel, func(t *testing.T) {
				out := scrubFile(t, s, path, b)
				if strings.Contains(strings.ToLower(out), "alice") {
					t.Errorf("alice left in:\n%s", out)
				}
				for _, g := range gone {
					if strings.Contains(out, g) {
						t.Errorf("%q left in:\n%s", g, out)
					}
				}
				for _, k := range survive {
					if strings.Contains(string(b), k) {
						seen[k] = true
						if !strings.Contains(out, k) {
							t.Errorf("%q damaged:\n%s", k, out)
						}
					}
				}
				if strings.Contains(out, "_MEI") {
					t.Errorf("PyInstaller prefix left in:\n%s", out)
				}
				if !utf8.ValidString(out) {
					t.Error("invalid UTF-8")
				}
				if again := scrubFile(t, s, path, []byte(out)); again != out {
					t.Errorf("not idempotent:\n%s\n---\n%s", out, again)
				}
			})
		}
		for _, k := range survive {
			if !seen[k] {
				t.Errorf("no fixture holds %q: fix the test", k)
			}
		}
	}
}

func TestConcurrent(t *testing.T) {
	s := New(alice)
	done := make(chan string)
	for i := 0; i < 8; i++ {
		go func() { done <- s.String("/home/bob/x bob alice") }()
	}
	for i := 0; i < 8; i++ {
		if got := <-done; got != "~/x <user> <user>" {
			t.Errorf("got %q", got)
		}
	}
}

func FuzzString(f *testing.F) {
	for _, b := range fixtureFiles(f) {
		for _, line := range strings.Split(string(b), "\n") {
			f.Add(line)
		}
	}
	for _, seed := range []string{
		`C:\Users\John Smith\AppData\Local\Temp\_MEI1\x`, "file:///C:/Users/Jos%C3%A9/x", "[2001:db8::1]:80",
		"password: 'x' token abcdefgh12 ?sig=1", "/home/user/x <user>", "a\xffb", "::ffff:1.2.3.4",
		"https://u:p@0123456789abcdef0123456789abcdef@h/1",
	} {
		f.Add(seed)
	}
	scrubbers := []*Scrubber{New(Identity{}), New(alice), New(Identity{Users: []string{"user", "token"}})}
	f.Fuzz(func(t *testing.T, in string) {
		for _, s := range scrubbers {
			out := s.String(in)
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 from %q: %q", in, out)
			}
			if again := s.String(out); again != out {
				t.Fatalf("not idempotent:\n in   %q\n out  %q\n again %q", in, out, again)
			}
		}
	})
}

func BenchmarkString(b *testing.B) {
	var lines []string
	for _, c := range fixtureFiles(b) {
		lines = append(lines, strings.Split(string(c), "\n")...)
	}
	var buf strings.Builder
	for i := 0; buf.Len() < 1<<20; i++ {
		buf.WriteString(lines[i%len(lines)])
		buf.WriteByte('\n')
	}
	log := buf.String()
	s := New(alice)
	b.SetBytes(int64(len(log)))
	b.ResetTimer()
	for b.Loop() {
		_ = s.String(log)
	}
}

// FuzzTrees feeds the same bytes to JSON and YAML: neither may panic, JSON output must be a
// fixed point, YAML output must parse again.
func FuzzTrees(f *testing.F) {
	for path, b := range fixtureFiles(f) {
		if strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".jsonl") {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"password": ["a", {"b": 1}], "/home/bob": "Bob"}`))
	f.Add([]byte("a: &x /home/bob\ntoken: *x\n# bob@example.com\n"))
	s := New(alice)
	f.Fuzz(func(t *testing.T, in []byte) {
		if out, err := s.JSON(in); err == nil {
			if !utf8.Valid(out) {
				t.Fatalf("JSON: invalid UTF-8: %q", out)
			}
			again, err := s.JSON(out)
			if err != nil || !bytes.Equal(again, out) {
				t.Fatalf("JSON not idempotent (%v):\n in   %q\n out  %q\n again %q", err, in, out, again)
			}
		}
		if out, err := s.YAML(in); err == nil {
			if _, err := s.YAML(out); err != nil {
				t.Fatalf("YAML output does not parse (%v):\n in  %q\n out %q", err, in, out)
			}
		}
	})
}
