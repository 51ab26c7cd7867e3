package scrub

import "strings"

// words visits every word of t. With tokens it replaces the GitHub, Slack, AWS and JSON
// Web Tokens that start at a word; without, the IBANs, AWS key IDs and the credentials
// after Bearer, Basic or token.
func (r *run) words(t string, tokens bool) string {
	e := editor{t: t}
	for i := 0; i < len(t); {
		if class[t[i]]&cWord == 0 {
			i++
			continue
		}
		j := i + 1
		for j < len(t) && class[t[j]]&cWord != 0 {
			j++
		}
		end := 0
		if tokens {
			end = r.token(t, i, j, &e)
		} else {
			end = r.ibanOrAuth(t, i, j, &e)
		}
		if end > 0 {
			i = end
			continue
		}
		i = j
	}
	return e.result()
}

// token replaces a token starting at the word t[i:j]; it returns where it ended, or 0.
func (r *run) token(t string, i, j int, e *editor) int {
	switch c := t[i]; c {
	case 'g':
		return r.github(t, i, j, e)
	case 'x':
		return r.slack(t, i, e)
	case 'e':
		if j-i >= 3 && t[i+1] == 'y' && t[i+2] == 'J' {
			return r.jwt(t, i, e)
		}
	case 'A':
		if j-i == 20 && (strings.HasPrefix(t[i:], "AKIA") || strings.HasPrefix(t[i:], "ASIA")) && allUpperAlnum(t[i:j]) {
			e.put(i, j, tokAWS)
			r.counts[kToken]++
			return j
		}
	}
	return 0
}

func (r *run) ibanOrAuth(t string, i, j int, e *editor) int {
	n := j - i
	if n >= 4 && isUpper(t[i]) && isUpper(t[i+1]) && isDigit(t[i+2]) && isDigit(t[i+3]) {
		if end := r.iban(t, i, j, e); end > 0 {
			return end
		}
	}
	if (n == 5 || n == 6) && j < len(t) && (t[j] == ' ' || t[j] == '\t') {
		return r.auth(t, i, j, e)
	}
	if n == 20 && t[i] == 'A' {
		return r.token(t, i, j, e)
	}
	return 0
}

func allUpperAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isUpper(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// github replaces GitHub tokens: ghp_, gho_, ghu_, ghs_, ghr_ and github_pat_.
func (r *run) github(t string, i, j int, e *editor) int {
	w := t[i:j]
	end := 0
	switch {
	case len(w) >= 4 && w[1] == 'h' && strings.IndexByte("pousr", w[2]) >= 0 && w[3] == '_':
		k := i + 4
		for k < j && isAlnum(t[k]) {
			k++
		}
		if k-i-4 >= 20 {
			end = k
		}
	case strings.HasPrefix(w, "github_pat_") && len(w) >= 11+20:
		end = j
	}
	if end == 0 {
		return 0
	}
	e.put(i, end, tokGitHub)
	r.counts[kToken]++
	return end
}

// slack replaces Slack tokens: xoxb-, xoxp-, xoxa-, xoxr-, xoxs-, xoxo-, xoxe- (also
// xoxe.xoxp-) and xapp-.
func (r *run) slack(t string, i int, e *editor) int {
	s := i
	for strings.HasPrefix(t[s:], "xoxe.") {
		s += 5
	}
	rest := t[s:]
	if !(len(rest) > 5 && strings.HasPrefix(rest, "xox") && strings.IndexByte("abprseo", rest[3]) >= 0 && rest[4] == '-') &&
		!strings.HasPrefix(rest, "xapp-") {
		return 0
	}
	k := s + 5
	for k < len(t) && (isAlnum(t[k]) || t[k] == '-') {
		k++
	}
	if k-s-5 < 10 {
		return 0
	}
	e.put(i, k, tokSlack)
	r.counts[kToken]++
	return k
}

// jwt replaces a JSON Web Token (eyJ….….…).
func (r *run) jwt(t string, i int, e *editor) int {
	if i > 0 && t[i-1] == '-' {
		return 0
	}
	p := i
	for seg := 0; seg < 3; seg++ {
		s := p
		for p < len(t) && (isAlnum(t[p]) || t[p] == '_' || t[p] == '-') {
			p++
		}
		if seg < 2 {
			if p-s < 2 || p >= len(t) || t[p] != '.' {
				return 0
			}
			p++
		}
	}
	e.put(i, p, tokJWT)
	r.counts[kToken]++
	return p
}

// auth replaces the credential after Bearer, Basic or token (t[i:j], any case) when it
// looks like one: eight characters or more, with a digit (after Bearer or Basic also a
// '.', '=', '+' or '/') unless it is long.
func (r *run) auth(t string, i, j int, e *editor) int {
	w := t[i:j]
	scheme := strings.EqualFold(w, "bearer") || strings.EqualFold(w, "basic")
	if !scheme && !strings.EqualFold(w, "token") {
		return 0
	}
	cs := j
	for cs < len(t) && (t[cs] == ' ' || t[cs] == '\t') {
		cs++
	}
	ce := cs
	marked := false // a digit, or for a scheme one of . = + /
	for ce < len(t) && (isAlnum(t[ce]) || strings.IndexByte("._~+/=-", t[ce]) >= 0) {
		c := t[ce]
		marked = marked || isDigit(c) || scheme && (c == '.' || c == '=' || c == '+' || c == '/')
		ce++
	}
	cred := t[cs:ce]
	if len(cred) < 8 || (len(cred) < 20 && !marked) || isTokenShaped(cred) {
		return 0
	}
	e.put(cs, ce, tokRedacted)
	r.counts[kSecret]++
	return ce
}

// isTokenShaped reports whether v starts like a token the word scanner names itself.
func isTokenShaped(v string) bool {
	for _, p := range []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "xapp-", "eyJ", "AKIA", "ASIA"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}
