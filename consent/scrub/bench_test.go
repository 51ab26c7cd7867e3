package scrub

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// benchLogSize is the size of the generated log the throughput benchmarks scrub.
const benchLogSize = 50 << 20

var benchLog = sync.OnceValue(func() string { return genLog(benchLogSize, 1) })

// genLog writes a CuePoint-like log of about size bytes in CuePoint's two formats (the
// app log in ~/.cuepoint/logs and the Qt log in ~/.local/share/CuePoint/Logs), with a
// traceback now and then and personal data in a few percent of the lines.
func genLog(size int, seed uint64) string {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	levels := []string{"INFO", "INFO", "INFO", "DEBUG", "WARNING", "ERROR"}
	modules := []string{"services/processor_service.py", "core/matcher.py", "data/beatport.py", "utils/crash_handler.py", "ui/main_window.py", "data/rekordbox.py"}
	loggers := []string{"cuepoint.utils.logger", "urllib3.connectionpool", "cuepoint.core.matcher", "cuepoint.ui.main_window", "PySide6.QtCore"}
	clean := []func() string{
		func() string { return fmt.Sprintf("Parsed %d tracks in %d ms", rng.IntN(5000), rng.IntN(900)) },
		func() string {
			n := rng.IntN(400)
			return fmt.Sprintf("Beatport search slow for 'Artist %d - Track %d': %d ms", n, n, 1000+rng.IntN(9000))
		},
		func() string {
			return fmt.Sprintf("Matched 'Artist %d - Track %d' -> beatport id %d (score 0.%02d)", rng.IntN(400), rng.IntN(400), 10000000+rng.IntN(9000000), rng.IntN(100))
		},
		func() string {
			return fmt.Sprintf("Retrying (Retry(total=2, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError(\"HTTPSConnectionPool(host='www.beatport.com', port=443): Read timed out. (read timeout=8)\")': /search/tracks?q=Artist+%d+Track+%d", rng.IntN(400), rng.IntN(400))
		},
		func() string {
			return fmt.Sprintf("GET https://www.beatport.com/api/v4/catalog/tracks/%d/ 200 (%d ms)", 10000000+rng.IntN(9000000), rng.IntN(2000))
		},
		func() string {
			return fmt.Sprintf("Cache hit ratio 0.%02d (%d/%d)", rng.IntN(100), rng.IntN(5000), 5000+rng.IntN(5000))
		},
		func() string { return fmt.Sprintf("Worker thread %d finished batch %d/40", rng.IntN(8), rng.IntN(40)) },
		func() string { return "QObject::connect: Cannot queue arguments of type 'QTextCursor'" },
		func() string {
			return fmt.Sprintf("Writing CSV output to Documents/CuePoint_Output/run_%012x.csv", rng.Uint64()&0xffffffffffff)
		},
		func() string {
			return fmt.Sprintf("commit %040x build 412 event_id=%032x", rng.Uint64(), rng.Uint64())
		},
		func() string {
			return fmt.Sprintf("Checkpoint saved at 2026-11-20T10:%02d:%02d.%06d+00:00", rng.IntN(60), rng.IntN(60), rng.IntN(1000000))
		},
	}
	personal := []func() string{
		func() string { return "Loading XML /home/alice/Music/rekordbox/Alice Collection 2026.xml" },
		func() string {
			return fmt.Sprintf("Sending crash email to alice.dj@example.com from 192.168.1.%d", 1+rng.IntN(254))
		},
		func() string { return `Log file: C:\Users\Alice\AppData\Local\CuePoint\Logs\cuepoint.log` },
		func() string { return "/search/tracks?q=Artist+12&token=abc123secretvalue&page=2" },
		func() string {
			return "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.ZmFrZS10b2tlbi1mb3ItdGVzdHM.c2lnbmF0dXJl"
		},
		func() string { return "using proxy http://bob:hunter2@10.0.0.5:3128" },
		func() string { return "wlan0: associated with 3c:52:82:1a:2b:3c" },
		func() string { return "Playing file:///Users/alice/Music/Alice%20Set/01.mp3" },
		func() string {
			return "git push https://ghp_" + strings.Repeat("A1b2C3d4E5", 4)[:36] + "@github.com/alice/sets.git"
		},
		func() string { return "route via fe80::1ff:fe23:4567:890a%eth0 failed" },
		func() string { return `Traceback: File "\\\\fs01\\home$\\alice\\CuePoint\\x.py", line 12` },
	}
	tb := []string{
		"Traceback (most recent call last):",
		`  File "/tmp/_MEIx8Qz1a/cuepoint/data/beatport.py", line 1133, in search_tracks`,
		"    resp = self.session.get(url, params=params, timeout=(3, 8))",
		`  File "/tmp/_MEIx8Qz1a/requests/adapters.py", line 713, in send`,
		"    raise ReadTimeout(e, request=request)",
		"requests.exceptions.ReadTimeout: HTTPSConnectionPool(host='www.beatport.com', port=443): Read timed out. (read timeout=8)",
	}
	var b strings.Builder
	b.Grow(size + 1024)
	sec := 0
	for b.Len() < size {
		sec++
		ts := fmt.Sprintf("2026-11-%02d %02d:%02d:%02d", 20+sec/86400%9, sec/3600%24, sec/60%60, sec%60)
		var msg string
		switch p := rng.IntN(1000); {
		case p < 30:
			msg = personal[rng.IntN(len(personal))]()
		case p < 40:
			for _, l := range tb {
				b.WriteString(l)
				b.WriteByte('\n')
			}
			continue
		default:
			msg = clean[rng.IntN(len(clean))]()
		}
		run := fmt.Sprintf("%012x", rng.Uint64()&0xffffffffffff)
		if rng.IntN(2) == 0 {
			fmt.Fprintf(&b, "%s,%03d - cuepoint - %s - %s run_id=%s version=1.0.3 os=Linux 6.8.0-49-generic - /tmp/_MEIx8Qz1a/cuepoint/%s:%d\n",
				ts, rng.IntN(1000), levels[rng.IntN(len(levels))], msg, run, modules[rng.IntN(len(modules))], 1+rng.IntN(2000))
		} else {
			fmt.Fprintf(&b, "%s [%-8s] %s: %s run_id=%s version=1.0.3 os=Linux 6.8.0-49-generic\n",
				ts, levels[rng.IntN(len(levels))], loggers[rng.IntN(len(loggers))], msg, run)
		}
	}
	return b.String()
}

func BenchmarkScrubLog(b *testing.B) {
	log := benchLog()
	s := New(alice)
	b.SetBytes(int64(len(log)))
	b.ResetTimer()
	for b.Loop() {
		_ = s.String(log)
	}
}

// naiveRule is one pattern of the naive scrubber: every match becomes repl (or, with keep,
// only the matches keep accepts).
type naiveRule struct {
	re   *regexp.Regexp
	repl string
	keep func(string) bool
}

// naiveRules cover what the real scrubber covers, one chained regexp.ReplaceAllString each.
var naiveRules = sync.OnceValue(func() []naiveRule {
	digitsOnly := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' {
				return r
			}
			return -1
		}, s)
	}
	return []naiveRule{
		{re: regexp.MustCompile(`(?s)-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----`), repl: "<private-key>"},
		{re: regexp.MustCompile(`(?:[A-Za-z]:)?(?:[\\/][^\\/\s"']+)*?[\\/]_MEI[0-9A-Za-z]+[\\/]`), repl: ""},
		{re: regexp.MustCompile(`(?:/mnt/[a-z])?/(?:home|Users)/[\p{L}\p{N}_.%-]+`), repl: "~"},
		{re: regexp.MustCompile(`(?i)[a-z]:(?:\\\\|\\|/)users(?:\\\\|\\|/)[^\\/:*?"<>|\s]+`), repl: "~"},
		{re: regexp.MustCompile(`\\\\+[A-Za-z0-9.-]+\\+(?:home|users|profiles)\$?\\+[^\\\s"']+`), repl: "~"},
		{re: regexp.MustCompile(`(?i)https?://[0-9a-f]{32}(?::[0-9a-f]{32})?@[a-z0-9.-]+(?::[0-9]+)?/(?:[a-z0-9_.-]+/)*[0-9]+`), repl: "<sentry-dsn>"},
		{re: regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^\s/?#@"'<>\\]+@`), repl: "${1}<redacted>@"},
		{re: regexp.MustCompile(`[\p{L}\p{N}._%+-]+(?:@|%40)[\p{L}\p{N}.-]+\.\p{L}{2,}`), repl: "<email>"},
		{re: regexp.MustCompile(`gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}`), repl: "<github-token>"},
		{re: regexp.MustCompile(`xox[abprseo]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}`), repl: "<slack-token>"},
		{re: regexp.MustCompile(`https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+`), repl: "<slack-webhook>"},
		{re: regexp.MustCompile(`\b(?:AKIA|ASIA)[A-Z0-9]{16}\b`), repl: "<aws-key>"},
		{re: regexp.MustCompile(`eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`), repl: "<jwt>"},
		{re: regexp.MustCompile(`(?i)\b(bearer|basic|token)([ \t]+)[A-Za-z0-9._~+/=-]{8,}`), repl: "${1}${2}<redacted>"},
		{re: regexp.MustCompile(`([?&;](?i:[a-z_]*token|api_?key|key|sig|signature|password|secret|auth|code|session)=)[^&#\s"'<>)\]]+`), repl: "${1}<redacted>"},
		{re: regexp.MustCompile(`(?i)\b((?:pass(?:word|wd)?|secret|token|api_?key|access_?key|auth[a-z]*|credentials?|cookie)[A-Za-z0-9_]*["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;]+)`), repl: "${1}<redacted>"},
		{re: regexp.MustCompile(`(?i)\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:)+:(?:[0-9a-f]{1,4}:?)*[0-9a-f]{1,4}(?:%[0-9a-z]+)?`), repl: "<ip>"},
		{re: regexp.MustCompile(`\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b`), repl: "<ip>"},
		{re: regexp.MustCompile(`(?i)\b[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}\b`), repl: "<mac>"},
		{re: regexp.MustCompile(`\b(?:\d[ -]?){12,18}\d\b`), repl: "<card>", keep: func(m string) bool { return luhnOK(digitsOnly(m)) }},
		{re: regexp.MustCompile(`\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b`), repl: "<iban>", keep: func(m string) bool {
			d := digitsOnly(m)
			return len(d) > 4 && mod97([]byte(d))
		}},
		{re: regexp.MustCompile(`(?i)\balice\b`), repl: "<user>"},
	}
})

func luhnOK(d string) bool { return len(d) >= 13 && luhn([]byte(d)) }

// naiveScrub is the scrubber one writes first: each pattern over the whole text in turn.
func naiveScrub(t string) string {
	for _, r := range naiveRules() {
		if r.keep == nil {
			t = r.re.ReplaceAllString(t, r.repl)
			continue
		}
		t = r.re.ReplaceAllStringFunc(t, func(m string) string {
			if r.keep(m) {
				return r.repl
			}
			return m
		})
	}
	return t
}

func BenchmarkNaiveScrub(b *testing.B) {
	log := benchLog()
	naiveRules()
	b.SetBytes(int64(len(log)))
	b.ResetTimer()
	for b.Loop() {
		_ = naiveScrub(log)
	}
}

func TestNaiveScrubWorks(t *testing.T) {
	in := "mail alice.dj@example.com from 192.168.1.23 card 4111 1111 1111 1111 /home/alice/x"
	want := "mail <email> from <ip> card <card> ~/x"
	if got := naiveScrub(in); got != want {
		t.Errorf("naive: got %q want %q", got, want)
	}
}
