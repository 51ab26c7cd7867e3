package scrub

import (
	"net/netip"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Replacement tokens. Nothing else is ever written in place of personal data.
const (
	tokHome        = "~"
	tokUser        = "<user>"
	tokEmail       = "<email>"
	tokIP          = "<ip>"
	tokRedacted    = "<redacted>"
	tokJWT         = "<jwt>"
	tokGitHub      = "<github-token>"
	tokSentryDSN   = "<sentry-dsn>"
	valueRedacted  = "[redacted]" // value under a secret key in a tree (Value, JSON, YAML)
	minNameRunes   = 2            // shorter user names are not replaced outside home paths
	maxNameCache   = 256          // compiled name matchers kept per Scrubber
	maxURLLookback = 2048         // bytes scanned back to tell a URL path from a file path
)

// tokens are the replacement tokens a user name must never be found inside.
var tokens = []string{tokUser, tokEmail, tokIP, tokRedacted, tokJWT, tokGitHub, tokSentryDSN, valueRedacted}

// Identity names the people whose data must not leave: home directories and user names
// known up front (the companion's own user, the CuePoint home override, homes read from
// crash files).
type Identity struct {
	Homes []string
	Users []string
}

// Scrubber removes personal data. It is immutable after New (apart from an internal cache)
// and safe for concurrent use. A nil *Scrubber behaves like New(Identity{}).
type Scrubber struct {
	homes    *regexp.Regexp    // the known homes in all their spellings; nil when none
	names    map[string]string // known user names: lower case -> as given
	homeLits []string          // lower-case last folder of each known home (prefilter)
	namesRe  *nameMatcher      // matcher for names; nil when none

	mu    sync.Mutex
	cache map[string]*nameMatcher
}

var defaultScrubber = New(Identity{})

func (s *Scrubber) orDefault() *Scrubber {
	if s == nil {
		return defaultScrubber
	}
	return s
}

// New returns a Scrubber for id. Homes are replaced by "~" in every spelling (POSIX,
// Windows with either slash or doubled backslashes, file:// URLs, percent-encoded); the
// user names of id, and the names found in its homes, are replaced by "<user>".
func New(id Identity) *Scrubber {
	s := &Scrubber{names: map[string]string{}, cache: map[string]*nameMatcher{}}
	var alts []string
	for _, h := range id.Homes {
		if re, last := homePattern(h); re != "" {
			alts = append(alts, re)
			s.homeLits = append(s.homeLits, asciiLower(last), asciiLower(url.PathEscape(last)))
			if !allASCII([]string{last}) {
				s.homeLits = append(s.homeLits, "") // folding beyond ASCII: always try
			}
		}
		scanHomes(h, false, func(name string) { addName(s.names, name) })
	}
	for _, u := range id.Users {
		addName(s.names, u)
		if i := strings.LastIndexByte(u, '\\'); i >= 0 {
			addName(s.names, u[i+1:])
		}
	}
	if len(alts) > 0 {
		sort.Slice(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
		s.homes = regexp.MustCompile(`(?i)(` + filePrefix + `)?(?:` + strings.Join(alts, "|") + `)`)
	}
	s.namesRe = compileNames(s.names)
	return s
}

// String scrubs free text. Home folders found in the text itself (/home/<name>,
// /Users/<name>, C:\Users\<name>, file:// URLs) become "~" and their <name> is then
// replaced everywhere else in the same text.
func (s *Scrubber) String(in string) string {
	return s.orDefault().text(in, nil)
}

// text scrubs in; extra holds user names found elsewhere (in the rest of a tree).
//
// Every pattern is confined to one line, so the text is scrubbed line by line (short inputs
// keep Go's regexp on its fast path) and each pattern runs only when a cheap substring test
// says it can match. User names are replaced last, once the homes of all lines are known.
func (s *Scrubber) text(in string, extra map[string]string) string {
	t := strings.ToValidUTF8(in, "\uFFFD")
	if t == "" {
		return t
	}
	var found map[string]string
	add := func(name string) {
		if found == nil {
			found = map[string]string{}
		}
		addName(found, name)
	}
	lines := strings.Split(t, "\n")
	for i, l := range lines {
		lines[i] = s.line(l, add)
	}
	if nm := s.matcher(extra, found); nm != nil {
		for i, l := range lines {
			lines[i] = nm.replace(l)
		}
	}
	return strings.Join(lines, "\n")
}

// lineText is one line being scrubbed, with an ASCII-lower-cased copy for the prefilters.
type lineText struct{ t, low string }

func (l *lineText) set(t string) {
	if len(t) != len(l.t) || t != l.t {
		l.t, l.low = t, asciiLower(t)
	}
}

func (l *lineText) has(subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(l.low, sub) {
			return true
		}
	}
	return false
}

// line scrubs one line, except for user names; add receives the names of the homes found.
func (s *Scrubber) line(t string, add func(string)) string {
	l := &lineText{t: t, low: asciiLower(t)}
	if s.homes != nil && l.has(s.homeLits...) {
		l.set(edit(s.homes, l.t, func(t string, m []int) (string, int, int) {
			if m[1] < len(t) && nameContinues(t[m[1]:]) {
				return skip(m[1])
			}
			if m[2] >= 0 {
				return "file://" + tokHome, m[1], 0
			}
			return tokHome, m[1], 0
		}))
	}
	if l.has("/home/", "/users/", ":\\", ":/", "%3a") {
		l.set(scanHomes(l.t, true, add))
	}
	if strings.Contains(l.t, "_MEI") {
		l.set(edit(reMEI, l.t, func(t string, m []int) (string, int, int) {
			if m[0] > 0 && isWordByte(t[m[0]-1]) && t[m[0]] != '/' && t[m[0]] != '~' {
				return skip(m[0] + 1)
			}
			return "", m[1], 0
		}))
	}
	if l.has("://") && l.has("@") {
		l.set(edit(reDSN, l.t, func(t string, m []int) (string, int, int) {
			if m[1] < len(t) && isDigit(t[m[1]]) {
				return skip(m[1])
			}
			return tokSentryDSN, m[1], 0
		}))
		l.set(edit(reUserinfo, l.t, func(t string, m []int) (string, int, int) {
			if m[0] > 0 && isWordByte(t[m[0]-1]) {
				return skip(m[1])
			}
			return t[m[2]:m[3]] + tokRedacted + "@", m[1], 0
		}))
	}
	if l.has("@", "%40") {
		l.set(edit(reEmail, l.t, func(t string, m []int) (string, int, int) {
			if m[1] < len(t) && isWordRune(firstRune(t[m[1]:])) {
				// not an address: skip the whole run, or a tail of it could be taken
				// for one (and the run would change again on a second pass)
				end := m[1]
				for end < len(t) {
					r, n := utf8.DecodeRuneInString(t[end:])
					if !isWordRune(r) && !strings.ContainsRune("._%+-@", r) {
						break
					}
					end += n
				}
				return skip(end)
			}
			return tokEmail, m[1], 0
		}))
	}
	if strings.Contains(l.t, "eyJ") {
		l.set(edit(reJWT, l.t, func(t string, m []int) (string, int, int) {
			if m[0] > 0 && (isWordByte(t[m[0]-1]) || t[m[0]-1] == '-') {
				return skip(m[1])
			}
			return tokJWT, m[1], 0
		}))
	}
	if strings.Contains(l.t, "gh") {
		l.set(edit(reGitHub, l.t, func(t string, m []int) (string, int, int) {
			if m[0] > 0 && isWordByte(t[m[0]-1]) {
				return skip(m[1])
			}
			return tokGitHub, m[1], 0
		}))
	}
	if l.has("bearer", "basic", "token") {
		l.set(edit(reAuthScheme, l.t, func(t string, m []int) (string, int, int) {
			if m[0] > 0 && isWordByte(t[m[0]-1]) {
				return skip(m[1])
			}
			cred := t[m[6]:m[7]]
			if len(cred) < 8 || (len(cred) < 20 && !strings.ContainsAny(cred, "0123456789")) {
				return skip(m[1])
			}
			return t[m[2]:m[5]] + tokRedacted, m[1], 0
		}))
	}
	if l.has("=") && l.has("?", "&", ";") {
		l.set(edit(reQuery, l.t, func(t string, m []int) (string, int, int) {
			if !isSecretParam(t[m[4]:m[5]]) {
				return skip(m[6])
			}
			return t[m[0]:m[6]] + tokRedacted, m[1], 0
		}))
	}
	if l.has("=", ":") && l.has(assignTerms...) {
		l.set(assignments(l.t))
	}
	if maybeIPv6(l.t) {
		l.set(edit(reIPv6, l.t, func(t string, m []int) (string, int, int) {
			if !validIPv6(t, m[0], m[1]) {
				return skip(m[1])
			}
			return tokIP, m[1], 0
		}))
	}
	if maybeIPv4(l.t) {
		l.set(edit(reIPv4, l.t, func(t string, m []int) (string, int, int) {
			if m[0] > 0 {
				if r, _ := utf8.DecodeLastRuneInString(t[:m[0]]); isWordRune(r) || r == '.' {
					return skip(m[1])
				}
			}
			if rest := t[m[1]:]; rest != "" {
				if isWordRune(firstRune(rest)) || (rest[0] == '.' && len(rest) > 1 && isDigit(rest[1])) {
					return skip(m[1])
				}
			}
			return tokIP, m[1], 0
		}))
	}
	return l.t
}

// harmlessValues are bare values that say a secret is missing, which is worth keeping.
var harmlessValues = map[string]bool{
	"None": true, "null": true, "nil": true, "true": true, "false": true, "True": true, "False": true,
}

// assignTerms prefilter assignments: a secret key contains one of them.
var assignTerms = []string{"pass", "pwd", "secret", "token", "key", "auth", "credential", "cookie", "csrf", "xsrf", "sess", "sid", "dsn"}

// assignments replaces the values of secret keys assigned in free text: key=value,
// key: value, "key": "value", 'key': 'value', \"key\": \"value\". For each ':' or '=' it
// reads the key backwards and the value (quoted, scheme + credential, or one bare word)
// forwards; quotes are kept, an auth scheme is kept.
func assignments(t string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(t); i++ {
		if t[i] != ':' && t[i] != '=' {
			continue
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
		if k == ke || !IsSecretKey(t[k:ke]) {
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
			repl = open + tokRedacted + close
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
		b.WriteString(t[last:j])
		b.WriteString(repl)
		last = j + m[1]
		i = last - 1
	}
	if last == 0 {
		return t
	}
	b.WriteString(t[last:])
	return b.String()
}

// maybeIPv6 reports whether t holds a run of hex digits, dots and colons with "::" or at
// least seven colons (times like 10:15:00 have neither).
func maybeIPv6(t string) bool {
	colons, double := 0, false
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c == ':':
			colons++
			double = double || (i > 0 && t[i-1] == ':')
			if double || colons >= 7 {
				return true
			}
		case isDigit(c) || ('a' <= c|0x20 && c|0x20 <= 'f') || c == '.':
		default:
			colons, double = 0, false
		}
	}
	return false
}

// maybeIPv4 reports whether t holds four dot-separated digit runs in a row.
func maybeIPv4(t string) bool {
	groups := 0 // digit runs in a row, each followed by a dot
	for i := 0; i < len(t); {
		if !isDigit(t[i]) {
			groups = 0
			i++
			continue
		}
		j := i
		for j < len(t) && isDigit(t[j]) {
			j++
		}
		if groups == 3 {
			return true
		}
		if j < len(t) && t[j] == '.' {
			groups++
			i = j + 1
		} else {
			groups = 0
			i = j
		}
	}
	return false
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
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

// ---- homes ------------------------------------------------------------------------------

const (
	sepRe      = `(?:\\\\|\\|/)`
	filePrefix = `file:(?://(?:localhost)?)?/*`
	// A Windows profile folder name may contain single spaces; scanHomes keeps the spaces
	// only when a path separator follows.
	nameWinRe   = `[^\\/:*?"'<>|\s,;=&]+(?: [^\\/:*?"'<>|\s,;=&]+)*`
	namePosixRe = `(?:[\p{L}\p{N}_]|%[0-9A-Fa-f]{2})(?:[\p{L}\p{N}_.-]|%[0-9A-Fa-f]{2})*`
)

var reHome = regexp.MustCompile(`(` + filePrefix + `)?(?:` +
	`([A-Za-z](?::|%3[Aa]))` + sepRe + `(?i:users)` + sepRe + `(` + nameWinRe + `)` +
	`|((?:/mnt/[A-Za-z]|/var)?/(?:home|Users))/(` + namePosixRe + `))`)

// ignoredHomes are profile folders that belong to nobody.
var ignoredHomes = map[string]bool{
	"public": true, "shared": true, "default": true, "default user": true, "all users": true,
	"defaultuser0": true, "<user>": true, "~": true,
}

// scanHomes finds home folders in t and reports the user name of each to add. With replace
// it returns t with the homes replaced by "~" (a file:// URL keeps its scheme: "file://~").
func scanHomes(t string, replace bool, add func(string)) string {
	if !strings.Contains(t, "/home/") && !strings.Contains(t, "/Users/") && !strings.Contains(t, ":\\") &&
		!strings.Contains(t, ":/") && !containsFold(t, "%3a") {
		return t
	}
	return edit(reHome, t, func(t string, m []int) (string, int, int) {
		file := m[2] >= 0 && m[3] > m[2]
		var ns, ne int
		if m[4] >= 0 { // Windows
			if !file && m[4] > 0 && isWordByte(t[m[4]-1]) {
				return skip(m[4] + 1)
			}
			ns, ne = m[6], m[7]
			if ne == len(t) || (t[ne] != '\\' && t[ne] != '/') {
				if i := strings.IndexByte(t[ns:ne], ' '); i >= 0 {
					ne = ns + i
				}
			}
		} else {
			if !file && inWebURL(t, m[8]) {
				return skip(m[1])
			}
			ns, ne = m[10], m[11]
		}
		for ne > ns && t[ne-1] == '.' {
			ne--
		}
		if ne == ns {
			return skip(m[1])
		}
		name := t[ns:ne]
		if strings.Contains(name, "%") {
			if d, err := url.PathUnescape(name); err == nil && utf8.ValidString(d) {
				name = d
			}
		}
		if ignoredHomes[strings.ToLower(name)] {
			return skip(m[1])
		}
		add(name)
		if !replace {
			return skip(m[1])
		}
		if file {
			return "file://" + tokHome, ne, 0
		}
		return tokHome, ne, 0 // up to ne: the name may have been cut short of the match
	})
}

// inWebURL reports whether the path starting at i is the path of a web URL (https://host/home/x).
func inWebURL(t string, i int) bool {
	j := i
	for j > 0 && i-j < maxURLLookback {
		c := t[j-1]
		if c <= ' ' || strings.IndexByte("\"'<>()[]{}=&?,;|`", c) >= 0 {
			break
		}
		j--
	}
	tok := t[j:i]
	k := strings.Index(tok, "://")
	return k >= 0 && !strings.HasSuffix(strings.ToLower(tok[:k]), "file")
}

// homePattern returns a regexp (without flags) for every spelling of one known home and
// its last folder, or "" when h is not an absolute path with a folder below the root.
func homePattern(h string) (string, string) {
	h = strings.TrimSpace(strings.ToValidUTF8(h, ""))
	if strings.HasPrefix(strings.ToLower(h), "file:") {
		if u, err := url.Parse(h); err == nil && u.Path != "" {
			h = strings.TrimPrefix(u.Path, "/")
			if !isDrive(h) {
				h = "/" + h
			}
		}
	}
	comps := strings.FieldsFunc(h, func(r rune) bool { return r == '/' || r == '\\' })
	switch {
	case isDrive(h):
		if len(comps) < 2 {
			return "", ""
		}
		parts := []string{`(?:` + regexp.QuoteMeta(comps[0]) + `|` + regexp.QuoteMeta(comps[0][:1]) + `%3A)`}
		for _, c := range comps[1:] {
			parts = append(parts, compPattern(c))
		}
		return strings.Join(parts, sepRe), comps[len(comps)-1]
	case strings.HasPrefix(h, "/"):
		if len(comps) < 1 {
			return "", ""
		}
		var b strings.Builder
		for _, c := range comps {
			b.WriteString("/")
			b.WriteString(compPattern(c))
		}
		return b.String(), comps[len(comps)-1]
	}
	return "", ""
}

func compPattern(c string) string {
	p := regexp.QuoteMeta(c)
	if e := url.PathEscape(c); e != c {
		p = `(?:` + p + `|` + regexp.QuoteMeta(e) + `)`
	}
	return p
}

func isDrive(h string) bool {
	return len(h) >= 3 && isLetter(h[0]) && h[1] == ':' && (h[2] == '\\' || h[2] == '/')
}

// nameContinues reports whether rest continues a path component (so a home does not end here).
func nameContinues(rest string) bool {
	r := firstRune(rest)
	if isWordRune(r) || r == '-' {
		return true
	}
	return r == '.' && len(rest) > 1 && isWordRune(firstRune(rest[1:]))
}

// ---- user names -------------------------------------------------------------------------

// addName records name (trimmed) unless it cannot identify anybody.
func addName(set map[string]string, name string) {
	name = strings.TrimSpace(strings.ToValidUTF8(name, ""))
	low := strings.ToLower(name)
	if utf8.RuneCountInString(name) < minNameRunes || ignoredHomes[low] || !strings.ContainsFunc(name, unicode.IsLetter) {
		return
	}
	for _, t := range tokens {
		if low == t || strings.Contains(t, low) && strings.ContainsAny(low, "<>[]") {
			return
		}
	}
	if _, ok := set[low]; !ok {
		set[low] = name
	}
}

// nameMatcher finds user names. lits, when set, are lower-case ASCII strings one of which
// a line must contain before the regexp is worth running.
type nameMatcher struct {
	re   *regexp.Regexp
	lits []string
}

func compileNames(names map[string]string) *nameMatcher {
	vs := nameVariants(names)
	if len(vs) == 0 {
		return nil
	}
	nm := &nameMatcher{}
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = regexp.QuoteMeta(v)
		nm.lits = append(nm.lits, strings.ToLower(v))
	}
	if !allASCII(vs) {
		nm.lits = nil // case folding beyond ASCII: no cheap prefilter
	}
	nm.re = regexp.MustCompile(`(?i)(?:` + strings.Join(q, "|") + `)`)
	return nm
}

func allASCII(vs []string) bool {
	for _, v := range vs {
		for i := 0; i < len(v); i++ {
			if v[i] >= utf8.RuneSelf {
				return false
			}
		}
	}
	return true
}

// replace puts "<user>" in place of every whole-word name in t.
func (nm *nameMatcher) replace(t string) string {
	if nm.lits != nil {
		low, any := asciiLower(t), false
		for _, lit := range nm.lits {
			if strings.Contains(low, lit) {
				any = true
				break
			}
		}
		if !any {
			return t
		}
	}
	return edit(nm.re, t, func(t string, m []int) (string, int, int) {
		next := m[1] // a whole-word match can only start after a non-word rune inside
		for i, r := range t[m[0]:m[1]] {
			if i > 0 && !isWordRune(r) {
				next = m[0] + i
				break
			}
		}
		if m[0] > 0 {
			if r, _ := utf8.DecodeLastRuneInString(t[:m[0]]); isWordRune(r) {
				return skip(next)
			}
		}
		if m[1] < len(t) && isWordRune(firstRune(t[m[1]:])) {
			return skip(next)
		}
		if insideToken(t, m[0], m[1]) {
			return skip(m[1])
		}
		return tokUser, m[1], 0
	})
}

// nameVariants lists each name as written, path-escaped and query-escaped, longest first.
func nameVariants(names map[string]string) []string {
	seen := map[string]bool{}
	var vs []string
	for _, n := range names {
		for _, v := range []string{n, url.PathEscape(n), url.QueryEscape(n)} {
			if k := strings.ToLower(v); !seen[k] {
				seen[k] = true
				vs = append(vs, v)
			}
		}
	}
	sort.Slice(vs, func(i, j int) bool {
		if len(vs[i]) != len(vs[j]) {
			return len(vs[i]) > len(vs[j])
		}
		return vs[i] < vs[j]
	})
	return vs
}

// matcher returns the name matcher for the known names plus those in the extra sets.
func (s *Scrubber) matcher(extra ...map[string]string) *nameMatcher {
	var all map[string]string
	for _, e := range extra {
		for k, v := range e {
			if _, ok := s.names[k]; ok {
				continue
			}
			if all == nil {
				all = map[string]string{}
				for k2, v2 := range s.names {
					all[k2] = v2
				}
			}
			all[k] = v
		}
	}
	if all == nil {
		return s.namesRe
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	key := strings.Join(keys, "\x00")
	s.mu.Lock()
	nm, ok := s.cache[key]
	s.mu.Unlock()
	if ok {
		return nm
	}
	nm = compileNames(all)
	s.mu.Lock()
	if len(s.cache) >= maxNameCache {
		clear(s.cache)
	}
	s.cache[key] = nm
	s.mu.Unlock()
	return nm
}

func isToken(v string) bool {
	for _, tok := range tokens {
		if v == tok {
			return true
		}
	}
	return false
}

// insideToken reports whether t[i:j] lies inside one of the replacement tokens.
func insideToken(t string, i, j int) bool {
	for _, tok := range tokens {
		lo, hi := max(0, j-len(tok)), min(i, len(t)-len(tok))
		for p := lo; p <= hi; p++ {
			if t[p:p+len(tok)] == tok {
				return true
			}
		}
	}
	return false
}

// ---- shapes -----------------------------------------------------------------------------

const octet = `(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])`

var (
	// PyInstaller's unpack folder: drive-rooted (spaces allowed), ~\-rooted, or POSIX.
	reMEI = regexp.MustCompile(
		`[A-Za-z]:(?:` + sepRe + `[^\\/:*?"'<>|\r\n]+?)*?` + sepRe + `_MEI[0-9A-Za-z]+` + sepRe +
			`|~(?:(?:\\\\|\\)[^\\/:*?"'<>|\r\n]+?)*?(?:\\\\|\\)_MEI[0-9A-Za-z]+(?:\\\\|\\)` +
			`|~?(?:/[^/\\\s"'<>|:*?]+)*?/_MEI[0-9A-Za-z]+/`)
	reDSN      = regexp.MustCompile(`(?i)https?://[0-9a-f]{32}(?::[0-9a-f]{32})?@[a-z0-9.-]+(?::[0-9]+)?/(?:[a-z0-9_.-]+/)*[0-9]+`)
	reUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)([^\s/?#@"'<>\\]+)@`)
	reEmail    = regexp.MustCompile(`[\p{L}\p{N}._%+-]+(?:@|%40)[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,}`)
	reJWT      = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`)
	reGitHub   = regexp.MustCompile(`gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}`)
	// groups: 1 scheme, 2 blanks, 3 credential
	reAuthScheme = regexp.MustCompile(`(?i)(bearer|basic|token)([ \t]+)([A-Za-z0-9._~+/=-]+)`)
	// groups: 1 lead, 2 name, 3 value
	reQuery = regexp.MustCompile(`([?&;])([A-Za-z0-9_.\-\[\]]+)=([^&#\s"'<>)\]]+)`)
	// The value of a secret assignment, as one of: 1 "double quoted", 2 'single quoted',
	// 3 scheme + credential, 4 bare word.
	reAssignValue = regexp.MustCompile(`^(?:(\\?"[^"\\\r\n]+\\?")|(\\?'[^'\\\r\n]+\\?')|((?i:bearer|basic|digest|token)[ \t]+[^\s"'\\,;()\[\]{}]+)|([^\s"'\\,;&<>()\[\]{}]+))`)
	reIPv6        = regexp.MustCompile(`(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4})(?:%[0-9A-Za-z_.-]+)?`)
	reIPv4        = regexp.MustCompile(octet + `(?:\.` + octet + `){3}(?::[0-9]{1,5})?`)
)

func validIPv6(t string, i, j int) bool {
	if i > 0 {
		if r, _ := utf8.DecodeLastRuneInString(t[:i]); isWordRune(r) || r == '.' || r == ':' {
			return false
		}
	}
	if rest := t[j:]; rest != "" {
		r := firstRune(rest)
		if isWordRune(r) || r == ':' || (r == '.' && len(rest) > 1 && isDigit(rest[1])) {
			return false
		}
	}
	cand := t[i:j]
	a, err := netip.ParseAddr(cand)
	if err != nil || !a.Is6() {
		return false
	}
	addr := cand
	if k := strings.IndexByte(addr, '%'); k >= 0 {
		addr = addr[:k]
	}
	if !strings.Contains(addr, "::") {
		return true
	}
	// Python slices (x[1::2]) and bare "::" are not addresses worth the risk.
	groups, long := 0, false
	for _, g := range strings.Split(addr, ":") {
		if g != "" {
			groups++
			long = long || len(g) >= 4
		}
	}
	return groups >= 3 || (groups == 2 && long)
}

// ---- secret names -----------------------------------------------------------------------

var secretTerms = []string{
	"password", "passwd", "passphrase", "passcode", "secret", "token", "apikey", "accesskey",
	"privatekey", "signingkey", "encryptionkey", "clientkey", "credential", "cookie", "csrf",
	"xsrf", "sessionkey", "sessiontoken", "sessid",
}

// IsSecretKey reports whether a map key or assignment name holds a secret: it contains
// (case-insensitively, ignoring _ - . and spaces) password, passwd, passphrase, secret,
// token, api_key, access_key, private_key, credential, cookie, csrf, session key/token,
// or auth (but not author/authority); or it is pass, pwd, session, sessionid, sid or *dsn.
// session_id (an identifier, not a cookie) is not a secret.
func IsSecretKey(key string) bool {
	k := strings.ToLower(strings.TrimSpace(key))
	if k == "" {
		return false
	}
	switch k {
	case "pass", "pwd", "session", "sid", "auth":
		return true
	}
	if strings.Contains(k, "sessionid") {
		return true
	}
	c := strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', '.', ' ':
			return -1
		}
		return r
	}, k)
	for _, t := range secretTerms {
		if strings.Contains(c, t) {
			return true
		}
	}
	if strings.HasSuffix(c, "dsn") {
		return true
	}
	for rest := c; ; {
		i := strings.Index(rest, "auth")
		if i < 0 {
			return false
		}
		rest = rest[i+4:]
		if !strings.HasPrefix(rest, "or") || strings.HasPrefix(rest, "oriz") || strings.HasPrefix(rest, "oris") {
			return true
		}
	}
}

// isSecretParam is IsSecretKey widened for URL query parameters.
func isSecretParam(name string) bool {
	if IsSecretKey(name) {
		return true
	}
	n := strings.ToLower(name)
	switch n {
	case "key", "sig", "code", "state_token", "otp", "hmac":
		return true
	}
	return strings.Contains(n, "signature") || strings.Contains(n, "session") || strings.HasSuffix(n, "_key") || strings.HasSuffix(n, "-key")
}

// ---- helpers ----------------------------------------------------------------------------

// edit runs re over t from left to right. For each match m (absolute submatch indices)
// fn returns a replacement for t[m[0]:end] (end >= m[0], usually m[1]), or, with end < 0,
// no replacement and the position where the search resumes (see skip).
func edit(re *regexp.Regexp, t string, fn func(t string, m []int) (repl string, end, next int)) string {
	var b strings.Builder
	last, pos, changed := 0, 0, false
	for pos <= len(t) {
		m := re.FindStringSubmatchIndex(t[pos:])
		if m == nil {
			break
		}
		for i := range m {
			if m[i] >= 0 {
				m[i] += pos
			}
		}
		repl, end, next := fn(t, m)
		if end >= 0 {
			if !changed {
				b.Grow(len(t))
				changed = true
			}
			b.WriteString(t[last:m[0]])
			b.WriteString(repl)
			last, next = end, end
			if end == m[0] {
				next++
			}
		} else if next <= m[0] {
			next = m[0] + 1
		}
		for next < len(t) && !utf8.RuneStart(t[next]) {
			next++
		}
		pos = next
	}
	if !changed {
		return t
	}
	b.WriteString(t[last:])
	return b.String()
}

// skip is fn's answer to edit for a match that stays: resume the search at next (at least
// one byte after the match start).
func skip(next int) (string, int, int) { return "", -1, next }

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isWordByte(c byte) bool {
	return c == '_' || isDigit(c) || isLetter(c)
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// containsFold reports whether s contains the ASCII string sub, ignoring case.
func containsFold(s, sub string) bool {
	return strings.Contains(s, sub) || strings.Contains(s, strings.ToUpper(sub))
}
