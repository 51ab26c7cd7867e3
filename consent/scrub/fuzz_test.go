package scrub

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// canary is personal data planted in a text: after scrubbing, none of gone may be left
// (names are compared in any case).
type canary struct {
	text string   // what is planted
	gone []string // what must not survive
	name bool     // gone holds a user name (compared in any case)
	user string   // a user name the Scrubber is told about, if any
}

const numCanaries = 20

// makeCanary builds canary number kind (mod numCanaries) from rng.
func makeCanary(kind uint8, rng *rand.Rand) canary {
	letters := func(n int, set string) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = set[rng.IntN(len(set))]
		}
		return string(b)
	}
	const lower, alnum, upperNum = "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	// A made-up name nobody else uses: it starts with "Zq", so no word of the text matches.
	name := "Zq" + letters(3+rng.IntN(6), lower)
	if rng.IntN(3) == 0 {
		name += "é"
	}
	secret := letters(12, alnum) + "7"
	switch kind % numCanaries {
	case 0:
		e := letters(3+rng.IntN(6), lower) + "." + letters(2, lower) + "@" + letters(3+rng.IntN(6), lower) + ".example." + []string{"com", "org", "de", "co.uk"}[rng.IntN(4)]
		return canary{text: e, gone: []string{e}}
	case 1:
		ip := fmt.Sprintf("%d.%d.%d.%d", 1+rng.IntN(126), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254))
		if rng.IntN(2) == 0 {
			return canary{text: ip + ":" + fmt.Sprint(1+rng.IntN(65535)), gone: []string{ip}}
		}
		return canary{text: ip, gone: []string{ip}}
	case 2:
		ip := fmt.Sprintf("2001:db8:%x:%x:%x:%x:%x:%x", rng.IntN(65536), rng.IntN(65536), rng.IntN(65536), rng.IntN(65536), 1+rng.IntN(65535), 1+rng.IntN(65535))
		return canary{text: ip, gone: []string{ip}}
	case 3:
		sep := []string{":", "-"}[rng.IntN(2)]
		var g []string
		for i := 0; i < 6; i++ {
			g = append(g, fmt.Sprintf("%02x", 1+rng.IntN(254)))
		}
		m := strings.Join(g, sep)
		return canary{text: m, gone: []string{m}}
	case 4:
		d := []byte("4" + letters(14, "0123456789"))
		for c := byte('0'); c <= '9'; c++ {
			if luhn(append(d[:15:15], c)) {
				d = append(d[:15:15], c)
				break
			}
		}
		if rng.IntN(2) == 0 {
			spaced := string(d[0:4]) + " " + string(d[4:8]) + " " + string(d[8:12]) + " " + string(d[12:16])
			return canary{text: spaced, gone: []string{spaced, string(d[4:12])}}
		}
		return canary{text: string(d), gone: []string{string(d)}}
	case 5:
		bban := letters(18, "0123456789")
		rem := 0
		for _, c := range bban + "1314" + "00" { // D=13 E=14
			rem = (rem*10 + int(c-'0')) % 97
		}
		iban := fmt.Sprintf("DE%02d%s", 98-rem, bban)
		return canary{text: iban, gone: []string{iban, bban[4:14]}}
	case 6:
		tok := []string{"ghp_", "gho_", "ghu_", "ghs_"}[rng.IntN(4)] + letters(36, alnum)
		return canary{text: tok, gone: []string{tok[4:]}}
	case 7:
		tok := "github_pat_" + letters(22, alnum) + "_" + letters(59, alnum)
		return canary{text: tok, gone: []string{tok[11:]}}
	case 8:
		tok := "xox" + string("bpars"[rng.IntN(5)]) + "-" + letters(12, "0123456789") + "-" + letters(24, alnum)
		return canary{text: tok, gone: []string{tok[5:]}}
	case 9:
		hook := "https://hooks.slack.com/services/T" + letters(8, upperNum) + "/B" + letters(8, upperNum) + "/" + letters(24, alnum)
		return canary{text: hook, gone: []string{hook[len(hook)-24:]}}
	case 10:
		key := []string{"AKIA", "ASIA"}[rng.IntN(2)] + letters(16, upperNum)
		return canary{text: key, gone: []string{key[4:]}}
	case 11:
		b64 := func(n int) string { return base64.RawURLEncoding.EncodeToString([]byte(letters(n, alnum))) }
		jwt := "eyJ" + b64(20) + "." + b64(30) + "." + b64(20)
		return canary{text: jwt, gone: []string{jwt[3:]}}
	case 12:
		return canary{text: "/home/" + name + "/Music/set.xml and " + name, gone: []string{name}, name: true}
	case 13:
		sep := []string{`\`, `/`, `\\`}[rng.IntN(3)]
		return canary{text: "C:" + sep + "Users" + sep + name + sep + "AppData and " + strings.ToUpper(name), gone: []string{name}, name: true}
	case 14:
		return canary{text: `\\fs01\home$\` + name + `\x and ` + name, gone: []string{name}, name: true}
	case 15:
		return canary{text: "file:///Users/" + url.PathEscape(name) + "/Music/x.mp3 by " + name, gone: []string{name, url.PathEscape(name)}, name: true}
	case 16:
		return canary{text: "Hello " + name + ", welcome", gone: []string{name}, name: true, user: name}
	case 17:
		return canary{text: "https://" + name + ":" + secret + "@proxy.example.com:3128/", gone: []string{secret}}
	case 18:
		return canary{text: []string{"Authorization: Bearer ", "password=", `"api_key": "`, "?token="}[rng.IntN(4)] + secret, gone: []string{secret}}
	default:
		body := letters(64, alnum) + "\n" + letters(40, alnum) + "=="
		return canary{text: "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----", gone: []string{body[:64], body[65:]}}
	}
}

// plant puts c into text at a rune boundary near pos, in parentheses (so that the text
// around cannot become part of it), and reports whether the text was usable: it must not
// already hold what must go.
func plant(text string, pos int, c canary) (string, bool) {
	low := strings.ToLower(text)
	for _, g := range c.gone {
		if strings.Contains(text, g) || (c.name && strings.Contains(low, strings.ToLower(g))) {
			return "", false
		}
	}
	if text != "" {
		pos %= len(text) + 1
		for pos < len(text) && !utf8.RuneStart(text[pos]) {
			pos++
		}
	} else {
		pos = 0
	}
	return text[:pos] + " (" + c.text + ") " + text[pos:], true
}

// checkScrub scrubs in with s and checks the properties every output has.
func checkScrub(t *testing.T, s *Scrubber, in string, c *canary) {
	t.Helper()
	out := s.String(in)
	if !utf8.ValidString(out) {
		t.Fatalf("invalid UTF-8 from %q: %q", in, out)
	}
	if again := s.String(out); again != out {
		t.Fatalf("not idempotent:\n in    %q\n out   %q\n again %q", in, out, again)
	}
	if c == nil {
		return
	}
	low := strings.ToLower(out)
	for _, g := range c.gone {
		if strings.Contains(out, g) || (c.name && strings.Contains(low, strings.ToLower(g))) {
			t.Fatalf("%q survived:\n in  %q\n out %q", g, in, out)
		}
	}
}

var fuzzScrubbers = []*Scrubber{New(Identity{}), New(alice), New(Identity{Users: []string{"user", "token"}})}

func FuzzString(f *testing.F) {
	for _, b := range fixtureFiles(f) {
		for _, line := range strings.Split(string(b), "\n") {
			f.Add(line, uint8(len(line)), uint64(len(line)))
		}
	}
	for i, seed := range []string{
		`C:\Users\John Smith\AppData\Local\Temp\_MEI1\x`, "file:///C:/Users/Jos%C3%A9/x", "[2001:db8::1]:80",
		"password: 'x' token abcdefgh12 ?sig=1", "/home/user/x <user>", "a\xffb", "::ffff:1.2.3.4",
		"https://u:p@0123456789abcdef0123456789abcdef@h/1", "4111 1111 1111 1111 2222", "DE89 3704 0044 0532 0130 00",
		"-----BEGIN RSA PRIVATE KEY-----\\nMIIE\\n", "mozman@T3600LX:~/src$ <email-3> <ip-1>", `\\srv\home$\bob\x`,
		"3c:52:82:1a:2b:3c:", "xoxe.xoxb-1234567890-abc", "version 10.1.2.3", "\\\\\\\\srv\\\\users\\\\x",
	} {
		f.Add(seed, uint8(i), uint64(i))
	}
	f.Fuzz(func(t *testing.T, in string, kind uint8, seed uint64) {
		for _, s := range fuzzScrubbers {
			checkScrub(t, s, in, nil)
		}
		c := makeCanary(kind, rand.New(rand.NewPCG(seed, uint64(kind))))
		planted, ok := plant(in, int(seed>>8), c)
		if !ok {
			return
		}
		s := fuzzScrubbers[0]
		if c.user != "" {
			s = New(Identity{Users: []string{c.user}})
		}
		checkScrub(t, s, planted, &c)
	})
}

// TestCanaries plants every kind of canary in lines of the fixtures and of the benchmark
// log, many times over, so that plain `go test` checks what FuzzString checks.
func TestCanaries(t *testing.T) {
	var texts []string
	for _, b := range fixtureFiles(t) {
		texts = append(texts, strings.Split(string(b), "\n")...)
	}
	texts = append(texts, strings.Split(genLog(64<<10, 7), "\n")...)
	rng := rand.New(rand.NewPCG(1, 2))
	n := 4000
	if testing.Short() {
		n = 400
	}
	for i := 0; i < n; i++ {
		kind := uint8(i % numCanaries)
		c := makeCanary(kind, rng)
		text := texts[rng.IntN(len(texts))]
		if rng.IntN(4) == 0 {
			text += "\n" + texts[rng.IntN(len(texts))]
		}
		planted, ok := plant(text, rng.IntN(len(text)+1), c)
		if !ok {
			continue
		}
		s := New(Identity{})
		if c.user != "" {
			s = New(Identity{Users: []string{c.user}})
		}
		checkScrub(t, s, planted, &c)
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
	f.Add([]byte(`{"a": "10.0.0.1 <ip-1>", "b": ["x@y.org", "10.0.0.1"]}`))
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
