package scrub

import (
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Replacement tokens that carry no number.
const (
	tokHome       = "~"
	tokUser       = "<user>"
	tokRedacted   = "<redacted>"
	tokJWT        = "<jwt>"
	tokGitHub     = "<github-token>"
	tokSlack      = "<slack-token>"
	tokSlackHook  = "<slack-webhook>"
	tokAWS        = "<aws-key>"
	tokSentryDSN  = "<sentry-dsn>"
	tokPrivateKey = "<private-key>"
	valueRedacted = "[redacted]" // value under a secret key in a tree (Value, JSON, YAML)
	maxNameCache  = 256          // compiled name matchers kept per Scrubber
)

// kind is a kind of personal data; it names a count and, for numbered kinds, a token.
type kind uint8

const (
	kHome   kind = iota // home folder            "~"
	kUser               // user name              "<user>"
	kEmail              // e-mail address         "<email-N>"
	kIP                 // IPv4 or IPv6 address   "<ip-N>"
	kMAC                // MAC address            "<mac-N>"
	kCard               // payment card number    "<card-N>"
	kIBAN               // IBAN                   "<iban-N>"
	kKey                // PEM private key        "<private-key>"
	kToken              // GitHub, Slack, AWS, JWT, Sentry DSN
	kSecret             // "<redacted>" and "[redacted]": passwords, auth headers, secret parameters
	numKinds
)

// kindNames are the keys of StringWithCounts; numbered kinds use theirs in the token.
var kindNames = [numKinds]string{"home", "user", "email", "ip", "mac", "card", "iban", "key", "token", "secret"}

// plainTokens are the token names (between < and >) that carry no number; the numbered
// kinds also appear without a number, as written by earlier versions.
var plainTokens = map[string]bool{
	"user": true, "redacted": true, "jwt": true, "github-token": true, "slack-token": true,
	"slack-webhook": true, "aws-key": true, "sentry-dsn": true, "private-key": true,
	"email": true, "ip": true, "mac": true, "card": true, "iban": true,
}

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
	homes *knownHomes       // known homes generic detection does not find; nil when none
	names map[string]string // known user names: lower case -> as given
	nm    *nameMatcher      // matcher for names; nil when none

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
	var extra []string
	for _, h := range id.Homes {
		h = strings.TrimSpace(strings.ToValidUTF8(h, ""))
		generic := false
		findHomes(h, func(m homeMatch) {
			generic = generic || (m.start == 0 && strings.TrimRight(h[m.end:], `\/`) == "")
			homeNames(m, func(n string) { addName(s.names, n, false) })
		})
		if !generic {
			extra = append(extra, h)
		}
	}
	s.homes = compileKnownHomes(extra)
	for _, u := range id.Users {
		addName(s.names, u, true)
		if i := strings.LastIndexByte(u, '\\'); i >= 0 {
			addName(s.names, u[i+1:], true)
		}
	}
	s.nm = compileNames(s.names)
	return s
}

// String scrubs free text. Home folders found in the text itself (/home/<name>,
// /Users/<name>, C:\Users\<name>, UNC home shares, file:// URLs) become "~" and their
// <name> is then replaced everywhere else in the same text. Within one call the same
// e-mail address, IP address, MAC address, card number or IBAN always gets the same
// numbered token.
func (s *Scrubber) String(in string) string {
	r := s.orDefault().newRun()
	r.noteExisting(in)
	return r.text(in)
}

// StringWithCounts is String that also reports how many replacements of each kind it made:
// "home", "user", "email", "ip", "mac", "card", "iban", "key" (private keys), "token"
// (GitHub, Slack, AWS, JWT, Sentry DSN) and "secret" (passwords, credentials, secret
// parameters). Kinds with no replacement are left out; the map is never nil.
func (s *Scrubber) StringWithCounts(in string) (string, map[string]int) {
	r := s.orDefault().newRun()
	r.noteExisting(in)
	out := r.text(in)
	return out, r.countMap()
}

// run is the state of one String, Value, JSON or YAML call: the names found so far and the
// numbers given to values. It never outlives the call.
type run struct {
	s      *Scrubber
	found  map[string]string // user names found in homes: lower case -> as written
	order  []string          // the keys of found, in the order they were found
	nm     *nameMatcher      // matcher for s.names + found; valid while !dirty
	dirty  bool
	ids    map[string]int // kind + "\x00" + normalized value -> number
	last   [numKinds]int  // highest number given, or seen in the input, per kind
	counts [numKinds]int
	low    []byte   // scratch: the current line in lower case
	keys   keyCache // the last keys seen before ':' or '=' (see features)
}

func (s *Scrubber) newRun() *run { return &run{s: s, nm: s.nm} }

func (r *run) countMap() map[string]int {
	m := map[string]int{}
	for k, n := range r.counts {
		if n > 0 {
			m[kindNames[k]] = n
		}
	}
	return m
}

// numbered returns the token for a value of a numbered kind, the same for the same key.
func (r *run) numbered(k kind, key string) string {
	if r.ids == nil {
		r.ids = map[string]int{}
	}
	id := kindNames[k] + "\x00" + key
	n, ok := r.ids[id]
	if !ok {
		r.last[k]++
		n = r.last[k]
		r.ids[id] = n
	}
	r.counts[k]++
	return "<" + kindNames[k] + "-" + strconv.Itoa(n) + ">"
}

// noteExisting records the numbered tokens already in t, so that new values get new
// numbers (scrubbing text that holds earlier output never merges two values).
func (r *run) noteExisting(t string) {
	for i := strings.IndexByte(t, '<'); i >= 0; {
		if n := tokenLen(t[i:]); n > 0 {
			name := t[i+1 : i+n-1]
			if d := strings.LastIndexByte(name, '-'); d > 0 {
				if k, ok := numberedKind(name[:d]); ok {
					if v, err := strconv.Atoi(name[d+1:]); err == nil && v > r.last[k] {
						r.last[k] = v
					}
				}
			}
		}
		j := strings.IndexByte(t[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
}

// addFound records a user name found in a home folder of the text being scrubbed.
func (r *run) addFound(name string) {
	if _, known := r.s.names[strings.ToLower(strings.TrimSpace(name))]; known {
		return
	}
	if r.found == nil {
		r.found = map[string]string{}
	}
	if key, ok := addName(r.found, name, false); ok {
		r.order = append(r.order, key)
		r.dirty = true
	}
}

// matcher returns the name matcher for the known names plus the names found so far.
func (r *run) matcher() *nameMatcher {
	if r.dirty {
		r.nm = r.s.matcher(r.found)
		r.dirty = false
	}
	return r.nm
}

// text scrubs one string: private-key blocks first (they span lines), then every line on
// its own. A user name learned from a home (or a shell prompt) on a later line is then
// replaced in the lines before it too.
func (r *run) text(in string) string {
	t := in
	if !utf8.ValidString(t) {
		t = strings.ToValidUTF8(t, "\uFFFD")
	}
	if t == "" {
		return t
	}
	if strings.Contains(t, "-----BEGIN ") {
		t = r.privateKeys(t)
	}
	known := len(r.order)
	t = eachLine(t, r.line)
	if len(r.order) > known {
		newNames := map[string]string{}
		for _, k := range r.order[known:] {
			newNames[k] = r.found[k]
		}
		nm := compileNames(newNames)
		t = eachLine(t, func(l string) string { return nm.replaceLine(l, r) })
	}
	return t
}

// eachLine returns t with every line replaced by fn(line).
func eachLine(t string, fn func(string) string) string {
	var b strings.Builder
	changed := false
	for start := 0; start <= len(t); {
		end := strings.IndexByte(t[start:], '\n')
		if end < 0 {
			end = len(t)
		} else {
			end += start
		}
		l := t[start:end]
		out := fn(l)
		if !changed && out != l {
			b.Grow(len(t) + len(t)/16)
			b.WriteString(t[:start])
			changed = true
		}
		if changed {
			b.WriteString(out)
			if end < len(t) {
				b.WriteByte('\n')
			}
		}
		start = end + 1
	}
	if changed {
		return b.String()
	}
	return t
}

// ---- tokens -----------------------------------------------------------------------------

// tokenLen returns the length of the replacement token at the start of t, or 0.
func tokenLen(t string) int {
	if len(t) < 3 {
		return 0
	}
	switch t[0] {
	case '[':
		if strings.HasPrefix(t, valueRedacted) {
			return len(valueRedacted)
		}
	case '<':
		end := strings.IndexByte(t[1:min(len(t), 24)], '>')
		if end <= 0 {
			return 0
		}
		name := t[1 : 1+end]
		if plainTokens[name] {
			return end + 2
		}
		d := strings.LastIndexByte(name, '-')
		if d <= 0 || d == len(name)-1 || d < len(name)-10 {
			return 0
		}
		if _, ok := numberedKind(name[:d]); !ok {
			return 0
		}
		for i := d + 1; i < len(name); i++ {
			if !isDigit(name[i]) {
				return 0
			}
		}
		return end + 2
	}
	return 0
}

// numberedKind returns the numbered kind whose token stem is n.
func numberedKind(n string) (kind, bool) {
	for k := kEmail; k <= kIBAN; k++ {
		if kindNames[k] == n {
			return k, true
		}
	}
	return 0, false
}

// isToken reports whether v is exactly one replacement token.
func isToken(v string) bool {
	return v != "" && tokenLen(v) == len(v)
}

// insideToken reports whether t[i:j] lies inside (or is) a replacement token.
func insideToken(t string, i, j int) bool {
	for p := i; p >= 0 && i-p < 24; p-- {
		if c := t[p]; c == '<' || c == '[' {
			if n := tokenLen(t[p:]); n > 0 && p+n >= j {
				return true
			}
		}
	}
	return false
}

// ---- names ------------------------------------------------------------------------------

// matcher returns the name matcher for the known names plus those in extra.
func (s *Scrubber) matcher(extra map[string]string) *nameMatcher {
	var all map[string]string
	for k, v := range extra {
		if _, ok := s.names[k]; ok {
			continue
		}
		if all == nil {
			all = make(map[string]string, len(s.names)+len(extra))
			for k2, v2 := range s.names {
				all[k2] = v2
			}
		}
		all[k] = v
	}
	if all == nil {
		return s.nm
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
