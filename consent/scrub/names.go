package scrub

import (
	"bytes"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// addName records name (trimmed) under its lower-case key unless it cannot identify
// anybody. Generic account names (root, admin, user …) count only when explicit (given by
// an Identity). It reports the key when the name is new.
func addName(set map[string]string, name string, explicit bool) (string, bool) {
	name = strings.TrimSpace(strings.ToValidUTF8(name, ""))
	low := strings.ToLower(name)
	if name == "" || ignoredHomes[low] || (!explicit && genericAccounts[low]) ||
		!strings.ContainsFunc(name, unicode.IsLetter) || strings.ContainsAny(name, "<>[]\r\n") {
		return "", false
	}
	if _, ok := set[low]; ok {
		return "", false
	}
	set[low] = name
	return low, true
}

// How a spelling of a name must be delimited to count.
const (
	vWord  uint8 = iota // whole word: no letter or digit on either side
	vShort              // 8.3 stem ("aliceb~"): digits follow, then a word boundary
	vPath               // one-letter name: a whole path component, between separators
)

type nameVariant struct {
	lit    string // lower-case ASCII
	kind   uint8
	anchor int     // offset in lit of its rarest letter, searched for first
	probes [2]byte // that letter in lower and upper case
}

// letterRank orders letters from rare to common in English text (and logs).
const letterRank = "zqjxkvbpygfwmucldrhsnioate"

// newVariant returns the variant for lit with the rarest letter as its anchor.
func newVariant(lit string, kind uint8) nameVariant {
	v := nameVariant{lit: lit, kind: kind}
	best := len(letterRank) + 1
	for i := 0; i < len(lit); i++ {
		r := strings.IndexByte(letterRank, lit[i])
		if r < 0 {
			r = len(letterRank) // digits, %, ~, spaces: no better than a common letter
		}
		if r < best {
			best, v.anchor = r, i
		}
	}
	c := lit[v.anchor]
	v.probes = [2]byte{c, c}
	if 'a' <= c && c <= 'z' {
		v.probes[1] = c - 'a' + 'A'
	}
	return v
}

// find calls fn with the start of every place t holds v.lit, in any case.
func (v *nameVariant) find(t string, fn func(start int)) {
	for n, c := range v.probes {
		if n == 1 && c == v.probes[0] {
			break
		}
		for pos := 0; pos < len(t); {
			k := strings.IndexByte(t[pos:], c)
			if k < 0 {
				break
			}
			k += pos
			pos = k + 1
			if s := k - v.anchor; s >= 0 && hasFoldAt(t, s, v.lit) {
				fn(s)
			}
		}
	}
}

// nameMatcher finds user names in every spelling: as written, in NFC and NFD, path- and
// query-escaped, any letter case, and the 8.3 stem of the name.
type nameMatcher struct {
	ascii  []nameVariant
	re     *regexp.Regexp // the non-ASCII spellings, any case; nil when none
	reLits [][]byte       // lower-case ASCII pieces, one of which a line must hold for re to run; nil: lines with non-ASCII bytes
	reOne  bool           // re holds one-letter names (path components only)
}

func compileNames(names map[string]string) *nameMatcher {
	if len(names) == 0 {
		return nil
	}
	nm := &nameMatcher{}
	seen := map[string]bool{}
	var uni []string
	litsOK := true
	add := func(v string, kind uint8) {
		if v == "" {
			return
		}
		if isASCII(v) {
			lit := asciiLower(v)
			if k := string(rune('0'+kind)) + lit; !seen[k] {
				seen[k] = true
				nm.ascii = append(nm.ascii, newVariant(lit, kind))
			}
			return
		}
		if kind == vPath {
			nm.reOne = true
		}
		uni = append(uni, regexp.QuoteMeta(v))
		if lit := longestASCII(v); len(lit) >= 2 {
			nm.reLits = append(nm.reLits, []byte(asciiLower(lit)))
		} else {
			litsOK = false
		}
	}
	for _, n := range names {
		kind := vWord
		if utf8.RuneCountInString(n) == 1 {
			kind = vPath
		}
		forms := []string{n}
		for _, f := range []string{norm.NFC.String(n), norm.NFD.String(n)} {
			if !slices.Contains(forms, f) {
				forms = append(forms, f)
			}
		}
		for _, f := range forms {
			add(f, kind)
			add(url.PathEscape(f), kind)
			add(url.QueryEscape(f), kind)
		}
		if stem := shortStem(n); stem != "" {
			add(stem+"~", vShort)
		}
	}
	if len(uni) > 0 {
		slices.SortFunc(uni, func(a, b string) int { return len(b) - len(a) })
		nm.re = regexp.MustCompile(`(?i)(?:` + strings.Join(uni, "|") + `)`)
		if !litsOK {
			nm.reLits = nil
		}
	}
	return nm
}

// shortStem is the stem of the 8.3 short name Windows makes of a long name: its first six
// letters and digits ("Alice Brown" -> "ALICEB"), or "" when the name is not plain ASCII.
func shortStem(n string) string {
	var b []byte
	for i := 0; i < len(n) && len(b) < 6; i++ {
		switch c := n[i]; {
		case isAlnum(c):
			b = append(b, c)
		case c == ' ' || c == '.':
		default:
			return ""
		}
	}
	if len(b) < 2 {
		return ""
	}
	return string(b)
}

func longestASCII(s string) string {
	best, start := "", -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] < utf8.RuneSelf {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start > len(best) {
			best = s[start:i]
		}
		start = -1
	}
	return best
}

type span struct{ start, end int }

// replaceLine puts "<user>" in place of every name in the line t.
func (nm *nameMatcher) replaceLine(t string, r *run) string {
	if nm == nil || t == "" {
		return t
	}
	var ms []span
	tilde := strings.IndexByte(t, '~') >= 0
	for i := range nm.ascii {
		v := &nm.ascii[i]
		if v.kind == vShort && !tilde {
			continue
		}
		v.find(t, func(k int) {
			if e, ok := accept(t, k, k+len(v.lit), v.kind); ok {
				ms = append(ms, span{k, e})
			}
		})
	}
	if nm.re != nil && nm.lineMayMatch(t, r) {
		for _, m := range nm.re.FindAllStringIndex(t, -1) {
			kind := vWord
			if nm.reOne && utf8.RuneCountInString(t[m[0]:m[1]]) == 1 {
				kind = vPath
			}
			if e, ok := accept(t, m[0], m[1], kind); ok {
				ms = append(ms, span{m[0], e})
			}
		}
	}
	if len(ms) == 0 {
		return t
	}
	slices.SortFunc(ms, func(a, b span) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	var b strings.Builder
	b.Grow(len(t))
	last := 0
	for _, m := range ms {
		if m.start < last {
			continue
		}
		b.WriteString(t[last:m.start])
		b.WriteString(tokUser)
		last = m.end
		r.counts[kUser]++
	}
	b.WriteString(t[last:])
	return b.String()
}

func (nm *nameMatcher) lineMayMatch(l string, r *run) bool {
	if nm.reLits == nil {
		return !isASCII(l)
	}
	if cap(r.low) < len(l) {
		r.low = make([]byte, len(l)+len(l)/4)
	}
	low := r.low[:len(l)]
	lowerASCII(low, l)
	for _, lit := range nm.reLits {
		if bytes.Contains(low, lit) {
			return true
		}
	}
	return false
}

// accept reports whether the name t[i:j] is delimited as its kind requires, and where the
// replaced text ends.
func accept(t string, i, j int, kind uint8) (int, bool) {
	switch kind {
	case vPath:
		return j, i > 0 && j < len(t) && isSep(t[i-1]) && isSep(t[j])
	case vShort:
		if j >= len(t) || !isDigit(t[j]) {
			return j, false
		}
		for j < len(t) && isDigit(t[j]) {
			j++
		}
	}
	if i > 0 {
		if r, _ := utf8.DecodeLastRuneInString(t[:i]); isWordRune(r) {
			return j, false
		}
	}
	if j < len(t) {
		if r := firstRune(t[j:]); isWordRune(r) || unicode.Is(unicode.Mn, r) {
			return j, false
		}
	}
	return j, !insideToken(t, i, j)
}
