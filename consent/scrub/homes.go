package scrub

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// homeMatch is one home folder found in a text: t[start:end] (with its file: prefix, up to
// the end of the user name) is the home of name (percent-decoded).
type homeMatch struct {
	start, end int
	name       string
	file       bool // a file: URL: the replacement keeps the scheme
	windows    bool
}

// ignoredHomes are profile folders that belong to nobody: they are not homes.
var ignoredHomes = map[string]bool{
	"public": true, "shared": true, "default": true, "default user": true, "all users": true,
	"defaultuser0": true, "<user>": true, "~": true, "guest": true, "localservice": true,
	"networkservice": true, "systemprofile": true,
}

// genericAccounts are account names that are homes ("~") but name no person, so the word is
// not replaced elsewhere unless an Identity names it.
var genericAccounts = map[string]bool{
	"root": true, "admin": true, "administrator": true, "user": true, "users": true,
	"runner": true, "runneradmin": true, "ubuntu": true, "vagrant": true, "docker": true,
	"pi": true, "test": true, "ec2-user": true, "centos": true, "debian": true, "fedora": true,
	"nobody": true, "www-data": true, "home": true, "builder": true, "build": true, "git": true,
	// words after which a dotted quad is a version (see versionWords): replacing them would
	// make the version an address on a second pass
	"version": true, "ver": true, "release": true, "v": true, "qt": true, "python": true,
	"pyside6": true, "pyside2": true, "pyqt5": true, "pyqt6": true, "windows": true,
	"cuepoint": true, "libc": true, "glibc": true, "driver": true, "firmware": true,
}

// homeKeyword is a folder name that holds homes.
type homeKeyword uint8

const (
	kwNone     homeKeyword = iota
	kwHome                 // home: POSIX, UNC
	kwHomes                // homes, home$: UNC
	kwUsers                // Users: POSIX (macOS), Windows, UNC
	kwUsers2               // users$: UNC
	kwProfiles             // profiles, profiles$: UNC
	kwDocs                 // Documents and Settings, DOCUME~1: Windows
)

// keywordAt reads a home keyword (any case) at t[i:] that a separator follows; it returns
// the keyword and the end of the keyword.
func keywordAt(t string, i int) (homeKeyword, int) {
	if i >= len(t) {
		return kwNone, i
	}
	var kw homeKeyword
	var n int
	switch t[i] | 0x20 {
	case 'h':
		if !hasFoldAt(t, i, "home") {
			return kwNone, i
		}
		kw, n = kwHome, 4
		if i+n < len(t) && (t[i+n]|0x20 == 's' || t[i+n] == '$') {
			kw, n = kwHomes, 5
		}
	case 'u':
		if !hasFoldAt(t, i, "users") {
			return kwNone, i
		}
		kw, n = kwUsers, 5
		if i+n < len(t) && t[i+n] == '$' {
			kw, n = kwUsers2, 6
		}
	case 'p':
		if !hasFoldAt(t, i, "profiles") {
			return kwNone, i
		}
		kw, n = kwProfiles, 8
		if i+n < len(t) && t[i+n] == '$' {
			n++
		}
	case 'd':
		switch {
		case hasFoldAt(t, i, "documents and settings"):
			kw, n = kwDocs, 22
		case hasFoldAt(t, i, "docume~1"):
			kw, n = kwDocs, 8
		default:
			return kwNone, i
		}
	default:
		return kwNone, i
	}
	if e := i + n; e < len(t) && (t[e] == '/' || t[e] == '\\') {
		return kw, e
	}
	return kwNone, i
}

// findHomes calls fn for every home folder in t, left to right:
//
//	/home/<n>, /Users/<n> (also under /mnt/c, /c, /cygdrive/c, /var, /Volumes/<disk>,
//	  /System/Volumes/Data), at the start of a path
//	C:\Users\<n>, C:/Users/<n>, C:\\Users\\<n>, C%3A/Users/<n>, \Users\<n>,
//	  C:\Documents and Settings\<n> (also C:\DOCUME~1\<n>), 8.3 short names (C:\Users\ALICEB~1)
//	\\server\home$\<n>, \\server\users\<n>, \\server\profiles$\<n> (also doubled)
//	file:// URLs of all of these
func findHomes(t string, fn func(homeMatch)) {
	from := 0             // end of the last home: the next one starts here or later
	slash, back := -1, -1 // next '/' and '\' at or after i (-2: none left)
	for i := 0; i < len(t); {
		if slash != -2 && slash < i {
			if slash = strings.IndexByte(t[i:], '/'); slash >= 0 {
				slash += i
			} else {
				slash = -2
			}
		}
		if back != -2 && back < i {
			if back = strings.IndexByte(t[i:], '\\'); back >= 0 {
				back += i
			} else {
				back = -2
			}
		}
		switch {
		case slash == -2 && back == -2:
			return
		case back == -2 || (slash >= 0 && slash < back):
			i = slash
		default:
			i = back
		}
		q := i + 1
		if t[i] == '\\' {
			for q < len(t) && t[q] == '\\' {
				q++
			}
		}
		if m, ok := homeAt(t, from, i, q); ok {
			fn(m)
			i, from = m.end, m.end
			continue
		}
		i = q
	}
}

// maxLookBack bounds the bytes read backwards from a home keyword to its root.
const maxLookBack = 256

// homeAt reads a home whose keyword follows the separator t[p:q] and whose root starts at
// from or later.
func homeAt(t string, from, p, q int) (homeMatch, bool) {
	kw, ke := keywordAt(t, q)
	if kw == kwNone {
		return homeMatch{}, false
	}
	ns := ke + 1
	if t[ke] == '\\' {
		for ns < len(t) && t[ns] == '\\' {
			ns++
		}
	}
	m := homeMatch{start: -1}
	switch {
	case kw == kwUsers || kw == kwDocs:
		if p >= 2 && t[p-1] == ':' && isLetter(t[p-2]) && (p == 2 || !isWordByte(t[p-3])) {
			m.start, m.windows = p-2, true
		} else if p >= 4 && hasFoldAt(t, p-3, "%3a") && isLetter(t[p-4]) && (p == 4 || !isWordByte(t[p-5])) {
			m.start, m.windows = p-4, true
		}
	}
	if m.start < 0 && t[p] == '\\' && kw != kwDocs {
		if s, ok := uncRoot(t, from, p, q-p); ok {
			m.start, m.windows = s, true
		}
	}
	if m.start < 0 && kw == kwUsers && t[p] == '\\' && (p == 0 || isPathBoundary(t[p-1])) {
		m.start, m.windows = p, true
	}
	if m.start < 0 && (kw == kwHome || kw == kwUsers) && q == p+1 && t[p] == '/' && t[ke] == '/' {
		b := p
		for b > from && p-b < maxLookBack && !isPathBoundary(t[b-1]) {
			b--
		}
		switch pre := t[b:p]; {
		case pre == "" || posixHomePrefix(pre):
			m.start = b
		case (pre == "//" || pre == "///" || strings.EqualFold(pre, "//localhost")) && b >= 5 && hasFoldAt(t, b-5, "file:"):
			m.start = b
		}
	}
	if m.start < from {
		return homeMatch{}, false
	}
	if s, ok := fileURLStart(t, m.start); ok && s >= from {
		m.start, m.file = s, true
	}
	ne := nameEnd(t, ns, m.windows)
	if ne == ns {
		return homeMatch{}, false
	}
	name := t[ns:ne]
	if strings.IndexByte(name, '%') >= 0 {
		if d, err := url.PathUnescape(name); err == nil && utf8.ValidString(d) {
			name = d
		}
	}
	if ignoredHomes[strings.ToLower(name)] {
		return homeMatch{}, false
	}
	m.end, m.name = ne, name
	return m, true
}

// uncRoot returns the start (from or later) of a UNC path \\server\ ending at the
// separator t[p:p+sep].
func uncRoot(t string, from, p, sep int) (int, bool) {
	h := p
	for h > from && p-h < maxLookBack && isHostByte(t[h-1]) {
		h--
	}
	if h == p {
		return 0, false
	}
	s := h
	for s > from && t[s-1] == '\\' {
		s--
	}
	if h-s < 2*sep || (s > 0 && !isPathBoundary(t[s-1])) || (s > 0 && t[s-1] == ':') {
		return 0, false
	}
	return s, true
}

// posixHomePrefix reports whether pre may come before /home or /Users in a home path.
func posixHomePrefix(pre string) bool {
	switch pre {
	case "/var", "/System/Volumes/Data":
		return true
	}
	if len(pre) == 2 && pre[0] == '/' && isLetter(pre[1]) { // Git Bash: /c/Users
		return true
	}
	for _, root := range []string{"/mnt/", "/cygdrive/"} {
		if len(pre) == len(root)+1 && strings.HasPrefix(pre, root) && isLetter(pre[len(root)]) {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(pre, "/Volumes/"); ok {
		return rest != "" && !strings.Contains(rest, "/")
	}
	return false
}

// fileURLStart reports whether a file: URL prefix (file:, file:/, file://, file:///,
// file://localhost/) ends at t[:i] and returns its start.
func fileURLStart(t string, i int) (int, bool) {
	j := i
	for j > 0 && i-j < 3 && t[j-1] == '/' {
		j--
	}
	if j >= 9 && hasFoldAt(t, j-9, "localhost") && j-9 >= 2 && t[j-10] == '/' && t[j-11] == '/' {
		j -= 11
	}
	if j >= 5 && hasFoldAt(t, j-5, "file:") && (j == 5 || !isWordByte(t[j-6])) {
		return j - 5, true
	}
	return 0, false
}

// nameEnd returns the end of the user name starting at t[ns:].
func nameEnd(t string, ns int, windows bool) int {
	e := ns
	if windows {
		for e < len(t) {
			c := t[e]
			if isWinNameByte(c) {
				e++
				continue
			}
			// A profile folder name may contain single spaces; they are kept only when a
			// separator follows the whole name.
			if c == ' ' && e > ns && t[e-1] != ' ' && e+1 < len(t) && isWinNameByte(t[e+1]) {
				e++
				continue
			}
			break
		}
		if e == len(t) || (t[e] != '\\' && t[e] != '/') {
			if k := strings.IndexByte(t[ns:e], ' '); k >= 0 {
				e = ns + k
			}
		}
	} else {
	loop:
		for e < len(t) {
			c := t[e]
			switch {
			case c == '%' && e+2 < len(t) && isHex(t[e+1]) && isHex(t[e+2]):
				e += 3
			case isWordByte(c):
				e++
			case (c == '.' || c == '-') && e > ns:
				e++
			case c >= utf8.RuneSelf:
				r, n := utf8.DecodeRuneInString(t[e:])
				if !isWordRune(r) && !(e > ns && unicode.Is(unicode.Mn, r)) {
					break loop
				}
				e += n
			default:
				break loop
			}
		}
	}
	for e > ns && (t[e-1] == '.' || t[e-1] == ' ') {
		e--
	}
	return e
}

// homeNames calls add with the user names a home gives away: none for 8.3 short names
// (ALICEB~1); a Windows domain profile (alice.CORP, alice.000) also gives "alice".
func homeNames(m homeMatch, add func(string)) {
	name := m.name
	if i := strings.LastIndexByte(name, '~'); i > 0 && i < len(name)-1 && allDigits(name[i+1:]) {
		return
	}
	add(name)
	if i := strings.LastIndexByte(name, '.'); m.windows && i > 0 && i < len(name)-1 {
		if suf := name[i+1:]; allDigits(suf) || strings.ToUpper(suf) == suf {
			add(name[:i])
		}
	}
}

// homes replaces the home folders of one line by "~" and learns their user names.
func (r *run) homes(t string) string {
	var b strings.Builder
	last := 0
	findHomes(t, func(m homeMatch) {
		homeNames(m, r.addFound)
		if last == 0 {
			b.Grow(len(t))
		}
		b.WriteString(t[last:m.start])
		if m.file {
			b.WriteString("file://")
		}
		b.WriteString(tokHome)
		last = m.end
		r.counts[kHome]++
	})
	if last == 0 {
		return t
	}
	b.WriteString(t[last:])
	return b.String()
}

// ---- known homes ------------------------------------------------------------------------

// knownHomes matches the homes of an Identity that are not in a standard place
// (/data/music-box, D:\Profiles\bob) in all their spellings.
type knownHomes struct {
	re   *regexp.Regexp
	lits []string // lower-case last folder of each home; a line must hold one ("" = always try)
}

const (
	sepRe      = `(?:\\\\|\\|/)`
	filePrefix = `file:(?://(?:localhost)?)?/*`
)

func compileKnownHomes(homes []string) *knownHomes {
	var alts []string
	k := &knownHomes{}
	for _, h := range homes {
		re, last := homePattern(h)
		if re == "" {
			continue
		}
		alts = append(alts, re)
		k.lits = append(k.lits, asciiLower(last), asciiLower(url.PathEscape(last)))
		if !isASCII(last) {
			k.lits = append(k.lits, "")
		}
	}
	if len(alts) == 0 {
		return nil
	}
	sort.Slice(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
	k.re = regexp.MustCompile(`(?i)(` + filePrefix + `)?(?:` + strings.Join(alts, "|") + `)`)
	return k
}

func (k *knownHomes) replace(t string, r *run) string {
	hit := false
	for _, lit := range k.lits {
		if lit == "" || containsFold(t, lit) {
			hit = true
			break
		}
	}
	if !hit {
		return t
	}
	return edit(k.re, t, func(t string, m []int) (string, int, int) {
		if m[1] < len(t) && nameContinues(t[m[1]:]) {
			return skip(m[1])
		}
		r.counts[kHome]++
		if m[2] >= 0 {
			return "file://" + tokHome, m[1], 0
		}
		return tokHome, m[1], 0
	})
}

// homePattern returns a regexp (without flags) for every spelling of one known home and
// its last folder, or "" when h is not an absolute path with a folder below the root.
func homePattern(h string) (string, string) {
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
