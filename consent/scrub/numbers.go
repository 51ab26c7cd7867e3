package scrub

import (
	"net/netip"
	"strings"
)

// colonShapes replaces the IPv6 addresses and the MAC addresses written with colons.
func (r *run) colonShapes(t string, ipv6, mac bool) string {
	e := editor{t: t}
	for i := 0; i < len(t); {
		k := strings.IndexByte(t[i:], ':')
		if k < 0 {
			break
		}
		k += i
		i = k + 1
		if mac && k >= 2 && k-2 >= e.last && isHex(t[k-1]) && isHex(t[k-2]) {
			if end := r.mac(t, k-2, &e); end > 0 {
				i = end
				continue
			}
		}
		if !ipv6 {
			continue
		}
		s := k
		for s > e.last && k-s < 4 && isHex(t[s-1]) {
			s--
		}
		if s == k && (k+1 >= len(t) || t[k+1] != ':') {
			continue
		}
		if end := r.ipv6(t, s, &e); end > 0 {
			i = end
			continue
		}
		for i < len(t) && (isHex(t[i]) || t[i] == ':' || t[i] == '.') {
			i++ // the rest of this run cannot start an address
		}
	}
	return e.result()
}

// dashMACs replaces MAC addresses written with dashes (3C-52-82-1A-2B-3C).
func (r *run) dashMACs(t string) string {
	e := editor{t: t}
	for i := 0; i < len(t); {
		k := strings.IndexByte(t[i:], '-')
		if k < 0 {
			break
		}
		k += i
		i = k + 1
		if k >= 2 && k-2 >= e.last && isHex(t[k-1]) && isHex(t[k-2]) {
			if end := r.mac(t, k-2, &e); end > 0 {
				i = end
			}
		}
	}
	return e.result()
}

// ipv4s replaces IPv4 addresses, found from their dots.
func (r *run) ipv4s(t string) string {
	e := editor{t: t}
	for i := 0; i < len(t); {
		k := strings.IndexByte(t[i:], '.')
		if k < 0 {
			break
		}
		k += i
		i = k + 1
		if k == 0 || k+1 >= len(t) || !isDigit(t[k-1]) || !isDigit(t[k+1]) {
			continue
		}
		s := k - 1
		for s > e.last && isDigit(t[s-1]) && k-s < 4 {
			s--
		}
		if end := r.ipv4(t, s, &e); end > 0 {
			i = end
		}
	}
	return e.result()
}

// cards replaces card numbers, found from runs of digits.
func (r *run) cards(t string) string {
	e := editor{t: t}
	for i := 0; i < len(t); i++ {
		if !isDigit(t[i]) {
			continue
		}
		j := i + 1
		for j < len(t) && isDigit(t[j]) {
			j++
		}
		if (j-i >= 13 || j-i == 4) && '2' <= t[i] && t[i] <= '6' {
			if end := r.card(t, i, j, &e); end > 0 {
				i = end - 1
				continue
			}
		}
		i = j - 1
	}
	return e.result()
}

// ipv4 replaces a dotted-quad address at t[i:]; a :port after it is kept. Loopback,
// 0.x.x.x, the broadcast address and versions ("version 1.2.3.4") are kept.
func (r *run) ipv4(t string, i int, e *editor) int {
	if i > 0 && (class[t[i-1]]&cWord != 0 || t[i-1] == '.') {
		return 0
	}
	p := i
	var first, all int
	for k := 0; k < 4; k++ {
		v, n := octet(t, p)
		if n == 0 {
			return 0
		}
		if k == 0 {
			first = v
		}
		all += v
		p += n
		if k < 3 {
			if p >= len(t) || t[p] != '.' {
				return 0
			}
			p++
		}
	}
	if p < len(t) {
		if c := firstRune(t[p:]); isWordRune(c) || c == '_' || (c == '.' && p+1 < len(t) && isDigit(t[p+1])) {
			return 0
		}
	}
	if first == 0 || first == 127 || all == 4*255 || versionAfter(t, p) || versionBefore(t, i) {
		return p
	}
	e.put(i, p, r.numbered(kIP, t[i:p]))
	return p
}

// octet reads a decimal 0-255 without leading zeros at t[p:]; n is 0 when there is none.
func octet(t string, p int) (v, n int) {
	for n < 3 && p+n < len(t) && isDigit(t[p+n]) {
		v = v*10 + int(t[p+n]-'0')
		n++
	}
	if n == 0 || (p+n < len(t) && isDigit(t[p+n])) || v > 255 || (n > 1 && t[p] == '0') {
		return 0, 0
	}
	return v, n
}

// versionWords are the words after which a dotted quad is a version (Qt 5.15.2.0).
var versionWords = map[string]bool{
	"version": true, "ver": true, "build": true, "release": true, "v": true, "qt": true,
	"python": true, "pyside6": true, "pyside2": true, "pyqt5": true, "pyqt6": true,
	"windows": true, "cuepoint": true, "libc": true, "glibc": true, "driver": true,
	"firmware": true,
}

// versionBefore reports whether a product-ish word like "version", "Qt" or "Windows" comes
// right before t[i:], on the same line, separated by at most three blanks, '=', ':', '-',
// '_', '/' or 'v' (Python-3.11.4.0, CuePoint/1.2.3.4, Qt v5.15.2.0).
func versionBefore(t string, i int) bool {
	k := i
	if k > 0 && t[k-1] == 'v' && (k < 2 || !isAlnum(t[k-2])) {
		k--
	}
	for k > 0 && i-k < 3 && strings.IndexByte(" \t=:-_/", t[k-1]) >= 0 {
		k--
	}
	if k == i {
		return false
	}
	w := k
	for w > 0 && k-w < 9 && isAlnum(t[w-1]) {
		w--
	}
	if w == k || (w > 0 && isAlnum(t[w-1])) {
		return false
	}
	var low [9]byte
	for p := w; p < k; p++ {
		low[p-w] = lowerTab[t[p]]
	}
	return versionWords[string(low[:k-w])]
}

// versionAfter reports whether a pre-release suffix (-beta, -rc1) follows a dotted quad
// ending at t[p:].
func versionAfter(t string, p int) bool {
	return p+1 < len(t) && t[p] == '-' && isLetter(t[p+1])
}

// ipv6 replaces an IPv6 address (with its %zone) starting at t[i:] (a hex digit, or the
// first colon of "::"). Loopback, the unspecified address, and shapes more likely to be
// code (x[1::2], a::b, std::vector) are kept.
func (r *run) ipv6(t string, i int, e *editor) int {
	if i > 0 && (class[t[i-1]]&cWord != 0 || t[i-1] == '.' || t[i-1] == ':') {
		return 0
	}
	p, colons, double := i, 0, false
	for p < len(t) {
		c := t[p]
		if c == ':' {
			colons++
			double = double || (p > i && t[p-1] == ':')
		} else if !isHex(c) && c != '.' {
			break
		}
		p++
	}
	if colons < 2 || (!double && colons < 7) {
		return 0
	}
	for p > i && t[p-1] == '.' {
		p--
	}
	if t[p-1] == ':' && t[p-2] != ':' {
		p-- // "…::1: refused"
	}
	end := p
	if end < len(t) && t[end] == '%' {
		z := end + 1
		for z < len(t) && (isAlnum(t[z]) || t[z] == '_' || t[z] == '.' || t[z] == '-') {
			z++
		}
		if z > end+1 {
			end = z
		}
	}
	if end < len(t) {
		if c := firstRune(t[end:]); isWordRune(c) || c == '_' || (c == '.' && end+1 < len(t) && isDigit(t[end+1])) {
			return 0
		}
	}
	a, err := netip.ParseAddr(t[i:end])
	if err != nil || !a.Is6() {
		return 0
	}
	addr := t[i:p]
	if strings.Contains(addr, "::") {
		groups, long := 0, false
		for _, g := range strings.Split(addr, ":") {
			if g != "" {
				groups++
				long = long || len(g) >= 4
			}
		}
		if groups < 2 || (groups == 2 && !long) {
			return 0
		}
	}
	if a.IsLoopback() || a.IsUnspecified() {
		return end
	}
	e.put(i, end, r.numbered(kIP, a.WithZone("").Unmap().String()))
	return end
}

// mac replaces a MAC address (six hex pairs joined by ':' or '-') at t[i:]. The all-zero
// and broadcast addresses are kept.
func (r *run) mac(t string, i int, e *editor) int {
	if i+17 > len(t) {
		return 0
	}
	sep := t[i+2]
	for g := 0; g < 6; g++ {
		p := i + 3*g
		if !isHex(t[p]) || !isHex(t[p+1]) || (g < 5 && t[p+2] != sep) {
			return 0
		}
	}
	end := i + 17
	if i > 0 && (class[t[i-1]]&cWord != 0 || t[i-1] == sep || t[i-1] == '.') {
		return 0
	}
	if end < len(t) {
		if c := firstRune(t[end:]); isWordRune(c) || c == '_' || c == '.' && end+1 < len(t) && isDigit(t[end+1]) ||
			c == rune(sep) && end+1 < len(t) && isHex(t[end+1]) {
			return 0
		}
	}
	key := strings.ToLower(strings.ReplaceAll(t[i:end], "-", ":"))
	if key == "00:00:00:00:00:00" || key == "ff:ff:ff:ff:ff:ff" {
		return end
	}
	e.put(i, end, r.numbered(kMAC, key))
	return end
}

// card replaces a payment card number at t[i:] (j ends its first group of digits): 13 to
// 19 digits, alone or in groups joined by single spaces or dashes, with a known issuer
// prefix and a valid Luhn check digit. Numbers that fail are kept.
func (r *run) card(t string, i, j int, e *editor) int {
	if !allDigits(t[i:j]) {
		return 0
	}
	if i > 0 {
		p := t[i-1]
		if class[p]&cWord != 0 || p == '.' || (i >= 2 && isDigit(t[i-2]) && strings.IndexByte("-,:+/", p) >= 0) {
			return 0
		}
	}
	var d [19]byte
	n := 0
	end := j
	switch {
	case j-i >= 13 && j-i <= 19:
		n = copy(d[:], t[i:j])
	case j-i == 4 && j+1 < len(t) && (t[j] == ' ' || t[j] == '-') && isDigit(t[j+1]):
		sep := t[j]
		if i >= 2 && t[i-1] == sep && isDigit(t[i-2]) {
			return 0 // inside a longer list of numbers
		}
		n = copy(d[:], t[i:j])
		for end < len(t) && t[end] == sep && end+1 < len(t) && isDigit(t[end+1]) {
			g := end + 1
			for g < len(t) && isDigit(t[g]) {
				g++
			}
			if g-end-1 < 3 || g-end-1 > 6 || n+g-end-1 > 19 {
				break
			}
			n += copy(d[n:], t[end+1:g])
			end = g
		}
		if end < len(t) && t[end] == sep && end+1 < len(t) && isDigit(t[end+1]) {
			return 0
		}
	default:
		return 0
	}
	if end < len(t) {
		if c := firstRune(t[end:]); isWordRune(c) || c == '_' || (c == '.' || c == ',') && end+1 < len(t) && isDigit(t[end+1]) {
			return 0
		}
	}
	if n < 13 || !cardIssuer(d[:n]) || !luhn(d[:n]) {
		return 0
	}
	e.put(i, end, r.numbered(kCard, string(d[:n])))
	return end
}

// cardIssuer reports whether a number of this length may come from a card scheme with this
// prefix: Visa, Mastercard, American Express, Diners, Discover, JCB, UnionPay, Maestro.
func cardIssuer(d []byte) bool {
	n := len(d)
	p2 := int(d[0]-'0')*10 + int(d[1]-'0')
	p3 := p2*10 + int(d[2]-'0')
	p4 := p3*10 + int(d[3]-'0')
	switch {
	case d[0] == '4':
		return n == 13 || n == 16 || n == 19
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return n == 16
	case p2 == 34, p2 == 37:
		return n == 15
	case p3 >= 300 && p3 <= 305, p2 == 36, p2 == 38, p2 == 39:
		return n == 14 || n == 16
	case p4 == 6011, p3 >= 644 && p3 <= 649, p2 == 65, p4 >= 3528 && p4 <= 3589, p2 == 62:
		return n >= 16
	case p2 == 50, p2 >= 56 && p2 <= 58, p2 == 63, p2 == 67:
		return n >= 13
	}
	return false
}

func luhn(d []byte) bool {
	sum := 0
	for k := 0; k < len(d); k++ {
		v := int(d[len(d)-1-k] - '0')
		if k%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// ibanLengths are the IBAN lengths of the countries that use one.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
	"BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
	"DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
	"GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
	"IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
	"LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
	"MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
	"PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
	"SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
	"TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// iban replaces an IBAN at t[i:] (j ends its first word), compact or in groups of four
// joined by single spaces, when its length fits the country and its mod-97 check holds.
func (r *run) iban(t string, i, j int, e *editor) int {
	want := ibanLengths[t[i:i+2]]
	if want == 0 {
		return 0
	}
	var d [34]byte
	n, end := 0, j
	switch {
	case j-i == want:
		n = copy(d[:], t[i:j])
	case j-i == 4 && j < len(t) && t[j] == ' ':
		n = copy(d[:], t[i:j])
		for n < want && end+1 < len(t) && t[end] == ' ' {
			g := end + 1
			for g < len(t) && g-end-1 < 4 && (isUpper(t[g]) || isDigit(t[g])) {
				g++
			}
			if g == end+1 || n+g-end-1 > want {
				return 0
			}
			n += copy(d[n:], t[end+1:g])
			end = g
		}
	default:
		return 0
	}
	if n != want || !allUpperAlnum(string(d[:n])) {
		return 0
	}
	if end < len(t) && class[t[end]]&cWord != 0 {
		return 0
	}
	if !mod97(d[:n]) {
		return 0
	}
	e.put(i, end, r.numbered(kIBAN, string(d[:n])))
	return end
}

// mod97 reports whether an IBAN's check digits hold (ISO 13616).
func mod97(d []byte) bool {
	rem := 0
	for k := 0; k < len(d); k++ {
		c := d[(k+4)%len(d)]
		if isDigit(c) {
			rem = (rem*10 + int(c-'0')) % 97
		} else {
			rem = (rem*100 + int(c-'A') + 10) % 97
		}
	}
	return rem == 1
}
