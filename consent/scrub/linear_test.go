package scrub

import (
	"strings"
	"testing"
	"time"
)

// TestLinearTime scrubs long lines made of one shape repeated: every detector must stay
// linear (a quadratic one takes seconds here).
func TestLinearTime(t *testing.T) {
	s := New(alice)
	for name, in := range map[string]string{
		"pct40":     strings.Repeat("a%40", 20000),
		"at":        strings.Repeat("a@", 40000),
		"homes":     strings.Repeat("a/home/x", 10000),
		"users":     strings.Repeat(`x\Users\y`, 10000),
		"unc":       strings.Repeat(`\\a\home\b`, 10000),
		"mei":       strings.Repeat("/_MEI1/", 10000),
		"meiroot":   "/tmp" + strings.Repeat("/_MEI1x", 10000),
		"quote":     strings.Repeat(`pwd:"`, 20000),
		"tokcolon":  strings.Repeat("token:", 20000),
		"colons":    strings.Repeat("1:", 50000),
		"hex":       strings.Repeat("ab:", 50000),
		"dots":      strings.Repeat("1.", 50000),
		"digits":    strings.Repeat("4111 ", 50000),
		"iban":      strings.Repeat("DE89 ", 50000),
		"eyj":       strings.Repeat("eyJa.", 50000),
		"scheme":    strings.Repeat("a://", 50000),
		"userinfo":  "a://" + strings.Repeat("b:", 50000),
		"names":     strings.Repeat("alice", 50000),
		"query":     strings.Repeat("?a=b&", 50000),
		"pem":       strings.Repeat("-----BEGIN PRIVATE KEY-----", 5000),
		"pembody":   "-----BEGIN PRIVATE KEY-----\n" + strings.Repeat("QUFBQUFBQUFBQUFBQUFBQUFB\n", 20000),
		"prompt":    strings.Repeat("a@b:~", 50000),
		"dashes":    strings.Repeat("ab-", 50000),
		"bearer":    strings.Repeat("Bearer ", 50000),
		"keyspace":  strings.Repeat("password ", 50000) + "=",
		"fileurl":   strings.Repeat("file:///home/", 20000),
		"lines":     strings.Repeat("/home/bob\n", 50000),
		"slackhook": strings.Repeat("hooks.slack.com/services/", 20000),
	} {
		start := time.Now()
		out := s.String(in)
		s.String(out)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: %v for %d bytes", name, d, len(in))
		}
	}
}
