package scrub

import (
	"encoding/binary"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// editor collects the replacements of one pass over a line.
type editor struct {
	t       string
	b       strings.Builder
	last    int // end of the last replacement
	changed bool
}

// put replaces t[start:end] (start >= the end of the previous replacement) by repl.
func (e *editor) put(start, end int, repl string) {
	if !e.changed {
		e.b.Grow(len(e.t) + len(repl))
		e.changed = true
	}
	e.b.WriteString(e.t[e.last:start])
	e.b.WriteString(repl)
	e.last = end
}

func (e *editor) result() string {
	if !e.changed {
		return e.t
	}
	e.b.WriteString(e.t[e.last:])
	return e.b.String()
}

// Byte classes.
const (
	cWord  = 1 << iota // A-Z a-z 0-9 _ and bytes of multi-byte runes
	cWordA             // A-Z a-z 0-9 _
	cAlnum             // A-Z a-z 0-9
	cHex               // 0-9 a-f A-F
	cBound             // ends a path when read backwards: blanks, quotes, brackets, = , ; : | * ? < >
)

var (
	class    [256]uint8
	lowerTab [256]byte // ASCII lower case
)

func init() {
	for c := 0; c < 256; c++ {
		b := byte(c)
		var k uint8
		switch {
		case '0' <= b && b <= '9':
			k = cWord | cWordA | cAlnum | cHex
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z':
			k = cWord | cWordA | cAlnum
			if b|0x20 <= 'f' {
				k |= cHex
			}
		case b == '_':
			k = cWord | cWordA
		case b >= utf8.RuneSelf:
			k = cWord
		case b <= ' ' || strings.IndexByte("\"'`=(),;[]{}<>|:*?", b) >= 0:
			k = cBound
		}
		class[c] = k
		lowerTab[c] = b
		if 'A' <= b && b <= 'Z' {
			lowerTab[c] = b + 'a' - 'A'
		}
	}
}

func isWordByte(c byte) bool     { return class[c]&cWordA != 0 }
func isAlnum(c byte) bool        { return class[c]&cAlnum != 0 }
func isLetter(c byte) bool       { return 'a' <= c|0x20 && c|0x20 <= 'z' }
func isDigit(c byte) bool        { return '0' <= c && c <= '9' }
func isHex(c byte) bool          { return class[c]&cHex != 0 }
func isUpper(c byte) bool        { return 'A' <= c && c <= 'Z' }
func isSep(c byte) bool          { return c == '/' || c == '\\' }
func isPathBoundary(c byte) bool { return class[c]&cBound != 0 }
func isHostByte(c byte) bool     { return isAlnum(c) || c == '.' || c == '-' || c == '_' }

// isWinNameByte reports whether c may be part of a Windows profile folder name.
func isWinNameByte(c byte) bool {
	return c > ' ' && c != 0x7f && strings.IndexByte(`\/:*?"'<>|,;=&`, c) < 0
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if isUpper(s[i]) {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if isUpper(b[j]) {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// lowerASCII writes s in ASCII lower case to dst (len(dst) == len(s)), eight bytes at a time.
func lowerASCII(dst []byte, s string) {
	copy(dst, s)
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(dst); i += 8 {
		w := binary.LittleEndian.Uint64(dst[i:])
		x := w &^ hi
		upper := (x + (0x80-'A')*lo) &^ (x + (0x80-'Z'-1)*lo) &^ w & hi // high bit: 'A' <= byte <= 'Z'
		binary.LittleEndian.PutUint64(dst[i:], w|upper>>2)
	}
	for ; i < len(dst); i++ {
		dst[i] = lowerTab[dst[i]]
	}
}

// hasFoldAt reports whether t[i:] starts with lower, a lower-case ASCII word, in any case.
func hasFoldAt(t string, i int, lower string) bool {
	if i < 0 || len(t)-i < len(lower) {
		return false
	}
	for k := 0; k < len(lower); k++ {
		c, w := t[i+k], lower[k]
		if c != w && !(isLetter(w) && c|0x20 == w) {
			return false
		}
	}
	return true
}

// containsFold reports whether s contains lower, a lower-case ASCII string, in any case.
func containsFold(s, lower string) bool {
	if lower == "" {
		return true
	}
	c0 := lower[0]
	for i := 0; i+len(lower) <= len(s); i++ {
		if c := s[i]; c == c0 || (isLetter(c0) && c|0x20 == c0) {
			if hasFoldAt(s, i, lower) {
				return true
			}
		}
	}
	return false
}
