package scrub

import (
	"bytes"
	"regexp"
	"strings"
)

// IsSecretKey reports whether a map key or assignment name holds a secret: it contains
// (case-insensitively, ignoring _ - . and spaces) password, passwd, passphrase, passcode,
// secret, token, api_key, access_key, private_key, signing_key, encryption_key,
// client_key, credential, cookie, csrf, xsrf, session key/token, sessid, or auth (but not
// author/authority); or it ends in dsn or pwd; or it is pass, pwd, session, sessionid or
// sid. session_id (an identifier, not a cookie) is not a secret.
func IsSecretKey(key string) bool {
	key = strings.TrimSpace(key)
	if key == "" {
		return false
	}
	var kb, cb [64]byte
	k, c := kb[:0], cb[:0]
	if len(key) > len(kb) || !isASCII(key) {
		low := strings.ToLower(key)
		k = []byte(low)
		c = []byte(strings.Map(func(r rune) rune {
			if r == '_' || r == '-' || r == '.' || r == ' ' {
				return -1
			}
			return r
		}, low))
	} else {
		for i := 0; i < len(key); i++ {
			ch := key[i]
			if isUpper(ch) {
				ch += 'a' - 'A'
			}
			k = append(k, ch)
			if ch != '_' && ch != '-' && ch != '.' && ch != ' ' {
				c = append(c, ch)
			}
		}
	}
	return secretLower(k, c)
}

// secretTerms are the words that make a key secret, by first letter.
var secretTerms = [256][]string{
	'p': {"password", "passwd", "passphrase", "passcode", "privatekey"},
	's': {"secret", "sessionkey", "sessiontoken", "sessid", "signingkey"},
	't': {"token"},
	'a': {"apikey", "accesskey"},
	'c': {"credential", "cookie", "csrf", "clientkey"},
	'x': {"xsrf"},
	'e': {"encryptionkey"},
}

// secretLower is IsSecretKey on the lower-case key k and its compact form c (no _ - . or
// spaces).
func secretLower(k, c []byte) bool {
	switch string(k) {
	case "pass", "pwd", "session", "sid", "auth":
		return true
	}
	if bytes.Contains(k, []byte("sessionid")) || bytes.HasSuffix(c, []byte("dsn")) || bytes.HasSuffix(c, []byte("pwd")) {
		return true
	}
	for i := 0; i < len(c); i++ {
		for _, term := range secretTerms[c[i]] {
			if bytes.HasPrefix(c[i:], []byte(term)) {
				return true
			}
		}
		if c[i] == 'a' && bytes.HasPrefix(c[i:], []byte("auth")) {
			rest := c[i+4:]
			if !bytes.HasPrefix(rest, []byte("or")) || bytes.HasPrefix(rest, []byte("oriz")) || bytes.HasPrefix(rest, []byte("oris")) {
				return true
			}
		}
	}
	return false
}

// keyBefore returns the key (t[k:ke]) before the ':' or '=' at t[i]: blanks, a closing
// quote (maybe escaped) and the key characters are read backwards. The features pass asks
// whether it may be secret, so that assignments runs only where it can find something.
func keyBefore(t string, i int) (k, ke int) {
	k = i
	for k > 0 && (t[k-1] == ' ' || t[k-1] == '\t') {
		k--
	}
	if k > 0 && (t[k-1] == '"' || t[k-1] == '\'') {
		k--
		if k > 0 && t[k-1] == '\\' {
			k--
		}
	}
	ke = k
	for k > 0 && ke-k < 64 && (isWordByte(t[k-1]) || t[k-1] == '-') {
		k--
	}
	return k, ke
}

// secretWords are what every secret key contains (see IsSecretKey), in lower case.
var secretWords = []string{"pass", "pwd", "priv", "secret", "sess", "sid", "sign", "token", "key",
	"auth", "cred", "cookie", "csrf", "xsrf", "dsn"}

// secretByFirst lists the secret words by their first letter.
var secretByFirst = func() (m [256][]string) {
	for _, w := range secretWords {
		m[w[0]] = append(m[w[0]], w)
	}
	return m
}()

// maySecret is a quick test that IsSecretKey may hold for key: it contains, in any case,
// one of the secret words.
func maySecret(key string) bool {
	for i := 0; i+3 <= len(key); i++ {
		for _, w := range secretByFirst[lowerTab[key[i]]] {
			if w[1] == lowerTab[key[i+1]] && hasFoldAt(key, i, w) {
				return true
			}
		}
	}
	return false
}

// isSecretParam is IsSecretKey widened for URL query parameters.
func isSecretParam(name string) bool {
	if IsSecretKey(name) {
		return true
	}
	n := asciiLower(name)
	switch n {
	case "key", "sig", "code", "state_token", "otp", "hmac":
		return true
	}
	return strings.Contains(n, "signature") || strings.Contains(n, "session") || strings.HasSuffix(n, "_key") || strings.HasSuffix(n, "-key")
}

// harmlessValues are bare values that say a secret is missing, which is worth keeping.
var harmlessValues = map[string]bool{
	"None": true, "null": true, "nil": true, "true": true, "false": true, "True": true, "False": true,
}

// The value of a secret assignment, as one of: 1 "double quoted", 2 'single quoted',
// 3 scheme + credential, 4 bare word, 5 a quote never closed (a line cut short).
var reAssignValue = regexp.MustCompile(`^(?:(\\?"[^"\\\r\n]+\\?")|(\\?'[^'\\\r\n]+\\?')|((?i:bearer|basic|digest|token)[ \t]+[^\s"'\\,;()\[\]{}]+)|([^\s"'\\,;&<>()\[\]{}]+)|(\\?["'][^\s"'\\,;&<>()\[\]{}]+))`)

// assignments replaces the values of secret keys assigned in free text: key=value,
// key: value, "key": "value", 'key': 'value', \"key\": \"value\". For each ':' or '=' it
// reads the key backwards and the value (quoted, scheme + credential, or one bare word)
// forwards; quotes are kept, an auth scheme is kept.
func (r *run) assignments(t string) string {
	var b strings.Builder
	last := 0
	colon, eq := -1, -1 // next ':' and '=' at or after i (-2: none left)
	for i := 0; i < len(t); i++ {
		if colon != -2 && colon < i {
			if colon = strings.IndexByte(t[i:], ':'); colon >= 0 {
				colon += i
			} else {
				colon = -2
			}
		}
		if eq != -2 && eq < i {
			if eq = strings.IndexByte(t[i:], '='); eq >= 0 {
				eq += i
			} else {
				eq = -2
			}
		}
		switch {
		case colon == -2 && eq == -2:
			i = len(t)
			continue
		case eq == -2 || (colon >= 0 && colon < eq):
			i = colon
		default:
			i = eq
		}
		// key, backwards: blanks, closing quote (maybe escaped), key characters
		k := i
		for k > last && (t[k-1] == ' ' || t[k-1] == '\t') {
			k--
		}
		if k > last && (t[k-1] == '"' || t[k-1] == '\'') {
			k--
			if k > last && t[k-1] == '\\' {
				k--
			}
		}
		ke := k
		for k > last && (isWordByte(t[k-1]) || t[k-1] == '-') {
			k--
		}
		if ke-k < 3 || !maySecret(t[k:ke]) || !IsSecretKey(t[k:ke]) { // no key shorter than pwd is a secret
			continue
		}
		start := k
		if start > 0 && (t[start-1] == '"' || t[start-1] == '\'') {
			start--
			if start > 0 && t[start-1] == '\\' {
				start--
			}
		}
		if start > 0 && (t[start-1] == '/' || t[start-1] == '\\') {
			continue // a file name (auth/token.py:12), not a key
		}
		// value, forwards
		j := i + 1
		for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
			j++
		}
		m := reAssignValue.FindStringSubmatchIndex(t[j:])
		if m == nil {
			continue
		}
		v := t[j : j+m[1]]
		var repl string
		switch {
		case m[2] >= 0, m[4] >= 0: // quoted: keep the quotes
			open, close := quoteEnds(v)
			if isToken(v[len(open) : len(v)-len(close)]) {
				continue // already replaced (a DSN, a token)
			}
			repl = open + tokRedacted + close
		case m[10] >= 0: // open quote: keep it
			q := 1
			if v[0] == '\\' {
				q = 2
			}
			repl = v[:q] + tokRedacted
		case m[6] >= 0: // scheme + credential
			sp := strings.IndexAny(v, " \t")
			if isToken(strings.TrimLeft(v[sp:], " \t")) {
				continue
			}
			repl = v[:sp] + " " + tokRedacted
		default:
			if end := j + m[1]; end < len(t) && t[end] == '(' || harmlessValues[v] {
				continue // a call in code (session = requests.Session()), or no secret at all
			}
			repl = tokRedacted
		}
		if repl == v {
			continue
		}
		if last == 0 {
			b.Grow(len(t))
		}
		b.WriteString(t[last:j])
		b.WriteString(repl)
		r.counts[kSecret]++
		last = j + m[1]
		i = last - 1
	}
	if last == 0 {
		return t
	}
	b.WriteString(t[last:])
	return b.String()
}

// quoteEnds returns the opening and closing quote (with an escaping backslash) of v.
func quoteEnds(v string) (string, string) {
	open, close := v[:1], v[len(v)-1:]
	if v[0] == '\\' {
		open = v[:2]
	}
	if len(v) >= 2 && v[len(v)-2] == '\\' {
		close = v[len(v)-2:]
	}
	return open, close
}
