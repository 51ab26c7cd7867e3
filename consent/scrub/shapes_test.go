package scrub

import (
	"reflect"
	"strings"
	"testing"
)

func TestShapes(t *testing.T) {
	check(t, New(Identity{}), []stringCase{
		// e-mail
		{"email", "mail alice.dj@example.com now", "mail <email-1> now"},
		{"email percent", "to=bob%40example.co.uk&x=1", "to=<email-1>&x=1"},
		{"email unicode", "josé@exämple.de", "<email-1>"},
		{"email in angle brackets", "From: Bob <bob+dj@mail.example.com>", "From: Bob <<email-1>>"},
		{"email mailto", "mailto:support@example.com?subject=x", "mailto:<email-1>?subject=x"},
		{"no email: decorator", "@property def x", "@property def x"},
		{"no email: no tld", "git@localhost", "git@localhost"},
		{"no email: pin", "pkg@1.0.3", "pkg@1.0.3"},
		{"no email: qt object", "QWidget@0x7f8b8c0d0e50", "QWidget@0x7f8b8c0d0e50"},
		// IPv4
		{"ipv4", "from 192.168.1.23 ok", "from <ip-1> ok"},
		{"ipv4 port kept", "connect 10.0.0.1:8080 failed", "connect <ip-1>:8080 failed"},
		{"ipv4 colon", "from 192.168.1.23: refused", "from <ip-1>: refused"},
		{"ipv4 end of sentence", "host 8.8.8.8.", "host <ip-1>."},
		{"ipv4 in url", "http://10.1.2.3:3128/x", "http://<ip-1>:3128/x"},
		{"ipv4 loopback kept", "listening on 127.0.0.1:8000 and 0.0.0.0", "listening on 127.0.0.1:8000 and 0.0.0.0"},
		{"no ipv4: version", "version=1.0.3 os=Linux 6.8.0-49-generic", "version=1.0.3 os=Linux 6.8.0-49-generic"},
		{"no ipv4: four-part version", "version 1.2.3.4, Version: 2.0.0.1, build=1.0.0.7", "version 1.2.3.4, Version: 2.0.0.1, build=1.0.0.7"},
		{"no ipv4: bad octet", "256.1.1.1 1.2.3.999", "256.1.1.1 1.2.3.999"},
		{"no ipv4: leading zero", "01.2.3.4", "01.2.3.4"},
		{"no ipv4: five parts", "1.2.3.4.5", "1.2.3.4.5"},
		{"no ipv4: windows build", "10.0.19045.1234", "10.0.19045.1234"},
		{"no ipv4: prefixed", "v1.2.3.4 x1.2.3.4", "v1.2.3.4 x1.2.3.4"},
		// IPv6
		{"ipv6", "addr 2001:db8::1 up", "addr <ip-1> up"},
		{"ipv6 full", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "<ip-1>"},
		{"ipv6 zone", "fe80::1%eth0 link", "<ip-1> link"},
		{"ipv6 brackets port", "https://[2001:db8::42]:443/x", "https://[<ip-1>]:443/x"},
		{"ipv6 mapped", "::ffff:192.168.1.23", "<ip-1>"},
		{"ipv6 before colon", "from 2001:db8::7: refused", "from <ip-1>: refused"},
		{"ipv6 same address other spelling", "2001:db8::1 2001:0db8:0:0:0:0:0:1", "<ip-1> <ip-1>"},
		{"ipv4-mapped is the same address", "192.168.1.23 ::ffff:192.168.1.23 ::ffff:c0a8:117", "<ip-1> <ip-1> <ip-1>"},
		{"ipv6 loopback kept", "HTTPConnectionPool(host='::1', port=8000)", "HTTPConnectionPool(host='::1', port=8000)"},
		{"no ipv6: time", "2026-11-20 10:15:00,112 at 10:15:00", "2026-11-20 10:15:00,112 at 10:15:00"},
		{"no ipv6: iso time", "2026-11-20T10:14:59.812345+00:00", "2026-11-20T10:14:59.812345+00:00"},
		{"no ipv6: python slices", "x[::2] y[1::2] z[::-1] a::b ::", "x[::2] y[1::2] z[::-1] a::b ::"},
		{"no ipv6: c++", "std::vector<int> Foo::bar QObject::connect", "std::vector<int> Foo::bar QObject::connect"},
		// MAC
		{"mac colons", "wlan0: associated with 3c:52:82:1a:2b:3c", "wlan0: associated with <mac-1>"},
		{"mac dashes same value", "3C-52-82-1A-2B-3C is 3c:52:82:1a:2b:3c", "<mac-1> is <mac-1>"},
		{"mac two", "aa:bb:cc:dd:ee:01 -> aa:bb:cc:dd:ee:02", "<mac-1> -> <mac-2>"},
		{"mac null kept", "00:00:00:00:00:00 ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00 ff:ff:ff:ff:ff:ff"},
		{"no mac: times", "10:15:00 23:59:59:999 00:11:22:33:44 01:02:03:04:05:06:07", "10:15:00 23:59:59:999 00:11:22:33:44 01:02:03:04:05:06:07"},
		{"no mac: dates", "2026-11-20-10-15-00 20-11-26", "2026-11-20-10-15-00 20-11-26"},
		// cards
		{"card spaces", "card 4111 1111 1111 1111 exp 12/27", "card <card-1> exp 12/27"},
		{"card dashes same value", "4111-1111-1111-1111 = 4111111111111111", "<card-1> = <card-1>"},
		{"card amex", "amex 378282246310005 or 3782 822463 10005", "amex <card-1> or <card-1>"},
		{"card mastercard", "5555555555554444, 2223003122003222", "<card-1>, <card-2>"},
		{"card visa 13", "4222222222222", "<card-1>"},
		{"no card: luhn fails", "4111111111111112 4111 1111 1111 1112", "4111111111111112 4111 1111 1111 1112"},
		{"no card: epoch ms", "ts=1732097702250 ns=1732097702250113000", "ts=1732097702250 ns=1732097702250113000"},
		{"no card: in hex id", "id=9f4111111111111111e", "id=9f4111111111111111e"},
		{"no card: number list", "1 4111 1111 1111 1111 2222", "1 4111 1111 1111 1111 2222"},
		{"no card: decimal", "3.4111111111111111", "3.4111111111111111"},
		// IBAN
		{"iban spaced", "IBAN DE89 3704 0044 0532 0130 00.", "IBAN <iban-1>."},
		{"iban compact", "to GB82WEST12345698765432 and GB82 WEST 1234 5698 7654 32", "to <iban-1> and <iban-1>"},
		{"no iban: check digits", "DE89370400440532013001", "DE89370400440532013001"},
		{"no iban: length", "DE8937040044053201300", "DE8937040044053201300"},
		{"no iban: lower case", "de89370400440532013000", "de89370400440532013000"},
		// URLs
		{"userinfo", "https://bob:s3cret@host.example.com/x", "https://<redacted>@host.example.com/x"},
		{"userinfo token only", "https://x-token@github.com/o/r.git", "https://<redacted>@github.com/o/r.git"},
		{"userinfo ip host", "http://user:pw@10.0.0.5:3128", "http://<redacted>@<ip-1>:3128"},
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
		{"proxy authorization", "Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: Basic <redacted>"},
		{"no auth: words", "basic functionality, token expired, bearer of news", "basic functionality, token expired, bearer of news"},
		// tokens
		{"github", "using " + ghToken + " now", "using <github-token> now"},
		{"github other kinds", "gho_" + ghToken[4:] + " ghu_" + ghToken[4:] + " ghs_" + ghToken[4:], "<github-token> <github-token> <github-token>"},
		{"github pat", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "<github-token>"},
		{"github in header", "Authorization: token " + ghToken, "Authorization: token <github-token>"},
		{"github in url", "https://" + ghToken + "@github.com/o/r.git", "https://<redacted>@github.com/o/r.git"},
		{"no github: short", "ghp_short", "ghp_short"},
		{"slack bot", "SLACK_BOT_TOKEN xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "SLACK_BOT_TOKEN <slack-token>"},
		{"slack kinds", "xoxp-1-abcdefghij xoxa-2-abcdefghij xoxr-abcdefghijkl xoxs-abcdefghijkl xapp-1-A0123-4567-abcdef", "<slack-token> <slack-token> <slack-token> <slack-token> <slack-token>"},
		{"slack refresh", "xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4", "<slack-token>"},
		{"slack webhook", "posting to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX failed", "posting to <slack-webhook> failed"},
		{"no slack: word", "xoxo hugs, xox-1", "xoxo hugs, xox-1"},
		{"aws key id", "aws_access_key_id AKIAIOSFODNN7EXAMPLE ASIAY34FZKBOKMUTVV7A", "aws_access_key_id <aws-key> <aws-key>"},
		{"aws secret named", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = <redacted>"},
		{"aws secret env", "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_SECRET_ACCESS_KEY=<redacted>"},
		{"no aws: short", "AKIA1234", "AKIA1234"},
		{"jwt", "tok " + jwt + " end", "tok <jwt> end"},
		{"no jwt: header only", "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9"},
		{"sentry dsn", "dsn https://0123456789abcdef0123456789abcdef@o123.ingest.sentry.io/4505 ok", "dsn <sentry-dsn> ok"},
		{"sentry dsn with secret", "https://0123456789abcdef0123456789abcdef:fedcba9876543210fedcba9876543210@sentry.example.com/sub/42", "<sentry-dsn>"},
		{"sentry dsn port", "http://0123456789abcdef0123456789abcdef@localhost:9000/2", "<sentry-dsn>"},
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
		{"assign cookie", "Cookie: sessionid=abc; csrftoken=def", "Cookie: <redacted>; csrftoken=<redacted>"},
		{"assign value holds assignment", "KeyError: password=abc", "KeyError: password=<redacted>"},
		{"no assign: ids", "run_id=a1b2c3d4e5f6 session_id=s-1 report_id=f3a7b538e3318257", "run_id=a1b2c3d4e5f6 session_id=s-1 report_id=f3a7b538e3318257"},
		{"no assign: python", "KeyError: 'results' author=Bob beatport_key=8A", "KeyError: 'results' author=Bob beatport_key=8A"},
		{"no assign: file line", "cuepoint/auth/token.py:12 auth_service.py:1251", "cuepoint/auth/token.py:12 auth_service.py:1251"},
		{"assign scheme in parens", "(Authorization: Bearer Zm9vYmFyYmF6cXV4)", "(Authorization: Bearer <redacted>)"},
		{"no assign: code call", "session = requests.Session(); token = get_token(x)", "session = requests.Session(); token = get_token(x)"},
		{"no assign: missing secret", "token=None password: null", "token=None password: null"},
		{"git remote teaches no name", "git@github.com:/org/repo.git and deploy@web1:/srv/app, then git and deploy", "<email-1>:/org/repo.git and deploy@web1:/srv/app, then git and deploy"},
		{"root prompt", "root@web1:/srv/app# ls as root", "root@web1:/srv/app# ls as root"},
		{"no assign: call", "resp = self.session.get(url, params=params, timeout=(3, 8))", "resp = self.session.get(url, params=params, timeout=(3, 8))"},
	})
}

const pemKey = "-----BEGIN RSA PRIVATE KEY-----\n" +
	"MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n" +
	"VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n" +
	"LxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo\n" +
	"-----END RSA PRIVATE KEY-----"

func TestPrivateKeys(t *testing.T) {
	escaped := strings.ReplaceAll(pemKey, "\n", `\n`)
	check(t, New(Identity{}), []stringCase{
		{"block", "key:\n" + pemKey + "\nnext line", "key:\n<private-key>\nnext line"},
		{"crlf", "a\r\n" + strings.ReplaceAll(pemKey, "\n", "\r\n") + "\r\nb", "a\r\n<private-key>\r\nb"},
		{"one line escaped", `{"private_key": "` + escaped + `\n", "x": 1}`, `{"private_key": "<private-key>\n", "x": 1}`},
		{"python repr", `'` + strings.ReplaceAll(pemKey, "\n", `\\n`) + `'`, `'<private-key>'`},
		{"openssh", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----", "<private-key>"},
		{"truncated", "dump:\n" + pemKey[:200] + "\n2026-11-20 10:15:00,112 - next", "dump:\n<private-key>\n2026-11-20 10:15:00,112 - next"},
		{"encrypted headers", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,2E65189F8A8C8AD7A8B6D1A0E9BB42F1\n\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n", "<private-key>\n"},
		{"two blocks", pemKey + " and " + pemKey, "<private-key> and <private-key>"},
		{"certificate kept", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"},
		{"public key kept", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----", "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----"},
	})
	out, err := New(Identity{}).JSON([]byte(`{"k": "` + escaped + `"}`))
	if err != nil || string(out) != `{"k":"<private-key>"}`+"\n" {
		t.Errorf("JSON with a key: %s %v", out, err)
	}
}

func TestNumbering(t *testing.T) {
	s := New(Identity{})
	check(t, s, []stringCase{
		{"same value same number", "a@x.com b@x.com A@X.COM 10.0.0.1 10.0.0.2 10.0.0.1", "<email-1> <email-2> <email-1> <ip-1> <ip-2> <ip-1>"},
		{"across lines", "from 10.0.0.1\nto 10.0.0.2\nagain 10.0.0.1", "from <ip-1>\nto <ip-2>\nagain <ip-1>"},
		{"existing tokens are not reused", "<email-1> <ip-3> then c@x.com 10.9.9.9", "<email-1> <ip-3> then <email-2> <ip-4>"},
		{"legacy tokens kept", "<email> <ip> x@y.org", "<email> <ip> <email-1>"},
	})
	// Each call starts again: the mapping never outlives one call.
	if a, b := s.String("z@x.com"), s.String("y@x.com"); a != "<email-1>" || b != "<email-1>" {
		t.Errorf("numbering leaked between calls: %q %q", a, b)
	}
	// Trees share one numbering, in key order.
	got := s.Value(map[string]any{"a": "from 10.0.0.9", "b": []any{"10.0.0.8", "10.0.0.9"}, "c": "<ip-7>"})
	want := map[string]any{"a": "from <ip-8>", "b": []any{"<ip-9>", "<ip-8>"}, "c": "<ip-7>"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Value numbering: %#v", got)
	}
}

func TestStringWithCounts(t *testing.T) {
	in := "/home/bob/x bob bob@example.com c@d.org 10.0.0.1 3c:52:82:1a:2b:3c 4111111111111111 " +
		"GB82WEST12345698765432 " + ghToken + " password=x AKIAIOSFODNN7EXAMPLE\n" + pemKey
	out, counts := New(Identity{}).StringWithCounts(in)
	want := map[string]int{"home": 1, "user": 1, "email": 2, "ip": 1, "mac": 1, "card": 1, "iban": 1, "token": 2, "secret": 1, "key": 1}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("counts %v, want %v (out %q)", counts, want, out)
	}
	if out != New(Identity{}).String(in) {
		t.Error("StringWithCounts and String differ")
	}
	if _, c := New(Identity{}).StringWithCounts("nothing here"); c == nil || len(c) != 0 {
		t.Errorf("empty counts: %#v", c)
	}
}
