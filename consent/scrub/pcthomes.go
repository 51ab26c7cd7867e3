package scrub

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// Percent-encoded homes: a path escaped whole into a URL query or a log field
// (%2Fhome%2Fbob%2FMusic, %2FUsers%2Fbob, C%3A%5CUsers%5Cbob). The separators are %2F or
// %5C (any case); the home becomes "~" and the rest of the path is kept, still escaped.

// pctSep reports whether an escaped separator (%2F or %5C, any case) is at t[i:].
func pctSep(t string, i int) bool {
	return i+2 < len(t) && t[i] == '%' &&
		(t[i+1] == '2' && t[i+2]|0x20 == 'f' || t[i+1] == '5' && t[i+2]|0x20 == 'c')
}

// pctKeywordAt reads an escaped separator, a home keyword (home or Users, any case) and
// another escaped separator at t[i:]; it returns the keyword and where the user name
// starts, or kwNone.
func pctKeywordAt(t string, i int) (homeKeyword, int) {
	if !pctSep(t, i) {
		return kwNone, 0
	}
	k := i + 3
	var kw homeKeyword
	switch {
	case hasFoldAt(t, k, "home"):
		kw, k = kwHome, k+4
	case hasFoldAt(t, k, "users"):
		kw, k = kwUsers, k+5
	default:
		return kwNone, 0
	}
	if !pctSep(t, k) {
		return kwNone, 0
	}
	return kw, k + 3
}

// pctNameEnd returns the end of an escaped user name at t[ns:]: word bytes, '.', '-', and
// escaped bytes other than separators, quotes and the like.
func pctNameEnd(t string, ns int) int {
	e := ns
	for e < len(t) {
		c := t[e]
		switch {
		case c == '%':
			if e+2 >= len(t) || !isHex(t[e+1]) || !isHex(t[e+2]) || pctSep(t, e) {
				return trimName(t, ns, e)
			}
			d := unhexByte(t[e+1])<<4 | unhexByte(t[e+2])
			if !isWordByte(d) && d != ' ' && d != '.' && d != '-' && d < utf8.RuneSelf {
				return trimName(t, ns, e)
			}
			e += 3
		case isWordByte(c), (c == '.' || c == '-') && e > ns:
			e++
		default:
			return trimName(t, ns, e)
		}
	}
	return trimName(t, ns, e)
}

func trimName(t string, ns, e int) int {
	for e > ns && t[e-1] == '.' {
		e--
	}
	for e >= ns+3 && strings.EqualFold(t[e-3:e], "%20") {
		e -= 3
	}
	return e
}

func unhexByte(c byte) byte {
	switch {
	case isDigit(c):
		return c - '0'
	default:
		return c | 0x20 - 'a' + 10
	}
}

// pctHomes replaces the percent-encoded homes of one line by "~" and learns their user
// names. A POSIX home starts the path (nothing alphanumeric before it); a Windows one
// starts at its drive (C%3A or C:).
func (r *run) pctHomes(t string) string {
	e := editor{t: t}
	for i := 0; i < len(t); {
		k := strings.IndexByte(t[i:], '%')
		if k < 0 {
			break
		}
		i += k
		kw, ns := pctKeywordAt(t, i)
		if kw == kwNone {
			i++
			continue
		}
		start, windows := -1, false
		switch {
		case i >= 4 && hasFoldAt(t, i-3, "%3a") && isLetter(t[i-4]) && (i == 4 || !isAlnum(t[i-5])):
			start, windows = i-4, true
		case i >= 2 && t[i-1] == ':' && isLetter(t[i-2]) && (i == 2 || !isAlnum(t[i-3])):
			start, windows = i-2, true
		case kw == kwHome || t[i+2]|0x20 == 'f':
			if i == 0 || !isAlnum(t[i-1]) && t[i-1] != '%' {
				start = i
			}
		}
		if start < e.last {
			i = ns
			continue
		}
		ne := pctNameEnd(t, ns)
		if ne == ns {
			i = ns
			continue
		}
		name := t[ns:ne]
		if d, err := url.PathUnescape(name); err == nil && utf8.ValidString(d) {
			name = d
		}
		if ignoredHomes[strings.ToLower(name)] {
			i = ne
			continue
		}
		homeNames(homeMatch{start: start, end: ne, name: name, windows: windows}, r.addFound)
		e.put(start, ne, tokHome)
		r.counts[kHome]++
		i = ne
	}
	return e.result()
}
