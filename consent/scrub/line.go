package scrub

import (
	"strings"
	"unicode/utf8"
)

// line scrubs one line. The order matters: homes before the frozen-app prefix (their names
// are learned first), URLs and e-mail addresses before tokens, tokens before the number
// shapes (a card number inside a token must not cut it short) and before the secret
// assignments that would hide them, user names last.
func (r *run) line(t string) string {
	lf := features(t, &r.keys)
	f := lf.f
	if f&fSep != 0 {
		if r.s.homes != nil {
			t = r.s.homes.replace(t, r)
		}
		if f&fHome != 0 {
			t = r.homes(t)
		}
		if f&fMEI != 0 {
			t = stripMEI(t)
		}
		if f&fHook != 0 {
			t = r.slackHooks(t)
		}
	}
	if f&fPctHome != 0 {
		t = r.pctHomes(t)
	}
	if f&fAt != 0 && f&fScheme != 0 {
		t = r.urls(t)
	}
	if f&fAt != 0 {
		r.prompts(t)
	}
	if f&(fAt|fPct40) != 0 {
		t = r.emails(t)
	}
	if f&fToken != 0 {
		t = r.words(t, true)
	}
	if f&fDouble != 0 || lf.colons >= 7 || lf.macColons >= 5 {
		t = r.colonShapes(t, f&fDouble != 0 || lf.colons >= 7, lf.macColons >= 5)
	}
	if lf.macDashes >= 5 {
		t = r.dashMACs(t)
	}
	if f&fIPv4 != 0 {
		t = r.ipv4s(t)
	}
	if lf.numberRun >= 13 {
		t = r.cards(t)
	}
	if f&(fUpperDigit|fAuth) != 0 {
		t = r.words(t, false)
	}
	if f&fEq != 0 && f&fQuery != 0 {
		t = r.query(t)
	}
	if f&fSecretKey != 0 {
		t = r.assignments(t)
	}
	return r.matcher().replaceLine(t, r)
}

// ---- URLs and e-mail --------------------------------------------------------------------

// urls replaces Sentry DSNs (http(s)://<32 hex>[:<32 hex>]@host/…/<project>), and the
// user info (user:password@) of other URLs.
func (r *run) urls(t string) string {
	e := editor{t: t}
	for from := 0; ; {
		k := strings.Index(t[from:], "://")
		if k < 0 {
			break
		}
		k += from
		from = k + 3
		s := k
		for s > 0 && (isAlnum(t[s-1]) || t[s-1] == '+' || t[s-1] == '.' || t[s-1] == '-') {
			s--
		}
		for s < k && !isLetter(t[s]) {
			s++
		}
		if s == k || s < e.last || (s > 0 && isWordByte(t[s-1])) {
			continue
		}
		u, ue := k+3, k+3
		for ue < len(t) && t[ue] > ' ' && strings.IndexByte("/?#@\"'<>\\", t[ue]) < 0 {
			ue++
		}
		if ue == u || ue >= len(t) || t[ue] != '@' {
			continue
		}
		if end := dsnEnd(t, t[s:k], t[u:ue], ue+1); end > 0 {
			e.put(s, end, tokSentryDSN)
			r.counts[kToken]++
			from = end
			continue
		}
		e.put(u, ue, tokRedacted)
		r.counts[kSecret]++
		from = ue + 1
	}
	return e.result()
}

// dsnEnd returns the end of a Sentry DSN whose scheme and user info are given and whose
// host starts at t[h:], or 0.
func dsnEnd(t, scheme, userinfo string, h int) int {
	if !strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") {
		return 0
	}
	key, secret, hasSecret := strings.Cut(userinfo, ":")
	if len(key) != 32 || !allHex(key) || hasSecret && (len(secret) != 32 || !allHex(secret)) {
		return 0
	}
	p := h
	for p < len(t) && (isAlnum(t[p]) || t[p] == '.' || t[p] == '-') {
		p++
	}
	if p == h {
		return 0
	}
	if p < len(t) && t[p] == ':' {
		q := p + 1
		for q < len(t) && isDigit(t[q]) {
			q++
		}
		if q == p+1 {
			return 0
		}
		p = q
	}
	end := 0
	for p < len(t) && t[p] == '/' {
		q := p + 1
		for q < len(t) && isDigit(t[q]) {
			q++
		}
		if q > p+1 {
			end = q
		}
		for q < len(t) && (isAlnum(t[q]) || t[q] == '_' || t[q] == '.' || t[q] == '-') {
			q++
		}
		if q == p+1 {
			break
		}
		p = q
	}
	return end
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}

// prompts learns the user names of shell prompts (alice@laptop:~/src$, (venv)
// bob@host:/opt# …): the name is then replaced like the name of a home. The path must end
// in $ or # followed by a blank or the end of the line, so that scp and git remotes
// (git@github.com:org/repo.git) teach nothing.
func (r *run) prompts(t string) {
	for i := strings.IndexByte(t, '@'); i >= 0; {
		s := i
		for s > 0 && i-s < 64 && (isAlnum(t[s-1]) || strings.IndexByte("._-", t[s-1]) >= 0) {
			s--
		}
		h := i + 1
		for h < len(t) && h-i < 256 && (isAlnum(t[h]) || t[h] == '.' || t[h] == '-' || t[h] == '_') {
			h++
		}
		if s < i && h > i+1 && h+1 < len(t) && t[h] == ':' && (t[h+1] == '~' || t[h+1] == '/') &&
			(s == 0 || strings.IndexByte(" ()[]\"'", t[s-1]) >= 0) {
			p := h + 1
			for p < len(t) && p-h < 4096 && t[p] > ' ' && t[p] != '$' && t[p] != '#' {
				p++
			}
			if p < len(t) && (t[p] == '$' || t[p] == '#') && (p+1 == len(t) || t[p+1] == ' ' || t[p+1] == '\t') {
				r.addFound(t[s:i])
			}
		}
		j := strings.IndexByte(t[i+1:], '@')
		if j < 0 {
			break
		}
		i += 1 + j
	}
}

// slackHooks replaces Slack webhook URLs (hooks.slack.com/services/…, /workflows/…,
// /triggers/…), whose path is the secret.
func (r *run) slackHooks(t string) string {
	const host = "hooks.slack.com/"
	e := editor{t: t}
	for from := 0; ; {
		k := strings.Index(t[from:], host)
		if k < 0 {
			break
		}
		k += from
		end := k + len(host)
		from = end
		rest := t[end:]
		if !strings.HasPrefix(rest, "services/") && !strings.HasPrefix(rest, "workflows/") && !strings.HasPrefix(rest, "triggers/") {
			continue
		}
		start := k
		if k >= 8 && t[k-8:k] == "https://" {
			start = k - 8
		} else if k >= 7 && t[k-7:k] == "http://" {
			start = k - 7
		}
		for end < len(t) && (isAlnum(t[end]) || t[end] == '/' || t[end] == '_' || t[end] == '-') {
			end++
		}
		if start < e.last {
			continue
		}
		e.put(start, end, tokSlackHook)
		r.counts[kToken]++
		from = end
	}
	return e.result()
}

// maxLocalPart bounds the bytes read backwards from an @ (64 in RFC 5321, percent-encoded).
const maxLocalPart = 256

// emails replaces e-mail addresses, also with the @ percent-encoded (%40).
func (r *run) emails(t string) string {
	e := editor{t: t}
	for i := 0; i < len(t); i++ {
		at := 0
		switch {
		case t[i] == '@':
			at = 1
		case t[i] == '%' && i+2 < len(t) && t[i+1] == '4' && t[i+2] == '0':
			at = 3
		default:
			continue
		}
		ls := i
		for ls > e.last && i-ls < maxLocalPart {
			c, n := utf8.DecodeLastRuneInString(t[:ls])
			if !isWordRune(c) && !strings.ContainsRune("._%+-", c) {
				break
			}
			ls -= n
		}
		if ls == i {
			continue
		}
		de := domainEnd(t, i+at)
		if de < 0 {
			continue
		}
		key := strings.ToLower(t[ls:i]) + "@" + strings.ToLower(t[i+at:de])
		e.put(ls, de, r.numbered(kEmail, key))
		i = de - 1
	}
	return e.result()
}

// domainEnd returns the end of the mail domain at t[s:] (two labels or more, the last of
// at least two letters), or -1.
func domainEnd(t string, s int) int {
	good, labels := -1, 0
	for p := s; p < len(t); {
		ls, letters := p, true
		for p < len(t) {
			c, n := utf8.DecodeRuneInString(t[p:])
			if c == '-' && p > ls {
				p += n
				continue
			}
			if !isWordRune(c) {
				break
			}
			letters = letters && !(c < utf8.RuneSelf && isDigit(byte(c)))
			p += n
		}
		for p > ls && t[p-1] == '-' {
			p--
		}
		if p == ls {
			break
		}
		labels++
		if labels >= 2 && letters && utf8.RuneCountInString(t[ls:p]) >= 2 && !strings.Contains(t[ls:p], "-") {
			good = p
		}
		if p+1 < len(t) && t[p] == '.' && isWordRune(firstRune(t[p+1:])) {
			p++
			continue
		}
		break
	}
	return good
}

// query replaces the values of secret URL query parameters (?token=…, &sig=…, ;code=…).
func (r *run) query(t string) string {
	e := editor{t: t}
	from := strings.IndexByte(t, '?')
	if amp := strings.IndexByte(t, '&'); from < 0 || (amp >= 0 && amp < from) {
		from = amp
	}
	if from < 0 {
		return t
	}
	for i := from; i < len(t); i++ {
		if c := t[i]; c != '?' && c != '&' && c != ';' {
			continue
		}
		n := i + 1
		for n < len(t) && (isWordByte(t[n]) || strings.IndexByte(".-[]", t[n]) >= 0) {
			n++
		}
		if n == i+1 || n >= len(t) || t[n] != '=' {
			continue
		}
		v := n + 1
		end := v
		for end < len(t) && t[end] > ' ' && strings.IndexByte("&#\"'<>)]", t[end]) < 0 {
			end++
		}
		if end == v {
			continue
		}
		if !isSecretParam(t[i+1 : n]) {
			i = n
			continue
		}
		e.put(v, end, tokRedacted)
		r.counts[kSecret]++
		i = end - 1
	}
	return e.result()
}
